using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Artifacts;
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

    private RankingSources(IFittedModel item, IFittedModel? als, float[] popularity, float[] trending, long[] firstSeenTicks, long newestTicks)
    {
        Item = item;
        Als = als;
        Popularity = popularity;
        Trending = trending;
        FirstSeenTicks = firstSeenTicks;
        NewestTicks = newestTicks;
        PopularityOrder = Order(popularity);
        TrendingOrder = Order(trending);
    }

    /// <summary>The item-to-item model: the buyer's history scored, and "bought next" from the last item.</summary>
    public IFittedModel Item { get; }

    /// <summary>ALS, or null when the options leave it out.</summary>
    public IFittedModel? Als { get; }

    public float[] Popularity { get; }

    /// <summary>Log of the decayed interaction weight (−∞ for none): <see cref="TrendingScores"/> at the ranker's half-life.</summary>
    public float[] Trending { get; }

    /// <summary>Each product's first interaction (its age when the shop gives no listing date).</summary>
    public long[] FirstSeenTicks { get; }

    /// <summary>The newest interaction of the data the sources were fitted on: "now" for every feature, in training and serving alike.</summary>
    public long NewestTicks { get; }

    /// <summary>Products by descending popularity, then by trending: the buyer-independent sources' proposals.</summary>
    public int[] PopularityOrder { get; }

    public int[] TrendingOrder { get; }

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
        var item = new ItemKnnAlgorithm().Fit(histories, ItemOptions(options), cancellationToken);
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
            firstSeen, newest);
    }

    public void Write(ModelEntryWriter entries)
    {
        Item.Write(entries.Under("item/"));
        Als?.Write(entries.Under("als/"));
        entries.WriteArray<float>(PopularityEntry, Popularity);
        entries.WriteArray<float>(TrendingEntry, Trending);
        entries.WriteArray<long>(FirstSeenEntry, FirstSeenTicks);
        entries.WriteJson(ClockEntry, NewestTicks);
    }

    public static RankingSources Read(ModelEntryReader entries, RankerOptions options)
    {
        var item = new ItemKnnAlgorithm().Read(entries.Under("item/"), new ItemKnnAlgorithm().FormatVersion, ItemOptions(options));
        var als = options.AlsFactors > 0 ? new AlsAlgorithm().Read(entries.Under("als/"), 1, AlsOptionsFor(options)) : null;
        var products = entries.Products;
        return new RankingSources(item, als,
            entries.ReadArray<float>(PopularityEntry, products),
            entries.ReadArray<float>(TrendingEntry, products, allowNoScore: true),
            entries.ReadArray<long>(FirstSeenEntry, products),
            entries.ReadJson<long>(ClockEntry));
    }

    private static int[] Order(float[] scores)
    {
        var order = new int[scores.Length];
        for (var p = 0; p < order.Length; p++) order[p] = p;
        // Stable on index for ties, so proposals do not depend on the sort's whims.
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]) is var c && c != 0 ? c : a.CompareTo(b));
        return order;
    }
}
