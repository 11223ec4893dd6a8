namespace Recommender.Training.Synthetic;

/// <summary>Receives one buyer's products, distinct and oldest first; the span is reused after the call.</summary>
public delegate void BuyerHistorySink(int buyer, ReadOnlySpan<int> products);

/// <summary>What <see cref="SyntheticShop.Generate"/> produced.</summary>
public sealed record SyntheticShopSummary(int Buyers, int Products, long Interactions);

/// <summary>
/// Invents a shop's purchase histories with the shape of real ones, for benchmarks at sizes no
/// public data set has: product popularity is Zipf-like, buyer activity log-normal with a floor,
/// and buyers keep to a few favourite categories, so there is structure for a model to find.
/// </summary>
/// <remarks>
/// <para>
/// Products are ranked; rank r has weight 1/(r+1)^s (<see cref="SyntheticShopOptions.PopularityExponent"/>)
/// and a uniformly random category. A buyer draws 1–3 favourite categories with probability
/// proportional to their total weight, then each pick comes, with probability
/// <see cref="SyntheticShopOptions.CategoryShare"/>, from the current favourite (by weight within
/// it; the buyer moves to another favourite with probability 1 − <see cref="SyntheticShopOptions.StayInCategory"/>,
/// which gives sessions), otherwise from the whole catalogue. Because favourites are drawn by
/// category weight, the overall popularity of a product stays proportional to its own weight:
/// the taste structure does not bend the Zipf curve. A buyer never picks a product twice.
/// </para>
/// <para>
/// Buyer u makes m + ⌊S_u⌋ − ⌊S_(u−1)⌋ picks, where m is <see cref="SyntheticShopOptions.MinimumPerBuyer"/> and
/// S_u the running sum of log-normal weights scaled so that the total is exactly
/// <see cref="SyntheticShopOptions.Interactions"/> (less only if a buyer hits the cap of a quarter
/// of the catalogue). Product indices are numbered in order of first appearance, as in the
/// public data sets, so products nobody picked do not appear at all.
/// </para>
/// <para>
/// Every random choice comes from <see cref="SplitMix64"/> streams keyed by the seed and the
/// buyer, so a seed gives the same shop on every machine.
/// </para>
/// </remarks>
public static class SyntheticShop
{
    /// <summary>Failed draws of an already-picked product before falling back to a scan for a free one.</summary>
    private const int MaxRedraws = 64;

    private const long ActivityStream = -1;
    private const long CatalogueStream = -2;

    public static SyntheticShopSummary Generate(SyntheticShopOptions options, BuyerHistorySink onBuyer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(onBuyer);
        options.Validate();

        var picks = BuyerActivity(options);
        var catalogue = new Catalogue(options);

        // pickedBy[rank] = buyer + 1 when that buyer already has the product: no clearing between buyers.
        var pickedBy = new int[options.Items];
        var indexOfRank = new int[options.Items];
        Array.Fill(indexOfRank, -1);
        var products = 0;
        var interactions = 0L;
        var history = new int[picks.Length == 0 ? 0 : picks.Max()];
        Span<int> favourites = stackalloc int[3];
        for (var buyer = 0; buyer < options.Users; buyer++)
        {
            if ((buyer & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            var random = SplitMix64.For(options.Seed, buyer);
            var favouriteCount = 1 + random.NextInt(favourites.Length);
            for (var f = 0; f < favouriteCount; f++) favourites[f] = catalogue.SampleCategory(ref random);
            var current = favourites[0];

            var count = picks[buyer];
            for (var n = 0; n < count; n++)
            {
                var rank = -1;
                for (var attempt = 0; attempt < MaxRedraws && rank < 0; attempt++)
                {
                    int candidate;
                    if (random.NextDouble() < options.CategoryShare)
                    {
                        if (favouriteCount > 1 && random.NextDouble() >= options.StayInCategory)
                            current = favourites[random.NextInt(favouriteCount)];
                        candidate = catalogue.SampleInCategory(current, ref random);
                    }
                    else
                    {
                        candidate = catalogue.Sample(ref random);
                    }
                    if (pickedBy[candidate] != buyer + 1) rank = candidate;
                }
                if (rank < 0)
                {
                    // A heavy buyer has most of what they like: take the next free product.
                    rank = random.NextInt(options.Items);
                    while (pickedBy[rank] == buyer + 1) rank = rank + 1 == options.Items ? 0 : rank + 1;
                }
                pickedBy[rank] = buyer + 1;
                if (indexOfRank[rank] < 0) indexOfRank[rank] = products++;
                history[n] = indexOfRank[rank];
            }
            interactions += count;
            onBuyer(buyer, history.AsSpan(0, count));
        }
        return new SyntheticShopSummary(options.Users, products, interactions);
    }

    /// <summary>Picks per buyer: the floor plus a log-normal share of the rest, rounded so the total is exact.</summary>
    private static int[] BuyerActivity(SyntheticShopOptions options)
    {
        var random = SplitMix64.For(options.Seed, ActivityStream);
        var weights = new double[options.Users];
        var total = 0.0;
        for (var u = 0; u < weights.Length; u++)
        {
            weights[u] = Math.Exp(options.ActivitySigma * random.NextGaussian());
            total += weights[u];
        }
        var extra = options.Interactions - (long)options.MinimumPerBuyer * options.Users;
        var scale = total > 0 ? extra / total : 0;
        var cap = Math.Max(options.MinimumPerBuyer, options.Items / 4);
        var picks = new int[options.Users];
        var running = 0.0;
        var before = 0L;
        for (var u = 0; u < picks.Length; u++)
        {
            running += weights[u] * scale;
            var upTo = u == picks.Length - 1 ? extra : Math.Min(extra, (long)running);
            picks[u] = (int)Math.Min(cap, options.MinimumPerBuyer + (upTo - before));
            before = upTo;
        }
        return picks;
    }

    /// <summary>Product weights by rank, their categories, and an alias table for each way of drawing.</summary>
    private sealed class Catalogue
    {
        private readonly AliasTable _all;
        private readonly AliasTable _categories;
        private readonly AliasTable?[] _inCategory;
        private readonly int[][] _ranksInCategory;

        public Catalogue(SyntheticShopOptions options)
        {
            var random = SplitMix64.For(options.Seed, CatalogueStream);
            var categoryCount = options.EffectiveCategories;
            var weight = new double[options.Items];
            var category = new int[options.Items];
            var categoryWeight = new double[categoryCount];
            var categorySize = new int[categoryCount];
            for (var r = 0; r < weight.Length; r++)
            {
                weight[r] = Math.Pow(r + 1, -options.PopularityExponent);
                category[r] = random.NextInt(categoryCount);
                categoryWeight[category[r]] += weight[r];
                categorySize[category[r]]++;
            }
            _all = new AliasTable(weight);
            _categories = new AliasTable(categoryWeight);

            _ranksInCategory = new int[categoryCount][];
            for (var c = 0; c < categoryCount; c++) _ranksInCategory[c] = new int[categorySize[c]];
            var filled = new int[categoryCount];
            for (var r = 0; r < weight.Length; r++) _ranksInCategory[category[r]][filled[category[r]]++] = r;

            _inCategory = new AliasTable?[categoryCount];
            for (var c = 0; c < categoryCount; c++)
            {
                if (categorySize[c] == 0) continue; // weight 0: never a favourite
                var ranks = _ranksInCategory[c];
                var w = new double[ranks.Length];
                for (var n = 0; n < ranks.Length; n++) w[n] = weight[ranks[n]];
                _inCategory[c] = new AliasTable(w);
            }
        }

        public int Sample(ref SplitMix64 random) => _all.Sample(ref random);

        public int SampleCategory(ref SplitMix64 random) => _categories.Sample(ref random);

        public int SampleInCategory(int category, ref SplitMix64 random) =>
            _ranksInCategory[category][_inCategory[category]!.Sample(ref random)];
    }
}
