using System.Collections.Concurrent;
using Recommender.Training.Algorithms;
using Recommender.Training.Scoring;

namespace Recommender.Training.Evaluation;

/// <summary>
/// Ranks every product for every evaluated buyer through the model contract serving uses
/// (<see cref="IFittedModel.Score(BuyerProfile, Span{float}, bool)"/>), their training products excluded (<see cref="ModelScorer.ExcludeOwned"/>),
/// with the same <see cref="TopK"/>, in parallel over buyers, and finds where the held-out items
/// landed. No evaluated buyer: all metrics 0.
/// </summary>
public static class Evaluator
{
    private const int BuyersPerChunk = 256;

    public static RankingMetrics Evaluate(IFittedModel model, HoldoutSplit split, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        var train = split.Train;
        var buyers = new List<int>();
        for (var b = 0; b < split.HeldOut.Length; b++)
            if (split.HeldOut[b] >= 0) buyers.Add(b);
        // One rank per held-out item, grouped by buyer (one item each unless the split has baskets).
        var rankStart = new int[buyers.Count + 1];
        for (var n = 0; n < buyers.Count; n++) rankStart[n + 1] = rankStart[n] + split.HeldOutItemsOf(buyers[n]).Length;
        var ranks = new int[rankStart[^1]];
        if (buyers.Count == 0) return RankingMetrics.FromBaskets(ranks, rankStart);
        Parallel.ForEach(
            Partitioner.Create(0, buyers.Count, BuyersPerChunk),
            new ParallelOptions
            {
                MaxDegreeOfParallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount,
                CancellationToken = cancellationToken,
            },
            () => (Scores: new float[train.Items], Best: new int[RankingMetrics.MaxCutoff]),
            (range, _, scratch) =>
            {
                for (var n = range.Item1; n < range.Item2; n++)
                {
                    var buyer = buyers[n];
                    model.Score(model.ProfileOf(buyer, train), scratch.Scores, rankEverything: true);
                    ModelScorer.ExcludeOwned(train.ItemsOf(buyer), scratch.Scores);
                    var found = TopK.Select(scratch.Scores, scratch.Best);
                    var heldOut = split.HeldOutItemsOf(buyer);
                    for (var i = 0; i < heldOut.Length; i++)
                        ranks[rankStart[n] + i] = scratch.Best.AsSpan(0, found).IndexOf(heldOut[i]) + 1;    // 0 when not in the top MaxCutoff
                }
                return scratch;
            },
            _ => { });
        return RankingMetrics.FromBaskets(ranks, rankStart);
    }
}
