using Recommender.Training.Algorithms;
using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Api.Serving;

/// <summary>
/// The request path of every list. Each tries its sources in order until the page is full:
/// <list type="bullet">
/// <item>for a buyer: personalized (enough history) or similar (a few items), then trending, then popular, then newest;</item>
/// <item>for a product: similar, then trending, then popular, then newest;</item>
/// <item>trending: trending, then popular, then newest.</item>
/// </list>
/// Newest comes last because it is the only source of products nobody has interacted with yet:
/// a new shop's whole catalogue, or a new product in an established one.
/// What the buyer has and what cannot be sold never appear (see <see cref="ListBuilder"/>).
/// Never touches the database.
/// </summary>
public static class RecommendationEngine
{
    /// <param name="live">The buyer's current history when it is newer than the model's, else null.</param>
    /// <param name="personalizedMinInteractions">Below this many interactions a buyer gets products similar to them instead.</param>
    public static RankedList ForBuyer(ServingSnapshot snapshot, string buyerId, BuyerHistory? live, ProductFilter filter, int topK, int personalizedMinInteractions)
    {
        var model = snapshot.Model;
        var known = model.Buyers.TryGetIndex(buyerId, out var buyer);
        var history = live ?? (known ? StoredHistory(snapshot, buyer) : BuyerHistory.Empty);

        using var list = new ListBuilder(snapshot, filter, topK);
        list.Exclude(history.Owned);
        foreach (var id in history.Unseen)
            if (snapshot.TryGetUnseenIndex(id, out var unseen)) list.Exclude([unseen]);
        if (history.Count > 0 && model.IsPersonalized)
        {
            var personalized = history.Count >= personalizedMinInteractions;
            if (personalized && live is null && known && model.Scorer is not ItemKnnScorer)
                model.Scorer.Score(buyer, model.Histories, list.Scores);
            else if (personalized)
                ScoreHistory(snapshot.Serving, history, list.Scores);
            else
                ScoreSimilarToAll(snapshot.Serving, history, list.Scores);
            list.TakeFrom(personalized ? ListSource.Personalized : ListSource.Similar);
        }
        FillFromFallbacks(snapshot, list);
        return list.Build();
    }

    /// <summary>Products like <paramref name="product"/> (a model product index), never the product itself.</summary>
    public static RankedList SimilarTo(ServingSnapshot snapshot, int product, ProductFilter filter, int topK)
    {
        using var list = new ListBuilder(snapshot, filter, topK);
        list.Exclude([product]);
        if (ScoreSimilar(snapshot.Serving, product, list.Scores))
            list.TakeFrom(ListSource.Similar);
        FillFromFallbacks(snapshot, list);
        return list.Build();
    }

    public static RankedList Trending(ServingSnapshot snapshot, ProductFilter filter, int topK)
    {
        using var list = new ListBuilder(snapshot, filter, topK);
        FillFromFallbacks(snapshot, list);
        return list.Build();
    }

    private static void FillFromFallbacks(ServingSnapshot snapshot, ListBuilder list)
    {
        var model = snapshot.Model;
        model.Trending.CopyTo(list.Scores);
        list.TakeFrom(ListSource.Trending);
        model.Popularity.CopyTo(list.Scores);
        list.TakeFrom(ListSource.Popular);
        list.TakeFrom(ListSource.Newest, snapshot.Newest);
    }

    private static BuyerHistory StoredHistory(ServingSnapshot snapshot, int buyer)
    {
        var histories = snapshot.Model.Histories;
        return new BuyerHistory(histories.ItemsOf(buyer).ToArray(), histories.TicksOf(buyer).ToArray(), histories.WeightsOf(buyer).ToArray());
    }

    /// <summary>A history the model was not trained on: the item model reads it directly, ALS folds it in.</summary>
    private static void ScoreHistory(ServingModel serving, BuyerHistory history, Span<float> scores)
    {
        switch (serving.Model.Scorer)
        {
            case ItemKnnScorer itemKnn:
                // Products no neighbour of the history reaches are left to the fallbacks.
                itemKnn.ScoreHistory(history.Items, history.Ticks, history.Weights, scores, popularityTieBreak: false);
                return;
            case FactorScorer factors when serving.ProductGram is { } gram && serving.FoldInOptions is { } options:
                var (products, weights) = history.Summed();
                Span<float> vector = stackalloc float[factors.Products.Stride];
                ImplicitAls.RecalculateBuyer(factors.Products, gram, products, weights, options, vector);
                ModelScorer.ScoreAll(vector, factors.Products, scores);
                return;
            default:
                ScoreSimilarToAll(serving, history, scores);
                return;
        }
    }

    /// <summary>The summed similarity of every product to the products in a short history.</summary>
    private static void ScoreSimilarToAll(ServingModel serving, BuyerHistory history, Span<float> scores)
    {
        if (serving.Model.Scorer is ItemKnnScorer itemKnn)
        {
            itemKnn.ScoreHistory(history.Items, history.Ticks, history.Weights, scores, popularityTieBreak: false);
            return;
        }
        scores.Clear();
        if (serving.NormalizedProducts is not { } normalized) return;
        var row = new float[normalized.Rows];
        foreach (var item in history.Owned.Distinct())
        {
            ModelScorer.ScoreAll(normalized.Row(item), normalized, row);
            System.Numerics.Tensors.TensorPrimitives.Add(scores, row, scores);
        }
    }

    /// <summary>Writes similarity to <paramref name="product"/>; false when the model has no notion of similarity.</summary>
    private static bool ScoreSimilar(ServingModel serving, int product, Span<float> scores)
    {
        switch (serving.Model.Scorer)
        {
            case ItemKnnScorer itemKnn:
                scores.Fill(float.NegativeInfinity);
                var (neighbours, similarities) = itemKnn.Model.Neighbours(product);
                for (var n = 0; n < neighbours.Length; n++)
                    scores[neighbours.Span[n]] = similarities.Span[n];
                return true;
            case FactorScorer when serving.NormalizedProducts is { } normalized:
                ModelScorer.ScoreAll(normalized.Row(product), normalized, scores);
                return true;
            default:
                return false;
        }
    }
}
