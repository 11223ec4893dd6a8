namespace Recommender.Training.Evaluation;

/// <summary>
/// Hit rate and NDCG at 10 and 20 for one held-out item per buyer, averaged over the evaluated
/// buyers. With one relevant item the ideal DCG is 1, so NDCG@k = 1/log2(rank + 1) when the
/// item's rank (from 1) is within k, else 0.
/// </summary>
public sealed record RankingMetrics(int Users, double HitRate10, double Ndcg10, double HitRate20, double Ndcg20)
{
    /// <summary>The largest cut-off reported: rankers only need the top this many.</summary>
    public const int MaxCutoff = 20;

    public static double Ndcg(int rank, int cutoff) => rank >= 1 && rank <= cutoff ? 1.0 / Math.Log2(rank + 1) : 0;

    public static double Hit(int rank, int cutoff) => rank >= 1 && rank <= cutoff ? 1 : 0;

    /// <summary>Averages per-buyer ranks (0 = not within <see cref="MaxCutoff"/>).</summary>
    public static RankingMetrics FromRanks(ReadOnlySpan<int> ranks)
    {
        double hr10 = 0, ndcg10 = 0, hr20 = 0, ndcg20 = 0;
        foreach (var rank in ranks)
        {
            hr10 += Hit(rank, 10);
            ndcg10 += Ndcg(rank, 10);
            hr20 += Hit(rank, 20);
            ndcg20 += Ndcg(rank, 20);
        }
        var n = Math.Max(1, ranks.Length);
        return new RankingMetrics(ranks.Length, hr10 / n, ndcg10 / n, hr20 / n, ndcg20 / n);
    }
}
