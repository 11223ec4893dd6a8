using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Data;
using Recommender.Training.Scoring;

namespace Recommender.Tests.Algorithms;

public sealed class ItemKnnTests
{
    private static int[] Rank(ItemKnnModel model, ReadOnlySpan<int> items, ReadOnlySpan<float> weights)
    {
        var scores = new float[model.Products];
        model.Score(items, weights, scores);
        ModelScorer.ExcludeOwned(items, scores);
        var best = new int[model.Products];
        return best[..TopK.Select(scores, best)];
    }

    private static float[] Ones(int n) => Enumerable.Repeat(1f, n).ToArray();

    [Fact]
    public void With_two_disjoint_tastes_the_withheld_item_ranks_first()
    {
        var histories = TestHistories.TwoTastes(40, out var withheld);
        var model = ItemKnn.Fit(histories, new ItemKnnOptions { TransitionWeight = 0, HalfLifeDays = 0, Shrinkage = 1 }, CancellationToken.None);

        for (var b = 0; b < histories.Buyers; b++)
        {
            var items = histories.ItemsOf(b);
            Assert.Equal(withheld[b], Rank(model, items, Ones(items.Length))[0]);
        }
    }

    [Fact]
    public void Neighbours_come_only_from_the_same_taste_and_never_include_the_item_itself()
    {
        var histories = TestHistories.TwoTastes(40, out _);
        var model = ItemKnn.Fit(histories, new ItemKnnOptions(), CancellationToken.None);

        for (var item = 0; item < 10; item++)
        {
            var neighbours = model.Neighbours(item).Products.ToArray();
            Assert.Equal(4, neighbours.Length);
            Assert.DoesNotContain(item, neighbours);
            Assert.All(neighbours, n => Assert.Equal(item < 5, n < 5));
            Assert.Equal(neighbours.Order(), neighbours);    // CSR rows keep columns ascending
        }
    }

    [Fact]
    public void With_recency_the_most_recent_taste_wins()
    {
        var histories = TestHistories.TwoTastes(40, out _);
        var model = ItemKnn.Fit(histories, new ItemKnnOptions { TransitionWeight = 0, HalfLifeDays = 1 }, CancellationToken.None);
        // A buyer who bought two items of taste A long ago and two of taste B yesterday and today.
        int[] items = [0, 1, 5, 6];
        long[] ticks = [TestHistories.Start.Ticks, TestHistories.Start.AddDays(1).Ticks, TestHistories.Start.AddDays(30).Ticks, TestHistories.Start.AddDays(31).Ticks];
        var weights = new float[4];
        HistoryWeights.Compute(Enumerable.Repeat(InteractionKind.Order, 4).ToArray(), ticks, new InteractionWeights(),
            model.HalfLifeDays, ticks[^1], weights);

        var ranked = Rank(model, items, weights);

        Assert.All(ranked[..3], item => Assert.InRange(item, 5, 9));
    }

    [Fact]
    public void Transitions_rank_what_usually_follows_above_what_usually_precedes()
    {
        // Every buyer goes 0 → 1 → 2; a buyer who has just bought 1 should be offered 2 before 0.
        var rows = Enumerable.Range(0, 20).Select(_ => new[] { 0, 1, 2 }).ToArray();
        var histories = TestHistories.Of(3, rows);
        var model = ItemKnn.Fit(histories, new ItemKnnOptions { TransitionWeight = 4, BackwardShare = 0 }, CancellationToken.None);

        var ranked = Rank(model, [1], [1f]);

        Assert.Equal([2, 0], ranked);
    }

    [Fact]
    public void The_fit_is_identical_whatever_the_thread_count()
    {
        var random = new Random(5);
        var rows = Enumerable.Range(0, 300).Select(_ => Enumerable.Range(0, random.Next(2, 15)).Select(_ => random.Next(120)).ToArray()).ToArray();
        var histories = TestHistories.Of(120, rows);

        var single = ItemKnn.Fit(histories, new ItemKnnOptions { Neighbours = 20, MaxDegreeOfParallelism = 1 }, CancellationToken.None);
        var parallel = ItemKnn.Fit(histories, new ItemKnnOptions { Neighbours = 20, MaxDegreeOfParallelism = 4 }, CancellationToken.None);

        Assert.Equal(single.Similarities.RowStart, parallel.Similarities.RowStart);
        Assert.Equal(single.Similarities.Indices, parallel.Similarities.Indices);
        Assert.Equal(single.Similarities.Values, parallel.Similarities.Values);
        Assert.Equal(single.Popularity, parallel.Popularity);
        Assert.All(Enumerable.Range(0, 120), item => Assert.True(single.Similarities.RowLength(item) <= 20));
    }

    [Fact]
    public void Products_no_neighbour_reaches_are_ranked_by_popularity()
    {
        var histories = TestHistories.Of(5, [0, 1], [0, 1], [2, 3], [3], [3], [4]);
        var model = ItemKnn.Fit(histories, new ItemKnnOptions(), CancellationToken.None);

        var ranked = Rank(model, [0], [1f]);

        Assert.Equal([1, 3, 2, 4], ranked);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        var histories = TestHistories.Of(2, [0, 1]);
        Assert.Throws<ArgumentException>(() => ItemKnn.Fit(histories, new ItemKnnOptions { Neighbours = 0 }, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => ItemKnn.Fit(histories, new ItemKnnOptions { Alpha = 2 }, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => ItemKnn.Fit(histories, new ItemKnnOptions { HalfLifeDays = -1 }, CancellationToken.None));
    }
    [Fact]
    public void A_kind_weighted_zero_never_makes_a_neighbour_however_often_it_co_occurs()
    {
        // Ten buyers order product a and wishlist product w (weight 0); one also orders product b.
        // More zero-weight pairs than there are products used to overflow the fit's scratch buffer.
        var log = new InteractionLog();
        for (var n = 0; n < 10; n++)
        {
            log.Add(new ShopInteraction($"buyer-{n}", "a", InteractionKind.Order, TestHistories.Start));
            log.Add(new ShopInteraction($"buyer-{n}", "w", InteractionKind.Wishlist, TestHistories.Start.AddDays(1)));
        }
        log.Add(new ShopInteraction("buyer-0", "b", InteractionKind.Order, TestHistories.Start.AddDays(2)));
        var histories = BuyerHistories.FromLog(log, new InteractionWeights { Wishlist = 0 });

        var model = ItemKnn.Fit(histories, new ItemKnnOptions(), CancellationToken.None);

        var a = log.Products.TryGetIndex("a", out var ai) ? ai : -1;
        var b = log.Products.TryGetIndex("b", out var bi) ? bi : -1;
        var w = log.Products.TryGetIndex("w", out var wi) ? wi : -1;
        Assert.Equal([b], model.Neighbours(a).Products.ToArray());
        Assert.Empty(model.Neighbours(w).Products.ToArray());
    }

    [Fact]
    public void An_old_interaction_whose_training_weight_underflows_to_zero_is_not_a_neighbour()
    {
        // Every buyer: product 1 long ago, then 0 and 2 a year later. With a training half-life of
        // a few minutes product 1's weight is exactly 0; before, each visit stored it again.
        var buyers = Enumerable.Range(0, 10).Select(_ => new[] { 1, 0, 2 }).ToArray();
        var rowStart = Enumerable.Range(0, buyers.Length + 1).Select(b => 3 * b).ToArray();
        var ticks = buyers.SelectMany(_ => new[] { TestHistories.Start.Ticks, TestHistories.Start.AddDays(365).Ticks, TestHistories.Start.AddDays(365).Ticks }).ToArray();
        var histories = new BuyerHistories(buyers.Length, 3, rowStart, buyers.SelectMany(b => b).ToArray(), ticks, Ones(30));

        var model = ItemKnn.Fit(histories, new ItemKnnOptions { TrainingHalfLifeDays = 0.001 }, CancellationToken.None);

        Assert.Equal([2], model.Neighbours(0).Products.ToArray());
        Assert.Equal([0], model.Neighbours(2).Products.ToArray());
        Assert.Empty(model.Neighbours(1).Products.ToArray());
    }

    [Fact]
    public void Empty_and_one_interaction_histories_fit_a_model_without_neighbours()
    {
        var empty = ItemKnn.Fit(TestHistories.Of(0), new ItemKnnOptions(), CancellationToken.None);
        Assert.Equal(0, empty.Products);

        var noBuyers = ItemKnn.Fit(TestHistories.Of(3), new ItemKnnOptions(), CancellationToken.None);
        Assert.Equal(3, noBuyers.Products);
        Assert.Empty(noBuyers.Neighbours(0).Products.ToArray());

        var one = ItemKnn.Fit(TestHistories.Of(1, [0]), new ItemKnnOptions(), CancellationToken.None);
        Assert.Empty(one.Neighbours(0).Products.ToArray());
        Assert.Equal([0], Rank(one, [], []));
    }
}
