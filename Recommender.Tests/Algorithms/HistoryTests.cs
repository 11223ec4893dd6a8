using Recommender.Training.Algorithms;
using Recommender.Training.Data;

namespace Recommender.Tests.Algorithms;

public sealed class HistoryTests
{
    private static readonly DateTime Now = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void An_interaction_one_half_life_old_counts_half_its_kind_weight()
    {
        InteractionKind[] kinds = [InteractionKind.Order, InteractionKind.Cart, InteractionKind.Wishlist, InteractionKind.Order];
        long[] ticks = [Now.Ticks, Now.AddDays(-3).Ticks, Now.AddDays(-6).Ticks, Now.AddDays(1).Ticks];
        var weights = new float[4];

        HistoryWeights.Compute(kinds, ticks, new InteractionWeights(), halfLifeDays: 3, Now.Ticks, weights);

        Assert.Equal(1f, weights[0], 5);
        Assert.Equal(0.25f, weights[1], 5);     // cart 0.5, one half-life
        Assert.Equal(0.075f, weights[2], 5);    // wishlist 0.3, two half-lives
        Assert.Equal(1f, weights[3], 5);        // from the future: counts as new
    }

    [Fact]
    public void A_half_life_of_zero_keeps_the_kind_weights()
    {
        var weights = new float[2];
        HistoryWeights.Compute([InteractionKind.Order, InteractionKind.Cart], [0, Now.Ticks], new InteractionWeights(), 0, Now.Ticks, weights);
        Assert.Equal([1f, 0.5f], weights);
    }

    [Fact]
    public void Histories_from_a_log_are_grouped_by_buyer_in_time_order()
    {
        var log = new InteractionLog();
        log.Add(new ShopInteraction("ann", "b", InteractionKind.Cart, Now.AddDays(2)));
        log.Add(new ShopInteraction("bob", "a", InteractionKind.Order, Now));
        log.Add(new ShopInteraction("ann", "a", InteractionKind.Order, Now));
        log.Add(new ShopInteraction("ann", "c", InteractionKind.Wishlist, Now.AddDays(1)));

        var histories = BuyerHistories.FromLog(log, new InteractionWeights());

        log.Buyers.TryGetIndex("ann", out var ann);
        var names = histories.ItemsOf(ann).ToArray().Select(i => log.Products[i]);
        Assert.Equal(["a", "c", "b"], names);
        Assert.Equal([1f, 0.3f, 0.5f], histories.WeightsOf(ann).ToArray());
        Assert.Equal(3, histories.Items);
        Assert.Equal(4, histories.Count);
    }

    [Theory]
    [InlineData("z", "m", "a")]
    [InlineData("a", "z", "m")]
    [InlineData("m", "a", "z")]
    public void The_items_of_one_order_are_in_product_id_order_whatever_order_the_rows_came_in(string first, string second, string third)
    {
        var log = new InteractionLog();
        log.Add(new ShopInteraction("ann", "early", InteractionKind.Order, Now));
        foreach (var product in new[] { first, second, third })
            log.Add(new ShopInteraction("ann", product, InteractionKind.Order, Now.AddDays(1)));

        var histories = BuyerHistories.FromLog(log, new InteractionWeights());

        Assert.Equal(["early", "a", "m", "z"], histories.ItemsOf(0).ToArray().Select(i => log.Products[i]));
    }
}
