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

    /// <summary>
    /// Averages over buyers with several relevant items (a basket): the ranks of buyer n's items
    /// are <c>ranks[start[n]..start[n+1]]</c> (0 = not within <see cref="MaxCutoff"/>). A hit is
    /// any of them within k; NDCG@k is DCG over the ideal DCG of min(items, k) items at the top.
    /// With one item per buyer this is exactly <see cref="FromRanks"/>.
    /// </summary>
    public static RankingMetrics FromBaskets(ReadOnlySpan<int> ranks, ReadOnlySpan<int> start)
    {
        double hr10 = 0, ndcg10 = 0, hr20 = 0, ndcg20 = 0;
        var buyers = start.Length - 1;
        for (var n = 0; n < buyers; n++)
        {
            var basket = ranks[start[n]..start[n + 1]];
            hr10 += BasketHit(basket, 10);
            ndcg10 += BasketNdcg(basket, 10);
            hr20 += BasketHit(basket, 20);
            ndcg20 += BasketNdcg(basket, 20);
        }
        var users = Math.Max(0, buyers);
        var divisor = Math.Max(1, users);
        return new RankingMetrics(users, hr10 / divisor, ndcg10 / divisor, hr20 / divisor, ndcg20 / divisor);
    }

    private static double BasketHit(ReadOnlySpan<int> ranks, int cutoff)
    {
        foreach (var rank in ranks)
            if (Hit(rank, cutoff) > 0) return 1;
        return 0;
    }

    private static double BasketNdcg(ReadOnlySpan<int> ranks, int cutoff)
    {
        if (ranks.Length <= 1) return ranks.IsEmpty ? 0 : Ndcg(ranks[0], cutoff);    // the ideal DCG of one item is 1
        double dcg = 0, ideal = 0;
        foreach (var rank in ranks) dcg += Ndcg(rank, cutoff);
        for (var i = 1; i <= Math.Min(ranks.Length, cutoff); i++) ideal += Ndcg(i, cutoff);
        return dcg / ideal;
    }
}
