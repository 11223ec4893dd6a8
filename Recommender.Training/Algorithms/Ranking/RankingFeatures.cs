using System.Buffers;
using Recommender.Training.Scoring;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// Candidates and their features for one buyer: the one code path of training rows and of
/// serving, so the ranker sees in production exactly what it learned from. Every source
/// proposes its best <see cref="RankerOptions.CandidatesPerSource"/> products the buyer does not
/// have; each candidate then carries every source's score and rank, sources that did not
/// propose it giving a sentinel (<see cref="NoRank"/>, <see cref="NoScore"/>).
/// </summary>
internal static class RankingFeatures
{
    /// <summary>The rank of a candidate a source did not propose.</summary>
    public const float NoRank = 1000;

    /// <summary>The score of a candidate a source has no score for.</summary>
    public const float NoScore = -100;

    /// <summary>The feature columns, in order (the manifest lists them with their importance).</summary>
    public static readonly string[] Names =
    [
        "item_score", "item_rank", "item_score_to_best",
        "als_score", "als_rank", "als_score_to_best",
        "last_item_score", "last_item_rank",
        "popularity", "popularity_rank",
        "trending", "trending_rank",
        "sources",
        "history_length", "days_since_last", "product_age_days",
    ];

    public static int Count => Names.Length;

    /// <summary>
    /// Fills <paramref name="candidates"/> with the buyer's candidates and <paramref name="features"/>
    /// (row-major, <see cref="Count"/> per candidate) with theirs; returns how many.
    /// </summary>
    public static int Compute(RankingSources sources, RankedProfile profile, int perSource, Span<int> candidates, Span<float> features)
    {
        var products = sources.Products;
        var history = profile.History;
        var pool = ArrayPool<float>.Shared;
        var itemScores = pool.Rent(products);
        var alsScores = sources.Als is null ? null : pool.Rent(products);
        var lastScores = pool.Rent(products);
        var best = ArrayPool<int>.Shared.Rent(perSource);
        var rankOf = ArrayPool<float>.Shared.Rent(5 * MaxCandidates(perSource));
        try
        {
            var count = 0;
            var owned = history.Owned;

            // Item-to-item over the whole history.
            var item = itemScores.AsSpan(0, products);
            sources.Item.Score(profile.Item, item);
            ModelScorer.ExcludeOwned(owned, item);
            var itemFound = TopK.Select(item, best.AsSpan(0, perSource));
            var itemBest = itemFound > 0 ? item[best[0]] : 0f;
            count = Propose(best.AsSpan(0, itemFound), candidates, count, rankOf, 0);

            // ALS.
            var alsBest = 0f;
            if (alsScores is not null)
            {
                var als = alsScores.AsSpan(0, products);
                sources.Als!.Score(profile.Als!, als);
                ModelScorer.ExcludeOwned(owned, als);
                var alsFound = TopK.Select(als, best.AsSpan(0, perSource));
                alsBest = alsFound > 0 ? als[best[0]] : 0f;
                count = Propose(best.AsSpan(0, alsFound), candidates, count, rankOf, 1);
            }

            // What follows the last item.
            var last = lastScores.AsSpan(0, products);
            var hasLast = history.Count > 0 && sources.Item.SimilarItems(history.Items[^1], last);
            if (hasLast)
            {
                ModelScorer.ExcludeOwned(owned, last);
                var lastFound = TopK.Select(last, best.AsSpan(0, perSource));
                count = Propose(best.AsSpan(0, lastFound), candidates, count, rankOf, 2);
            }

            // The buyer-independent orders, owned products skipped.
            count = ProposeInOrder(sources.PopularityOrder, sources.Popularity, owned, perSource, candidates, count, rankOf, 3);
            count = ProposeInOrder(sources.TrendingOrder, sources.Trending, owned, perSource, candidates, count, rankOf, 4);

            var lastTicks = history.Count > 0 ? history.Ticks[^1] : sources.NewestTicks;
            var daysSinceLast = (float)((sources.NewestTicks - lastTicks) / (double)TimeSpan.TicksPerDay);
            for (var c = 0; c < count; c++)
            {
                var p = candidates[c];
                var row = features.Slice(c * Count, Count);
                var ranks = rankOf.AsSpan(c * 5, 5);
                var itemScore = item[p];
                row[0] = float.IsNegativeInfinity(itemScore) ? NoScore : itemScore;
                row[1] = ranks[0];
                row[2] = float.IsNegativeInfinity(itemScore) || itemBest <= 0 ? NoScore : itemScore / itemBest;
                row[3] = alsScores is null ? NoScore : alsScores[p];
                row[4] = ranks[1];
                row[5] = alsScores is null ? NoScore : alsScores[p] - alsBest;
                row[6] = hasLast && !float.IsNegativeInfinity(last[p]) ? last[p] : NoScore;
                row[7] = ranks[2];
                row[8] = MathF.Log(1 + sources.Popularity[p]);
                row[9] = ranks[3];
                row[10] = float.IsNegativeInfinity(sources.Trending[p]) ? NoScore : sources.Trending[p];
                row[11] = ranks[4];
                var proposedBy = 0;
                foreach (var rank in ranks) if (rank != NoRank) proposedBy++;
                row[12] = proposedBy;
                row[13] = history.Count;
                row[14] = daysSinceLast;
                row[15] = (float)((sources.NewestTicks - sources.FirstSeenTicks[p]) / (double)TimeSpan.TicksPerDay);
            }
            return count;
        }
        finally
        {
            pool.Return(itemScores);
            if (alsScores is not null) pool.Return(alsScores);
            pool.Return(lastScores);
            ArrayPool<int>.Shared.Return(best);
            ArrayPool<float>.Shared.Return(rankOf);
        }
    }

    /// <summary>The most candidates one buyer can have: every source's full proposal, none shared.</summary>
    public static int MaxCandidates(int perSource) => 5 * perSource;

    /// <summary>Adds a source's proposals (best first) to the candidates, recording each one's rank under that source.</summary>
    private static int Propose(ReadOnlySpan<int> proposals, Span<int> candidates, int count, float[] rankOf, int source)
    {
        for (var r = 0; r < proposals.Length; r++)
        {
            var at = candidates[..count].IndexOf(proposals[r]);
            if (at < 0)
            {
                at = count++;
                candidates[at] = proposals[r];
                rankOf.AsSpan(at * 5, 5).Fill(NoRank);
            }
            rankOf[at * 5 + source] = r + 1;
        }
        return count;
    }

    private static int ProposeInOrder(int[] order, float[] scores, ReadOnlySpan<int> owned, int perSource, Span<int> candidates, int count, float[] rankOf, int source)
    {
        Span<int> taken = stackalloc int[Math.Min(perSource, 1024)];
        var n = 0;
        foreach (var p in order)
        {
            if (n == taken.Length || float.IsNegativeInfinity(scores[p])) break;
            if (owned.BinarySearch(p) >= 0) continue;
            taken[n++] = p;
        }
        return Propose(taken[..n], candidates, count, rankOf, source);
    }
}
