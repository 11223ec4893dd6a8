using Recommender.Training.Algorithms;

namespace Recommender.Api.Serving;

/// <summary>
/// The request path of every list. Each tries its sources in order until the page is full:
/// <list type="bullet">
/// <item>for a buyer: personalized or ranked (enough history) or similar (a few items), then content neighbours of their last few, then trending, then popular, then newest;</item>
/// <item>for a product: similar, then content neighbours, then trending, then popular, then newest;</item>
/// <item>trending: trending, then popular, then newest.</item>
/// </list>
/// Newest comes last because it is the only source of products nobody has interacted with yet:
/// a new shop's whole catalogue, or a new product in an established one.
/// What the buyer has and what cannot be sold never appear (see <see cref="ListBuilder"/>).
/// The fitted model is only seen through <see cref="IFittedModel"/>. Never touches the database.
/// </summary>
public static class RecommendationEngine
{
    /// <summary>History products named per explained product.</summary>
    public const int MaxReasons = 3;

    /// <param name="live">The buyer's current history when it is newer than the model's, else null.</param>
    /// <param name="personalizedMinInteractions">Below this many interactions a buyer gets products similar to them instead.</param>
    /// <param name="explain">Also name, per product, the history products that contributed most to its score.</param>
    /// <param name="variant">The buyer's experiment variant: its model scores (see <see cref="Training.Artifacts.RecommenderModel.FittedFor"/>).</param>
    public static RankedList ForBuyer(ServingSnapshot snapshot, string buyerId, BuyerHistory? live, ProductFilter filter, int topK,
        int personalizedMinInteractions, bool explain = false, string? variant = null)
    {
        var model = snapshot.Model;
        var fitted = model.FittedFor(variant);
        var known = model.Buyers.TryGetIndex(buyerId, out var buyer);
        var history = live ?? (known ? BuyerHistory.Of(model.Histories, buyer) : BuyerHistory.Empty);

        using var list = new ListBuilder(snapshot, filter, topK);
        list.Exclude(history.Owned);
        foreach (var id in history.Unseen)
            if (snapshot.TryGetUnseenIndex(id, out var unseen)) list.Exclude([unseen]);
        var anchors = history.Items.AsSpan(Math.Max(0, history.Count - ContentAnchors));
        using var newListings = NewListings.Of(snapshot, list, anchors, explain);
        if (history.Count > 0 && fitted.IsPersonalized)
        {
            var personalized = history.Count >= personalizedMinInteractions;
            var profile = !personalized ? fitted.SimilarToItems(history)
                : live is null ? fitted.ProfileOf(buyer, model.Histories)
                : history.ProfileFor(fitted);
            fitted.Score(profile, list.Scores);
            list.TakeFrom(personalized ? fitted.PersonalizedSource : ListSource.Similar,
                explain ? product => fitted.Explain(profile, product, MaxReasons) : null);
        }
        newListings.Take(list);
        FillFromFallbacks(snapshot, list);
        return list.Build(explain);
    }

    /// <summary>Products like <paramref name="product"/> (a model product index), never the product itself.</summary>
    public static RankedList SimilarTo(ServingSnapshot snapshot, int product, ProductFilter filter, int topK, bool explain = false, string? variant = null)
    {
        using var list = new ListBuilder(snapshot, filter, topK);
        list.Exclude([product]);
        using var newListings = NewListings.Of(snapshot, list, [product], explain);
        if (snapshot.Model.FittedFor(variant).SimilarItems(product, list.Scores))
            list.TakeFrom(ListSource.Similar, explain ? _ => [new Contribution(product, 1f)] : null);
        newListings.Take(list);
        FillFromFallbacks(snapshot, list);
        return list.Build(explain);
    }

    public static RankedList Trending(ServingSnapshot snapshot, ProductFilter filter, int topK, bool explain = false)
    {
        using var list = new ListBuilder(snapshot, filter, topK);
        FillFromFallbacks(snapshot, list);
        return list.Build(explain);
    }

    /// <summary>A buyer's last this-many products are what content neighbours are looked for around.</summary>
    public const int ContentAnchors = 3;

    private static void FillFromFallbacks(ServingSnapshot snapshot, ListBuilder list)
    {
        var model = snapshot.Model;
        model.Trending.CopyTo(list.Scores);
        list.TakeFrom(ListSource.Trending);
        model.Popularity.CopyTo(list.Scores);
        list.TakeFrom(ListSource.Popular);
        list.TakeFrom(ListSource.Newest, snapshot.Newest);
    }
}
