using Recommender.Training.Data;
using Recommender.Training.Scoring;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// Candidates and their features for one buyer: the one code path of training rows and of
/// serving, so the ranker sees in production exactly what it learned from. The item-to-item
/// model and what follows the last item each propose their best
/// <see cref="RankerOptions.CandidatesPerSource"/> products the buyer does not have, popularity
/// and trending their best <see cref="RankerOptions.PopularCandidates"/>, and the categories of
/// the buyer's last few products their most popular <see cref="RankerOptions.ContentCandidates"/>;
/// each candidate then carries every source's score and rank, sources that did not propose it
/// giving a sentinel (<see cref="NoRank"/>, <see cref="NoScore"/>), and how it compares with
/// the buyer's history on what the shop says of products (<see cref="ProductContent"/>: absent
/// columns are <see cref="NoScore"/> throughout). ALS scores the candidates but proposes none:
/// ranking the whole catalogue with it costs more than everything else a request does, and on
/// the check buyers its order was the weakest of the personal sources.
/// </summary>
internal static class RankingFeatures
{
    /// <summary>The rank of a candidate a source did not propose.</summary>
    public const float NoRank = 1000;

    /// <summary>The score of a candidate a source has no score for, or a feature the shop gives nothing for.</summary>
    public const float NoScore = -100;

    /// <summary>The buyer's products that content features compare a candidate with: the latest this many.</summary>
    public const int RecentHistory = 50;

    /// <summary>The buyer's products whose categories propose candidates: the latest this many.</summary>
    public const int CategoryAnchors = 3;

    /// <summary>The sources that propose, in the order of their rank columns.</summary>
    public const int Proposers = 5;
    private const int ItemSource = 0, LastSource = 1, PopularitySource = 2, TrendingSource = 3, CategorySource = 4;

    /// <summary>The feature columns, in order (the manifest lists them with their importance).</summary>
    public static readonly string[] Names =
    [
        "item_score", "item_rank", "item_score_to_best",
        "als_score", "als_rank", "als_score_to_best",
        "last_item_score", "last_item_rank",
        "popularity", "popularity_rank",
        "trending", "trending_rank",
        "category_rank",
        "sources",
        "history_length", "days_since_last", "product_age_days",
        "category_share", "seller_share", "same_category_as_last", "price_to_usual",
        "rating", "review_count", "discount",
    ];

    /// <summary>The columns holding each source's rank: a source's own order of the candidates is by its rank.</summary>
    public static readonly (string Source, int Column)[] RankColumns =
        [("item", 1), ("als", 4), ("last_item", 7), ("popularity", 9), ("trending", 11), ("category", 12)];

    public static int Count => Names.Length;

    /// <summary>The most candidates one buyer can have: every source's full proposal, none shared.</summary>
    public static int MaxCandidates(RankerOptions options) =>
        2 * options.CandidatesPerSource + 2 * options.PopularCandidates + options.ContentCandidates;

    /// <summary>
    /// Fills <paramref name="candidates"/> with the buyer's candidates and <paramref name="features"/>
    /// (row-major, <see cref="Count"/> per candidate) with theirs; returns how many.
    /// </summary>
    public static int Compute(RankingSources sources, RankedProfile profile, RankerOptions options, Span<int> candidates, Span<float> features)
    {
        var products = sources.Products;
        var scratch = RankingScratch.For(products, options);
        var perSource = options.CandidatesPerSource;
        var history = profile.History;
        var owned = history.Owned;
        var rankOf = scratch.RankOf;

        // Item-to-item over the whole history.
        var item = scratch.ItemScores.AsSpan(0, products);
        sources.Item.Score(profile.Item, item);
        ModelScorer.ExcludeOwned(owned, item);
        var best = scratch.Best.AsSpan(0, perSource);
        var itemFound = TopK.Select(item, best);
        var itemBest = scratch.ItemBest = itemFound > 0 ? item[best[0]] : 0f;
        var count = Propose(best[..itemFound], candidates, 0, rankOf, ItemSource);

        // What follows the last item: its most similar products, sorted when the sources were built.
        if (history.Count > 0)
        {
            var last = history.Items[^1];
            var proposals = sources.NextOrder.AsSpan(sources.NextStart[last], sources.NextStart[last + 1] - sources.NextStart[last]);
            count = ProposeInOrder(proposals, owned, perSource, candidates, count, rankOf, LastSource);
        }

        // The buyer-independent orders and the recent categories' best sellers, owned products skipped.
        count = ProposeInOrder(sources.PopularityOrder, owned, options.PopularCandidates, candidates, count, rankOf, PopularitySource);
        count = ProposeInOrder(sources.TrendingOrder, owned, options.PopularCandidates, candidates, count, rankOf, TrendingSource);
        count = ProposeFromCategories(sources, history, options.ContentCandidates, candidates, count, rankOf);

        var alsScores = scratch.AlsScores.AsSpan(0, count);
        var alsRanks = scratch.AlsRanks.AsSpan(0, count);
        var alsBest = ScoreWithAls(sources, profile, candidates[..count], alsScores, alsRanks);
        var buyer = new BuyerContent(sources, history);
        for (var c = 0; c < count; c++)
        {
            var p = candidates[c];
            var row = features.Slice(c * Count, Count);
            var ranks = rankOf.AsSpan(c * Proposers, Proposers);
            var itemScore = item[p];
            row[0] = float.IsNegativeInfinity(itemScore) ? NoScore : itemScore;
            row[1] = ranks[ItemSource];
            row[2] = float.IsNegativeInfinity(itemScore) || itemBest <= 0 ? NoScore : itemScore / itemBest;
            row[3] = sources.Als is null ? NoScore : alsScores[c];
            row[4] = sources.Als is null ? NoRank : alsRanks[c];
            row[5] = sources.Als is null ? NoScore : alsScores[c] - alsBest;
            row[6] = history.Count > 0 && sources.Item.Similarity(history.Items[^1], p) is { } next ? next : NoScore;
            row[7] = ranks[LastSource];
            row[8] = MathF.Log(1 + sources.Popularity[p]);
            row[9] = ranks[PopularitySource];
            row[10] = float.IsNegativeInfinity(sources.Trending[p]) ? NoScore : sources.Trending[p];
            row[11] = ranks[TrendingSource];
            row[12] = ranks[CategorySource];
            var proposedBy = 0;
            foreach (var rank in ranks) if (rank != NoRank) proposedBy++;
            row[13] = proposedBy;
            row[14] = history.Count;
            buyer.Describe(p, row[15..]);
        }
        return count;
    }

    /// <summary>
    /// The buyer as the content features see them: their latest <see cref="RecentHistory"/>
    /// products, the category of the last one and their usual price (the mean of the log prices
    /// the shop gives for those products).
    /// </summary>
    private readonly ref struct BuyerContent
    {
        private readonly RankingSources _sources;
        private readonly ReadOnlySpan<int> _recent;
        private readonly float _daysSinceLast;
        private readonly int _lastCategory;
        private readonly float _usualLogPrice;

        public BuyerContent(RankingSources sources, BuyerHistory history)
        {
            _sources = sources;
            _recent = history.Items.AsSpan(Math.Max(0, history.Count - RecentHistory));
            var lastTicks = history.Count > 0 ? history.Ticks[^1] : sources.NewestTicks;
            _daysSinceLast = Days(sources.NewestTicks - lastTicks);
            var content = sources.Content;
            _lastCategory = history.Count > 0 ? content.Category[history.Items[^1]] : -1;
            var (sum, priced) = (0.0, 0);
            foreach (var p in _recent)
                if (content.Price[p] > 0) (sum, priced) = (sum + Math.Log(content.Price[p]), priced + 1);
            _usualLogPrice = priced > 0 ? (float)(sum / priced) : float.NaN;
        }

        /// <summary>Writes the buyer-and-product columns from "days_since_last" on.</summary>
        public void Describe(int product, Span<float> row)
        {
            var content = _sources.Content;
            var listed = content.ListedTicks[product];
            row[0] = _daysSinceLast;
            // The shop's listing date when it gives one, else the product's first interaction.
            row[1] = Days(_sources.NewestTicks - (listed > 0 ? listed : _sources.FirstSeenTicks[product]));
            row[2] = Share(content.Category, product);
            row[3] = Share(content.Seller, product);
            row[4] = _lastCategory < 0 || content.Category[product] < 0 ? NoScore : content.Category[product] == _lastCategory ? 1 : 0;
            row[5] = content.Price[product] > 0 && !float.IsNaN(_usualLogPrice) ? MathF.Log(content.Price[product]) - _usualLogPrice : NoScore;
            row[6] = Known(content.Rating[product]);
            row[7] = content.ReviewCount[product] >= 0 ? MathF.Log(1 + content.ReviewCount[product]) : NoScore;
            row[8] = Known(content.Discount[product]);
        }

        /// <summary>The share of the recent history in the product's group (category, seller), or <see cref="NoScore"/> when it has none.</summary>
        private float Share(int[] groupOf, int product)
        {
            var group = groupOf[product];
            if (group < 0 || _recent.IsEmpty) return NoScore;
            var same = 0;
            foreach (var p in _recent) if (groupOf[p] == group) same++;
            return same / (float)_recent.Length;
        }

        private static float Known(float value) => float.IsNegativeInfinity(value) ? NoScore : value;

        private static float Days(long ticks) => (float)(ticks / (double)TimeSpan.TicksPerDay);
    }

    /// <summary>
    /// The most popular products of the categories of the buyer's last <see cref="CategoryAnchors"/>
    /// products, newest category first, an equal share each: what the shop's own description of
    /// products proposes, reaching products that no collaborative source ranks high.
    /// </summary>
    private static int ProposeFromCategories(RankingSources sources, BuyerHistory history, int wanted, Span<int> candidates, int count, float[] rankOf)
    {
        if (wanted == 0 || sources.Content.Categories == 0) return count;
        Span<int> categories = stackalloc int[CategoryAnchors];
        var distinct = 0;
        for (var h = history.Count - 1; h >= Math.Max(0, history.Count - CategoryAnchors); h--)
        {
            var category = sources.Content.Category[history.Items[h]];
            if (category >= 0 && !categories[..distinct].Contains(category)) categories[distinct++] = category;
        }
        if (distinct == 0) return count;
        var owned = history.Owned;
        var share = (wanted + distinct - 1) / distinct;
        Span<int> taken = stackalloc int[Math.Min(wanted, 1024)];
        var n = 0;
        foreach (var category in categories[..distinct])
        {
            var fromThis = 0;
            foreach (var p in sources.CategoryOrder[category])
            {
                if (fromThis == share || n == taken.Length) break;
                if (owned.BinarySearch(p) >= 0) continue;
                taken[n++] = p;
                fromThis++;
            }
        }
        return Propose(taken[..n], candidates, count, rankOf, CategorySource);
    }

    /// <summary>ALS's score of each candidate and its rank among them (1 = ALS's favourite); returns the best score.</summary>
    private static float ScoreWithAls(RankingSources sources, RankedProfile profile, ReadOnlySpan<int> candidates, Span<float> scores, Span<float> ranks)
    {
        if (sources.Als is null || candidates.IsEmpty) return 0;
        sources.Als.Score(profile.Als!, candidates, scores);
        var n = candidates.Length;
        var descending = n <= 1024 ? stackalloc float[n] : new float[n];
        var order = n <= 1024 ? stackalloc int[n] : new int[n];
        for (var c = 0; c < n; c++) (descending[c], order[c]) = (-scores[c], c);
        descending.Sort(order);
        for (var r = 0; r < n; r++) ranks[order[r]] = r + 1;
        return -descending[0];
    }

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
                rankOf.AsSpan(at * Proposers, Proposers).Fill(NoRank);
            }
            rankOf[at * Proposers + source] = r + 1;
        }
        return count;
    }

    /// <summary>Proposes the first <paramref name="perSource"/> products of a source's order that the buyer does not own.</summary>
    private static int ProposeInOrder(ReadOnlySpan<int> order, ReadOnlySpan<int> owned, int perSource, Span<int> candidates, int count, float[] rankOf, int source)
    {
        if (perSource == 0) return count;
        Span<int> taken = stackalloc int[Math.Min(perSource, 1024)];
        var n = 0;
        foreach (var p in order)
        {
            if (n == taken.Length) break;
            if (owned.BinarySearch(p) >= 0) continue;
            taken[n++] = p;
        }
        return Propose(taken[..n], candidates, count, rankOf, source);
    }
}
