using Recommender.Training.Data;

namespace Recommender.Training.Algorithms;

/// <summary>
/// The weight of each interaction in a buyer's profile: kind weight × 2^(−age / half-life),
/// age measured back from "now". Training and serving compute it the same way, so a buyer's
/// current history can be folded in at request time.
/// </summary>
public static class HistoryWeights
{
    /// <summary>
    /// Fills <paramref name="weights"/> for one buyer's interactions. A half-life of 0 or less
    /// turns decay off; interactions after <paramref name="nowTicks"/> count as new.
    /// </summary>
    public static void Compute(ReadOnlySpan<InteractionKind> kinds, ReadOnlySpan<long> createdAtTicks, InteractionWeights kindWeights,
        double halfLifeDays, long nowTicks, Span<float> weights)
    {
        ArgumentNullException.ThrowIfNull(kindWeights);
        if (kinds.Length != createdAtTicks.Length || weights.Length < kinds.Length)
            throw new ArgumentException("kinds, createdAtTicks and weights must have the same length.");
        for (var n = 0; n < kinds.Length; n++)
            weights[n] = kindWeights.WeightOf(kinds[n]);
        ApplyDecay(weights[..kinds.Length], createdAtTicks, halfLifeDays, nowTicks, weights);
    }

    /// <summary>result[n] = kindWeight[n] × 2^(−(now − t[n]) / half-life); result may alias kindWeight.</summary>
    public static void ApplyDecay(ReadOnlySpan<float> kindWeight, ReadOnlySpan<long> createdAtTicks, double halfLifeDays, long nowTicks, Span<float> result)
    {
        if (halfLifeDays <= 0)
        {
            kindWeight.CopyTo(result);
            return;
        }
        var perTick = 1.0 / (halfLifeDays * TimeSpan.TicksPerDay);
        for (var n = 0; n < kindWeight.Length; n++)
        {
            var age = Math.Max(0, nowTicks - createdAtTicks[n]);
            result[n] = (float)(kindWeight[n] * Math.Pow(2, -age * perTick));
        }
    }

    /// <summary>
    /// A history as a factorization trains on it: the distinct products, each with its summed
    /// kind weight × 2^(−age / half-life), age counted back from the latest interaction, exactly
    /// as <see cref="BuyerHistories.ToMatrix(double)"/> weights a training buyer's row.
    /// </summary>
    public static (int[] Products, float[] Weights) Summed(BuyerHistory history, double halfLifeDays)
    {
        ArgumentNullException.ThrowIfNull(history);
        var latest = 0L;
        foreach (var t in history.Ticks) latest = Math.Max(latest, t);
        var decayed = new float[history.Count];
        ApplyDecay(history.Weights, history.Ticks, halfLifeDays, latest, decayed);
        var sums = new SortedDictionary<int, float>();
        for (var n = 0; n < history.Count; n++)
            sums[history.Items[n]] = sums.GetValueOrDefault(history.Items[n]) + decayed[n];
        return ([.. sums.Keys], [.. sums.Values]);
    }
}
