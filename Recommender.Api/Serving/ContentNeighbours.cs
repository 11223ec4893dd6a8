using System.Text.Json;
using Recommender.Training.Data;

namespace Recommender.Api.Serving;

/// <summary>
/// Listings nobody has interacted with yet, like given products by what the shop says of them
/// (collaborative sources, trending and popularity cannot propose them at all): the same
/// category, and then the same seller, a similar price, and shared material, techniques, colour,
/// fabric and attribute values. A shop without categories gets none: a seller alone (often the
/// whole shop) says too little. Built once per snapshot, before it serves, over every product
/// index of the snapshot, the model's and the unseen ones alike.
/// </summary>
public sealed class ContentNeighbours
{
    private const float SameCategory = 2f;
    private const float SameSeller = 1f;
    private const float NearPrice = 0.5f;
    private const float SharedTokens = 1f;

    /// <summary>Prices within this factor of each other count as similar.</summary>
    private const double PriceBand = 1.25;

    private static readonly string[] TokenColumns = ["material", "techniques", "color", "fabricType", "fitType", "rarity", "artistName"];

    private readonly ProductContent _content;
    private readonly int[][] _tokens;
    private readonly float[] _newness;
    private readonly List<int>[] _coldByCategory;

    /// <param name="cold">The products it may propose: those nobody has interacted with yet, which no other source can.</param>
    /// <param name="newest">A score per product, higher for a newer listing (−∞ for one that cannot be shown): between equally like products, the newest first.</param>
    public ContentNeighbours(IReadOnlyList<ProductRow?> rows, bool[] cold, float[] newest)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(cold);
        ArgumentNullException.ThrowIfNull(newest);
        // Below any difference in likeness (the smallest is a share of one shared token).
        _newness = [.. newest.Select(n => float.IsNegativeInfinity(n) ? 0f : 1e-3f * n / Math.Max(1, newest.Length))];
        _content = ProductContent.Of(rows);
        var tokens = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        _tokens = [.. rows.Select(row => row is null ? [] : Tokens(row.Json).Select(t => Index(tokens, t)).Distinct().Order().ToArray())];
        // A request looks only at the cold products of its anchors' categories, usually few or none.
        _coldByCategory = [.. Enumerable.Range(0, _content.Categories).Select(c => new List<int>())];
        for (var p = 0; p < rows.Count; p++)
            if (cold[p] && _content.Category[p] >= 0) _coldByCategory[_content.Category[p]].Add(p);
    }

    /// <summary>
    /// Writes into <paramref name="scores"/> (one per snapshot product) how much each product is
    /// like the anchors, later anchors weighing more; −∞ for products someone has interacted with
    /// and for those in none of the anchors' categories. False, writing nothing, when no anchor's
    /// category holds such a product. Only products that can be shown have a row, hence a
    /// category: every product scored may be shown.
    /// </summary>
    public bool Score(ReadOnlySpan<int> anchors, Span<float> scores)
    {
        var any = false;
        var category = _content.Category;
        foreach (var anchor in anchors)
            any |= category[anchor] >= 0 && _coldByCategory[category[anchor]].Count > 0;
        if (!any) return false;
        scores.Fill(float.NegativeInfinity);
        for (var a = 0; a < anchors.Length; a++)
        {
            var anchor = anchors[a];
            var seller = _content.Seller[anchor];
            if (category[anchor] < 0) continue;
            var weight = (a + 1f) / anchors.Length;
            foreach (var p in _coldByCategory[category[anchor]])
            {
                var sameSeller = seller >= 0 && _content.Seller[p] == seller;
                var score = SameCategory + (sameSeller ? SameSeller : 0)
                    + (SimilarPrice(_content.Price[anchor], _content.Price[p]) ? NearPrice : 0)
                    + SharedTokens * Jaccard(_tokens[anchor], _tokens[p]);
                scores[p] = float.IsNegativeInfinity(scores[p]) ? weight * score + _newness[p] : scores[p] + weight * score;
            }
        }
        return true;
    }

    private static bool SimilarPrice(float a, float b) => a > 0 && b > 0 && Math.Max(a, b) <= Math.Min(a, b) * PriceBand;

    private static float Jaccard(int[] a, int[] b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        int i = 0, j = 0, shared = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { shared++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return shared / (float)(a.Length + b.Length - shared);
    }

    private static int Index(Dictionary<string, int> map, string? key)
    {
        if (string.IsNullOrEmpty(key)) return -1;
        if (!map.TryGetValue(key, out var index)) map[key] = index = map.Count;
        return index;
    }

    /// <summary>The row's descriptive values as "column=value" tokens; a column the shop lacks gives none.</summary>
    private static IEnumerable<string> Tokens(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        foreach (var column in TokenColumns)
        {
            if (!root.TryGetProperty(column, out var value)) continue;
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text) yield return $"{column}={text}";
            if (value.ValueKind == JsonValueKind.Array)
                foreach (var item in value.EnumerateArray())
                    if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } element) yield return $"{column}={element}";
        }
        if (root.TryGetProperty("attributes", out var attributes) && attributes.ValueKind == JsonValueKind.Object)
            foreach (var attribute in attributes.EnumerateObject())
                if (attribute.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    yield return $"{attribute.Name}={attribute.Value}";
    }
}
