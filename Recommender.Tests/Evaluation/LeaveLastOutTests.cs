using Recommender.Tests.Algorithms;
using Recommender.Training.Evaluation;

namespace Recommender.Tests.Evaluation;

public sealed class LeaveLastOutTests
{
    private static readonly Training.Algorithms.BuyerHistories Histories =
        TestHistories.Of(10, [1, 2, 3, 4], [5, 6], [7], [8, 9, 0]);

    [Fact]
    public void The_test_split_holds_out_each_buyers_last_item_and_trains_on_the_rest()
    {
        var split = LeaveLastOut.Test(Histories);

        Assert.Equal([4, 6, -1, 0], split.HeldOut);
        Assert.Equal([1, 2, 3], split.Train.ItemsOf(0).ToArray());
        Assert.Equal([5], split.Train.ItemsOf(1).ToArray());
        Assert.Equal([7], split.Train.ItemsOf(2).ToArray());    // too short to evaluate; kept for training
        Assert.Equal([8, 9], split.Train.ItemsOf(3).ToArray());
        Assert.Equal(3, split.EvaluatedBuyers);
    }

    [Fact]
    public void The_validation_split_holds_out_the_second_to_last_and_never_trains_on_the_last()
    {
        var split = LeaveLastOut.Validation(Histories);

        Assert.Equal([3, -1, -1, 9], split.HeldOut);
        Assert.Equal([1, 2], split.Train.ItemsOf(0).ToArray());
        Assert.Equal([5], split.Train.ItemsOf(1).ToArray());       // too short to validate; 6 is its test item
        Assert.Empty(split.Train.ItemsOf(2).ToArray());
        Assert.Equal([8], split.Train.ItemsOf(3).ToArray());
        Assert.Equal(10, split.Train.Items);
    }

    [Fact]
    public void Timestamps_and_weights_travel_with_their_items()
    {
        var split = LeaveLastOut.Test(Histories);

        Assert.Equal(Histories.TicksOf(3)[..2].ToArray(), split.Train.TicksOf(3).ToArray());
        Assert.Equal(Histories.WeightsOf(3)[..2].ToArray(), split.Train.WeightsOf(3).ToArray());
    }
}
