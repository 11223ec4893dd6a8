using Recommender.Training.Data;

namespace Recommender.Training.Scoring;

/// <summary>
/// How much each product is wanted lately: every interaction counts its kind's weight, halved
/// for every <c>halfLife</c> of age. Computed as a logarithm relative to the newest interaction,
/// log Σ wᵢ·2^(−ageᵢ/h), so that years-old interactions under a short half-life neither
/// underflow to ties at zero nor overflow. Exponential decay shrinks every product's score by
/// the same factor as time passes, so the ranking stays exact until new interactions arrive.
/// </summary>
public static class TrendingScores
{
    /// <summary>One log-score per product of the log; -∞ for a product with no weighted interaction.</summary>
    public static float[] Compute(InteractionLog log, InteractionWeights weights, TimeSpan halfLife)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(halfLife, TimeSpan.Zero);
        var products = log.ProductIndices;
        var kinds = log.Kinds;
        var ticks = log.CreatedAtTicks;
        var newest = 0L;
        foreach (var t in ticks) newest = Math.Max(newest, t);

        // exponentᵢ = ln wᵢ − ln2·ageᵢ/h; per product: log-sum-exp in two passes.
        var decayPerTick = Math.Log(2) / halfLife.Ticks;
        var logWeight = new[] { Math.Log(weights.Order), Math.Log(weights.Cart), Math.Log(weights.Wishlist) };
        var exponents = new double[products.Length];
        var maxExponent = new double[log.Products.Count];
        Array.Fill(maxExponent, double.NegativeInfinity);
        for (var n = 0; n < products.Length; n++)
        {
            exponents[n] = logWeight[(int)kinds[n]] - decayPerTick * (newest - ticks[n]);
            maxExponent[products[n]] = Math.Max(maxExponent[products[n]], exponents[n]);
        }

        var sums = new double[log.Products.Count];
        for (var n = 0; n < products.Length; n++)
        {
            var p = products[n];
            if (!double.IsNegativeInfinity(maxExponent[p]))
                sums[p] += Math.Exp(exponents[n] - maxExponent[p]);
        }

        var scores = new float[log.Products.Count];
        for (var p = 0; p < scores.Length; p++)
            scores[p] = sums[p] > 0 ? (float)(maxExponent[p] + Math.Log(sums[p])) : float.NegativeInfinity;
        return scores;
    }
}
