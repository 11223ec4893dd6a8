using System.Numerics.Tensors;
using Recommender.Training.Artifacts;
using Recommender.Training.Matrix;

namespace Recommender.Training.Scoring;

/// <summary>
/// Scores every product of a model for one buyer: the buyer's vector against each product's,
/// plus a per-product penalty (0, or -∞ for what must never be shown), with the buyer's own
/// products set to -∞. Serving and offline evaluation both rank through here.
/// </summary>
public static class ModelScorer
{
    /// <summary>Dot products of <paramref name="buyerVector"/> with every product row.</summary>
    public static void ScoreAll(ReadOnlySpan<float> buyerVector, FactorMatrix products, Span<float> scores)
    {
        var stride = products.Stride;
        var data = products.Data.AsSpan();
        for (var p = 0; p < products.Rows; p++)
            scores[p] = VectorMath.Dot(buyerVector, data.Slice(p * stride, stride));
    }

    /// <summary>
    /// Fills <paramref name="scores"/> for a buyer the model was trained on, with what the buyer
    /// already has at -∞. <paramref name="penalty"/> (0 or -∞ per product) may be empty.
    /// </summary>
    public static void ScoreBuyer(RecommenderModel model, int buyer, ReadOnlySpan<float> penalty, Span<float> scores)
    {
        model.Scorer.Score(buyer, model.Histories, scores);
        if (!penalty.IsEmpty)
            TensorPrimitives.Add(scores, penalty, scores);
        ExcludeOwned(model.BuyerProducts.RowIndices(buyer), scores);
    }

    public static void ExcludeOwned(ReadOnlySpan<int> owned, Span<float> scores)
    {
        foreach (var p in owned)
            scores[p] = float.NegativeInfinity;
    }
}
