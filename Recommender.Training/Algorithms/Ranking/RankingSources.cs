using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;
using Recommender.Training.Scoring;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// The cheap models that propose candidates to the ranker, fitted on one set of histories, and
/// what is known of each product across all buyers: its popularity, how much it is wanted lately
/// (trending) and when it was first seen. Immutable once built.
/// </summary>
internal sealed class RankingSources
{
    private const string PopularityEntry = "popularity.f32";
    private const string TrendingEntry = "trending.f32";
    private const string FirstSeenEntry = "firstseen.i64";
    private const string ClockEntry = "clock.json";

    private const string ContentFolder = "content/";

    private RankingSources(ItemKnnModel item, IFittedModel? als, float[] popularity, float[] trending, long[] firstSeenTicks, long newestTicks,
        ProductContent content)
    {
        Content = content;
        Item = item;
        Als = als;
        Popularity = popularity;
        Trending = trending;
        FirstSeenTicks = firstSeenTicks;
        NewestTicks = newestTicks;
        PopularityOrder = Order(popularity);
        TrendingOrder = Order(trending);
        CategoryOrder = ByCategory(content, PopularityOrder);
        (NextStart, NextOrder) = BestNeighbours(item, MaxNextProposals);
    }

    /// <summary>The most "after the last item" proposals kept per product, owned ones included.</summary>
    public const int MaxNextProposals = 64;

    /// <summary>The item-to-item model: the buyer's history scored, and "bought next" from the last item.</summary>
    public ItemKnnModel Item { get; }

    /// <summary>ALS, or null when the options leave it out.</summary>
    public IFittedModel? Als { get; }

    public float[] Popularity { get; }

    /// <summary>Log of the decayed interaction weight (−∞ for none): <see cref="TrendingScores"/> at the ranker's half-life.</summary>
    public float[] Trending { get; }

    /// <summary>Each product's first interaction (its age when the shop gives no listing date).</summary>
    public long[] FirstSeenTicks { get; }

    /// <summary>The newest interaction of the data the sources were fitted on: "now" for every feature, in training and serving alike.</summary>
    public long NewestTicks { get; }

    /// <summary>Products by descending popularity, and those with a trending score by descending trending: the buyer-independent sources' proposals.</summary>
    public int[] PopularityOrder { get; }

    public int[] TrendingOrder { get; }

    /// <summary>What the shop says of each product (all unknown for a benchmark file).</summary>
    public ProductContent Content { get; }

    /// <summary>
    /// Each product's best neighbours in the item source, most similar first: product p's are
    /// <c>NextOrder[NextStart[p]..NextStart[p + 1]]</c>, at most <see cref="MaxNextProposals"/>.
    /// Sorted once here, so "after the last item" proposes by walking a list, not by ranking the row on every request.
    /// </summary>
    public int[] NextStart { get; }

    public int[] NextOrder { get; }

    /// <summary>Each category's products by descending popularity: the content source's proposals.</summary>
    public int[][] CategoryOrder { get; }

    public int Products => Popularity.Length;

    public static ItemKnnOptions ItemOptions(RankerOptions options) => new()
    {
        HalfLifeDays = options.ItemHalfLifeDays,
        TransitionWeight = options.ItemTransitionWeight,
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
    };

    /// <summary>The tuned ALS of docs/quality.md (λ 10, α 40, half-life 2 days) at the ranker's size.</summary>
    public static AlsOptions AlsOptionsFor(RankerOptions options) => new()
    {
        Factors = Math.Max(options.AlsFactors, 1),
        Regularization = 10,
        Alpha = 40,
        HalfLifeDays = 2,
        Seed = options.Seed,
        MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
    };

    public static RankingSources Fit(BuyerHistories histories, RankerOptions options, CancellationToken cancellationToken)
    {
        var item = (ItemKnnModel)new ItemKnnAlgorithm().Fit(histories, ItemOptions(options), cancellationToken);
        var als = options.AlsFactors > 0 ? new AlsAlgorithm().Fit(histories, AlsOptionsFor(options), cancellationToken) : null;
        var newest = 0L;
        var firstSeen = new long[histories.Items];
        Array.Fill(firstSeen, long.MaxValue);
        for (var n = 0; n < histories.Count; n++)
        {
            newest = Math.Max(newest, histories.Ticks[n]);
            var p = histories.ItemIndices[n];
            firstSeen[p] = Math.Min(firstSeen[p], histories.Ticks[n]);
        }
        for (var p = 0; p < firstSeen.Length; p++)
            if (firstSeen[p] == long.MaxValue) firstSeen[p] = newest;
        return new RankingSources(item, als, PopularityAlgorithm.ColumnSums(histories.ToMatrix()),
            TrendingScores.Compute(histories.ItemIndices, histories.Weights, histories.Ticks, histories.Items, TimeSpan.FromDays(options.TrendingHalfLifeDays)),
            firstSeen, newest, histories.Content ?? ProductContent.None(histories.Items));
    }

    public void Write(ModelEntryWriter entries)
    {
        Item.Write(entries.Under("item/"));
        Als?.Write(entries.Under("als/"));
        entries.WriteArray<float>(PopularityEntry, Popularity);
        entries.WriteArray<float>(TrendingEntry, Trending);
        entries.WriteArray<long>(FirstSeenEntry, FirstSeenTicks);
        entries.WriteJson(ClockEntry, NewestTicks);
        Content.Write(entries.Under(ContentFolder));
    }

    public static RankingSources Read(ModelEntryReader entries, RankerOptions options)
    {
        var item = (ItemKnnModel)new ItemKnnAlgorithm().Read(entries.Under("item/"), new ItemKnnAlgorithm().FormatVersion, ItemOptions(options));
        var als = options.AlsFactors > 0 ? new AlsAlgorithm().Read(entries.Under("als/"), 1, AlsOptionsFor(options)) : null;
        var products = entries.Products;
        return new RankingSources(item, als,
            entries.ReadArray<float>(PopularityEntry, products),
            entries.ReadArray<float>(TrendingEntry, products, allowNoScore: true),
            entries.ReadArray<long>(FirstSeenEntry, products),
            entries.ReadJson<long>(ClockEntry),
            ProductContent.Read(entries.Under(ContentFolder)));
    }

    private static (int[] Start, int[] Order) BestNeighbours(ItemKnnModel item, int keep)
    {
        var start = new int[item.Products + 1];
        for (var p = 0; p < item.Products; p++) start[p + 1] = start[p] + Math.Min(keep, item.Similarities.RowLength(p));
        var order = new int[start[^1]];
        Span<int> best = stackalloc int[keep];
        for (var p = 0; p < item.Products; p++)
        {
            var (neighbours, similarities) = item.Neighbours(p);
            // Most similar first, ties to the lower product (a row is sorted by product).
            var found = TopK.Select(similarities.Span, best[..(start[p + 1] - start[p])]);
            if (found != start[p + 1] - start[p]) throw new InvalidDataException($"Product {p} has a similarity that is not a number.");
            for (var n = 0; n < found; n++) order[start[p] + n] = neighbours.Span[best[n]];
        }
        return (start, order);
    }

    private static int[][] ByCategory(ProductContent content, int[] popularityOrder)
    {
        var lists = Enumerable.Range(0, content.Categories).Select(_ => new List<int>()).ToArray();
        foreach (var p in popularityOrder)
            if (content.Category[p] >= 0) lists[content.Category[p]].Add(p);
        return [.. lists.Select(list => list.ToArray())];
    }

    /// <summary>The products with a score (not −∞), best first.</summary>
    private static int[] Order(float[] scores)
    {
        var order = Enumerable.Range(0, scores.Length).Where(p => !float.IsNegativeInfinity(scores[p])).ToArray();
        // Stable on index for ties, so proposals do not depend on the sort's whims.
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }
}
