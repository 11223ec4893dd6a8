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
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(weights);
        var kindWeight = new[] { weights.Order, weights.Cart, weights.Wishlist };
        var kinds = log.Kinds;
        var rowWeights = new float[kinds.Length];
        for (var n = 0; n < kinds.Length; n++) rowWeights[n] = kindWeight[(int)kinds[n]];
        return Compute(log.ProductIndices, rowWeights, log.CreatedAtTicks, log.Products.Count, halfLife);
    }

    /// <summary>The same over any interactions: the product, weight and time of each.</summary>
    public static float[] Compute(ReadOnlySpan<int> products, ReadOnlySpan<float> weights, ReadOnlySpan<long> ticks, int productCount, TimeSpan halfLife)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(halfLife, TimeSpan.Zero);
        var newest = 0L;
        foreach (var t in ticks) newest = Math.Max(newest, t);

        // exponentᵢ = ln wᵢ − ln2·ageᵢ/h; per product: log-sum-exp in two passes.
        var decayPerTick = Math.Log(2) / halfLife.Ticks;
        var exponents = new double[products.Length];
        var maxExponent = new double[productCount];
        Array.Fill(maxExponent, double.NegativeInfinity);
        for (var n = 0; n < products.Length; n++)
        {
            exponents[n] = Math.Log(weights[n]) - decayPerTick * (newest - ticks[n]);
            maxExponent[products[n]] = Math.Max(maxExponent[products[n]], exponents[n]);
        }

        var sums = new double[productCount];
        for (var n = 0; n < products.Length; n++)
        {
            var p = products[n];
            if (!double.IsNegativeInfinity(maxExponent[p]))
                sums[p] += Math.Exp(exponents[n] - maxExponent[p]);
        }

        var scores = new float[productCount];
        for (var p = 0; p < scores.Length; p++)
            scores[p] = sums[p] > 0 ? (float)(maxExponent[p] + Math.Log(sums[p])) : float.NegativeInfinity;
        return scores;
    }
}
