using Recommender.Tests.Algorithms;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Evaluation;

namespace Recommender.Tests.Evaluation;

public sealed class LatestBasketTests
{
    /// <summary>Histories where entries sharing a day share a timestamp: each inner array is one basket.</summary>
    private static BuyerHistories Baskets(int items, params int[][][] buyers)
    {
        var rows = buyers.Select(b => b.SelectMany(basket => basket).ToArray()).ToArray();
        var rowStart = new int[rows.Length + 1];
        for (var b = 0; b < rows.Length; b++) rowStart[b + 1] = rowStart[b] + rows[b].Length;
        var ticks = buyers.SelectMany(b => b.SelectMany((basket, day) => basket.Select(_ => TestHistories.Start.AddDays(day).Ticks))).ToArray();
        var all = rows.SelectMany(r => r).ToArray();
        return new BuyerHistories(rows.Length, items, rowStart, all, ticks, Enumerable.Repeat(1f, all.Length).ToArray());
    }

    [Fact]
    public void The_whole_latest_basket_is_held_out_and_none_of_it_is_trained_on()
    {
        var histories = Baskets(10,
            [[1, 2], [7, 3, 5]],        // last order: 7, 3, 5 at one timestamp
            [[4], [6]],
            [[8, 9]],                   // one basket only: nothing before it to learn from
            []);

        var split = LatestBasket.Holdout(histories);

        Assert.Equal([1, 2], split.Train.ItemsOf(0).ToArray());
        Assert.Equal([3, 5, 7], split.HeldOutItemsOf(0).ToArray());    // a set, in index order
        Assert.Equal(3, split.HeldOut[0]);
        Assert.Equal([4], split.Train.ItemsOf(1).ToArray());
        Assert.Equal([6], split.HeldOutItemsOf(1).ToArray());
        Assert.Equal([8, 9], split.Train.ItemsOf(2).ToArray());        // kept for training, not evaluated
        Assert.Equal(-1, split.HeldOut[2]);
        Assert.True(split.HeldOutItemsOf(2).IsEmpty);
        Assert.Equal(-1, split.HeldOut[3]);
        Assert.Equal(2, split.EvaluatedBuyers);
    }

    [Fact]
    public void The_split_does_not_depend_on_the_order_of_the_rows_inside_a_basket()
    {
        var one = LatestBasket.Holdout(Baskets(10, [[1], [7, 3, 5]]));
        var other = LatestBasket.Holdout(Baskets(10, [[1], [5, 7, 3]]));

        Assert.Equal(one.HeldOut, other.HeldOut);
        Assert.Equal(one.HeldOutItemsOf(0).ToArray(), other.HeldOutItemsOf(0).ToArray());
    }

    [Fact]
    public void With_a_timestamp_per_interaction_it_is_exactly_leave_last_out()
    {
        var histories = TestHistories.Of(10, [1, 2, 3, 4], [5, 6], [7], [8, 9, 0]);

        var basket = LatestBasket.Holdout(histories);
        var last = LeaveLastOut.Test(histories);

        Assert.Equal(last.HeldOut, basket.HeldOut);
        for (var b = 0; b < histories.Buyers; b++)
            Assert.Equal(last.Train.ItemsOf(b).ToArray(), basket.Train.ItemsOf(b).ToArray());
        var scorer = Candidate.Of(ItemKnnAlgorithm.AlgorithmName).Fit(last.Train, CancellationToken.None);
        Assert.Equal(Evaluator.Evaluate(scorer, last, 1, CancellationToken.None), Evaluator.Evaluate(scorer, basket, 1, CancellationToken.None));
    }

    [Fact]
    public void Every_item_of_the_basket_counts_as_relevant()
    {
        // Scores by index, highest first: 9, 8, 7, … Buyer 0's basket {9, 2}: 9 ranks 1st, 2 ranks 8th.
        var histories = Baskets(10, [[0], [9, 2]]);
        var split = LatestBasket.Holdout(histories);

        var metrics = Evaluator.Evaluate(ByIndex(10), split, 1, CancellationToken.None);

        var ideal = 1 + 1 / Math.Log2(3);
        Assert.Equal((1 + 1 / Math.Log2(9)) / ideal, metrics.Ndcg10, 12);
        Assert.Equal(1.0, metrics.HitRate10);
        Assert.Equal(1, metrics.Users);
    }

    /// <summary>Scores item i as i: the highest index first.</summary>
    private static PopularityModel ByIndex(int items) => new([.. Enumerable.Range(0, items).Select(i => (float)i)]);
}
