using System.Collections.Concurrent;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Training.Algorithms.ItemToItem;

/// <summary>
/// Item-to-item nearest neighbours with shrinkage and an optional transition ("b follows a")
/// bonus, fitted from time-ordered buyer histories.
/// </summary>
/// <remarks>
/// <para>
/// co(a, b) sums, over every buyer who has both, kind weight(a) × kind weight(b) × (1 + τ·d^(gap−1))
/// for b after a (the bonus scaled by <see cref="ItemKnnOptions.BackwardShare"/> when b came before).
/// The similarity is the asymmetric cosine of Aiolli, "Efficient top-n recommendation for very
/// large scale binary rated datasets" (RecSys 2013), with a shrinkage term in the denominator as
/// in Koren's neighbourhood models: sim(a→b) = co(a,b) / (n_a^α · n_b^(1−α) + shrinkage), where
/// n_a is the summed weight of a's interactions. Only the best <see cref="ItemKnnOptions.Neighbours"/>
/// of each row are kept. With τ = 0 it is the classic item-kNN of Sarwar et al. (WWW 2001);
/// τ &gt; 0 adds the first-order sequential signal that Markov-chain recommenders use.
/// </para>
/// <para>
/// The fit is parallel over products (each row is computed by one thread from the buyers who
/// have it), so results do not depend on the thread count.
/// </para>
/// </remarks>
public static class ItemKnn
{
    private const int ItemsPerChunk = 32;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; checked between chunks of products.</exception>
    public static ItemKnnModel Fit(BuyerHistories histories, ItemKnnOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var items = histories.Items;

        // Which buyer each entry belongs to, and every item's entries (positions in the flat arrays).
        var buyerOf = new int[histories.Count];
        for (var b = 0; b < histories.Buyers; b++)
            buyerOf.AsSpan(histories.RowStart[b], histories.Length(b)).Fill(b);
        var entryStart = new int[items + 1];
        foreach (var item in histories.ItemIndices) entryStart[item + 1]++;
        for (var i = 0; i < items; i++) entryStart[i + 1] += entryStart[i];
        var entries = new int[histories.Count];
        var next = entryStart[..items];
        for (var e = 0; e < histories.Count; e++)
            entries[next[histories.ItemIndices[e]]++] = e;

        var weights = TrainingWeights(histories, options.TrainingHalfLifeDays);
        var mass = new float[items];
        for (var e = 0; e < weights.Length; e++) mass[histories.ItemIndices[e]] += weights[e];
        var popularity = (float[])mass.Clone();

        // Transition bonus by gap: bonus[g] for b exactly g positions after a (g ≥ 1).
        var maxGap = options.MaxPairDistance;
        var forward = new float[maxGap + 1];
        var backward = new float[maxGap + 1];
        for (var g = 1; g <= maxGap; g++)
        {
            var bonus = options.TransitionWeight * MathF.Pow(options.TransitionDecay, g - 1);
            forward[g] = 1 + bonus;
            backward[g] = 1 + options.BackwardShare * bonus;
        }

        var rowIndices = new int[items][];
        var rowValues = new float[items][];
        var alpha = options.Alpha;
        var k = options.Neighbours;
        if (items > 0) Parallel.ForEach(
            Partitioner.Create(0, items, ItemsPerChunk),
            new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism, CancellationToken = cancellationToken },
            () => new RowScratch(items, k),
            (range, _, scratch) =>
            {
                for (var a = range.Item1; a < range.Item2; a++)
                {
                    var touched = 0;
                    var acc = scratch.Accumulator;
                    for (var n = entryStart[a]; n < entryStart[a + 1]; n++)
                    {
                        var e = entries[n];
                        var buyer = buyerOf[e];
                        var wa = weights[e];
                        var from = Math.Max(histories.RowStart[buyer], e - maxGap);
                        var to = Math.Min(histories.RowStart[buyer + 1], e + maxGap + 1);
                        for (var f = from; f < to; f++)
                        {
                            var c = histories.ItemIndices[f];
                            if (c == a) continue;
                            var pair = wa * weights[f] * (f > e ? forward[f - e] : backward[e - f]);
                            // A zero weight (a kind weighted 0, an old entry decayed to 0) is no evidence:
                            // counting it would mark c touched again on every visit while acc[c] stays 0.
                            if (pair == 0) continue;
                            if (acc[c] == 0) scratch.Touched[touched++] = c;
                            acc[c] += pair;
                        }
                    }
                    (rowIndices[a], rowValues[a]) = KeepBest(a, touched, mass, alpha, options.Shrinkage, scratch);
                }
                return scratch;
            },
            _ => { });

        var rowStart = new int[items + 1];
        for (var a = 0; a < items; a++) rowStart[a + 1] = rowStart[a] + rowIndices[a].Length;
        var indices = new int[rowStart[items]];
        var values = new float[indices.Length];
        for (var a = 0; a < items; a++)
        {
            rowIndices[a].CopyTo(indices, rowStart[a]);
            rowValues[a].CopyTo(values, rowStart[a]);
        }
        return new ItemKnnModel(new CsrMatrix(items, items, rowStart, indices, values), popularity, options);
    }

    /// <summary>
    /// Per-entry training weights: kind weight × recency decay relative to the buyer's latest
    /// interaction, so a buyer's old habits shape the similarities less than their recent ones.
    /// </summary>
    private static float[] TrainingWeights(BuyerHistories histories, double halfLifeDays)
    {
        var weights = new float[histories.Count];
        for (var b = 0; b < histories.Buyers; b++)
        {
            var ticks = histories.TicksOf(b);
            if (ticks.IsEmpty) continue;
            HistoryWeights.ApplyDecay(histories.WeightsOf(b), ticks, halfLifeDays, ticks[^1],
                weights.AsSpan(histories.RowStart[b], ticks.Length));
        }
        return weights;
    }

    private static (int[] Indices, float[] Values) KeepBest(int a, int touched, float[] mass, float alpha, float shrinkage, RowScratch scratch)
    {
        var acc = scratch.Accumulator;
        var candidates = scratch.Candidates.AsSpan(0, touched);
        var left = MathF.Pow(mass[a], alpha);
        for (var t = 0; t < touched; t++)
        {
            var c = scratch.Touched[t];
            candidates[t] = acc[c] / (left * MathF.Pow(mass[c], 1 - alpha) + shrinkage);
        }
        var best = scratch.Best.AsSpan(0, Math.Min(scratch.Best.Length, touched));
        var kept = TopK.Select(candidates, best);
        var indices = new int[kept];
        var values = new float[kept];
        for (var n = 0; n < kept; n++)
        {
            indices[n] = scratch.Touched[best[n]];
            values[n] = candidates[best[n]];
        }
        Array.Sort(indices, values);
        for (var t = 0; t < touched; t++) acc[scratch.Touched[t]] = 0;
        return (indices, values);
    }

    private sealed class RowScratch(int items, int neighbours)
    {
        public readonly float[] Accumulator = new float[items];
        public readonly int[] Touched = new int[items];
        public readonly float[] Candidates = new float[items];
        public readonly int[] Best = new int[Math.Min(neighbours, items)];
    }
}
