using System.Globalization;
using Recommender.Api.Serving;

namespace Recommender.Api.Apis;

/// <summary>
/// The query parameters every list endpoint shares, parsed from the raw strings so that every
/// malformed value becomes a 400 that names it (model binding would turn some into 500s or
/// silently drop them).
/// </summary>
/// <param name="BuyerId">
/// <c>buyer_id</c> on the product lists: the buyer they are shown to, so their experiment variant
/// answers and what they buy next can be credited to the list; null when absent.
/// </param>
/// <param name="Track">
/// <c>track=false</c>: the list is neither remembered nor counted as shown (a preview: the
/// dashboard, a back-office page), so what the buyer buys next is not credited to it.
/// </param>
public sealed record ListQuery(int TopK, ProductFilter Filter, bool IncludeScores, bool Explain = false, string? BuyerId = null, bool Track = true)
{
    public const int MaxIdLength = 256;
    public const int MaxExcluded = 200;

    /// <param name="maxOffset">The deepest page start allowed (the <c>MaxOffset</c> setting): every page costs a top-k of offset + top_k.</param>
    public static bool TryParse(HttpRequest request, int defaultTopK, int maxTopK, int maxOffset, out ListQuery query, out string error)
    {
        query = new ListQuery(defaultTopK, ProductFilter.None, false);
        var q = request.Query;
        error = "";

        var topK = defaultTopK;
        if (q.TryGetValue("top_k", out var topKText) &&
            !TryWholeNumber(topKText, 1, maxTopK, out topK))
            return Fail(out error, $"top_k must be a whole number from 1 to {maxTopK}; got '{Shorten(topKText)}'.");

        var offset = 0;
        if (q.TryGetValue("offset", out var offsetText) && !TryWholeNumber(offsetText, 0, maxOffset, out offset))
            return Fail(out error, $"offset must be a whole number from 0 to {maxOffset} (the service's MaxOffset); got '{Shorten(offsetText)}'.");

        if (!TryId(q, "category_id", out var category, out error) || !TryId(q, "seller_id", out var seller, out error) ||
            !TryId(q, "buyer_id", out var buyerId, out error))
            return false;
        if (!TryPrice(q, "min_price", out var minPrice, out error) || !TryPrice(q, "max_price", out var maxPrice, out error))
            return false;
        if (minPrice > maxPrice)
            return Fail(out error, "min_price must not exceed max_price.");

        var exclude = new HashSet<string>(StringComparer.Ordinal);
        if (q.TryGetValue("exclude", out var excludeText))
        {
            foreach (var id in string.Join(',', excludeText.ToArray()).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (id.Length > MaxIdLength)
                    return Fail(out error, $"exclude holds an id longer than {MaxIdLength} characters.");
                exclude.Add(id);
            }
            if (exclude.Count > MaxExcluded)
                return Fail(out error, $"exclude may name at most {MaxExcluded} products.");
        }

        var includeScores = false;
        if (q.TryGetValue("include_scores", out var scoresText) && !bool.TryParse(scoresText, out includeScores))
            return Fail(out error, $"include_scores must be true or false; got '{Shorten(scoresText)}'.");

        var explain = false;
        if (q.TryGetValue("explain", out var explainText) && !bool.TryParse(explainText, out explain))
            return Fail(out error, $"explain must be true or false; got '{Shorten(explainText)}'.");

        var track = true;
        if (q.TryGetValue("track", out var trackText) && !bool.TryParse(trackText, out track))
            return Fail(out error, $"track must be true or false; got '{Shorten(trackText)}'.");

        query = new ListQuery(topK, new ProductFilter
        {
            CategoryId = category,
            SellerId = seller,
            MinPrice = minPrice,
            MaxPrice = maxPrice,
            Exclude = exclude,
            Offset = offset,
        }, includeScores, explain, string.IsNullOrWhiteSpace(buyerId) ? null : buyerId, track);
        return true;
    }

    private static bool TryWholeNumber(string? text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static bool TryId(IQueryCollection q, string name, out string? id, out string error)
    {
        id = null;
        error = "";
        if (!q.TryGetValue(name, out var text)) return true;
        id = text.ToString();
        if (id.Length is 0 or > MaxIdLength)
            return Fail(out error, $"{name} must be 1 to {MaxIdLength} characters.");
        return true;
    }

    private static bool TryPrice(IQueryCollection q, string name, out double? price, out string error)
    {
        price = null;
        error = "";
        if (!q.TryGetValue(name, out var text)) return true;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            return Fail(out error, $"{name} must be a non-negative number; got '{Shorten(text)}'.");
        price = value;
        return true;
    }

    private static bool Fail(out string error, string message)
    {
        error = message;
        return false;
    }

    private static string Shorten(string? value) => ListProblems.Shorten(value ?? "");
}
