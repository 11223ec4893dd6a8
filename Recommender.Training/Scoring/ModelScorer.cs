using Recommender.Training.Matrix;

namespace Recommender.Training.Scoring;

/// <summary>
/// Two small steps of ranking: a vector against every product's (how a factorization scores, in
/// serving and in evaluation alike), and, for offline evaluation, what a buyer already has set to
/// -∞ so top-k never picks it (serving keeps owned products out through its list mask instead).
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

    /// <summary>Sets the owned products' scores to -∞.</summary>
    public static void ExcludeOwned(ReadOnlySpan<int> owned, Span<float> scores)
    {
        foreach (var p in owned)
            scores[p] = float.NegativeInfinity;
    }
}
