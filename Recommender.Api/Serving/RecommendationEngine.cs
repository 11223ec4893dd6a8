using System.Buffers;
using Recommender.Training.Scoring;
using Recommender.Training.Data;

namespace Recommender.Api.Serving;

/// <summary>
/// The request path: score every product for the buyer, drop what the buyer already has and
/// what cannot be sold, take the best k. A buyer the model does not know, or a list that runs
/// short, is filled from the most popular sellable products. Never touches the database.
/// </summary>
public static class RecommendationEngine
{
    public static Recommendation Recommend(ServingSnapshot snapshot, string buyerId, int topK)
    {
        var model = snapshot.Model;
        var chosen = new List<int>(topK);
        var source = RecommendationSource.Popular;
        ReadOnlySpan<int> owned = [];

        if (model.Buyers.TryGetIndex(buyerId, out var buyer))
        {
            owned = model.BuyerProducts.RowIndices(buyer);
            if (model.IsPersonalized)
            {
                source = RecommendationSource.Personalized;
                PickBest(snapshot, buyer, topK, chosen);
            }
        }
        if (chosen.Count < topK)
            FillFromPopular(snapshot, owned, topK, chosen);

        var rows = new ProductRow[chosen.Count];
        for (var n = 0; n < rows.Length; n++)
            rows[n] = snapshot.Rows[chosen[n]]!;
        return new Recommendation(buyerId, model.Version, source, rows);
    }

    private static void PickBest(ServingSnapshot snapshot, int buyer, int topK, List<int> chosen)
    {
        var productCount = snapshot.Model.Products.Count;
        var scores = ArrayPool<float>.Shared.Rent(productCount);
        var best = ArrayPool<int>.Shared.Rent(topK);
        try
        {
            var span = scores.AsSpan(0, productCount);
            ModelScorer.ScoreBuyer(snapshot.Model, buyer, snapshot.Penalty, span);
            var found = TopK.Select(span, best.AsSpan(0, topK));
            for (var n = 0; n < found; n++)
                chosen.Add(best[n]);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scores);
            ArrayPool<int>.Shared.Return(best);
        }
    }

    private static void FillFromPopular(ServingSnapshot snapshot, ReadOnlySpan<int> owned, int topK, List<int> chosen)
    {
        foreach (var product in snapshot.PopularSellable)
        {
            if (chosen.Count == topK) break;
            // owned is sorted (a CSR row), chosen is short: both checks are cheap.
            if (owned.BinarySearch(product) >= 0 || chosen.Contains(product)) continue;
            chosen.Add(product);
        }
    }
}
