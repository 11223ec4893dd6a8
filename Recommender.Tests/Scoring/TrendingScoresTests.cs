using Recommender.Training.Data;
using Recommender.Training.Scoring;

namespace Recommender.Tests.Scoring;

public sealed class TrendingScoresTests
{
    private static readonly DateTime Now = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static (InteractionLog Log, float[] Scores) Trend(TimeSpan halfLife, params ShopInteraction[] rows)
    {
        var log = new InteractionLog();
        foreach (var row in rows) log.Add(row);
        return (log, TrendingScores.Compute(log, new InteractionWeights(), halfLife));
    }

    private static float Score((InteractionLog Log, float[] Scores) trend, string product) =>
        trend.Log.Products.TryGetIndex(product, out var p) ? trend.Scores[p] : float.NaN;

    [Fact]
    public void One_recent_order_outweighs_several_old_ones()
    {
        var trend = Trend(TimeSpan.FromDays(7),
            new ShopInteraction("a", "old", InteractionKind.Order, Now.AddDays(-30)),
            new ShopInteraction("b", "old", InteractionKind.Order, Now.AddDays(-30)),
            new ShopInteraction("c", "old", InteractionKind.Order, Now.AddDays(-30)),
            new ShopInteraction("d", "new", InteractionKind.Order, Now));

        Assert.True(Score(trend, "new") > Score(trend, "old"));
    }

    [Fact]
    public void Weights_follow_the_kind_and_one_half_life_halves_an_interaction()
    {
        var trend = Trend(TimeSpan.FromDays(7),
            new ShopInteraction("a", "ordered-a-week-ago", InteractionKind.Order, Now.AddDays(-7)),
            new ShopInteraction("b", "carted-now", InteractionKind.Cart, Now),
            new ShopInteraction("c", "wished-now", InteractionKind.Wishlist, Now));

        // 1.0 × ½ = 0.5 = the cart's weight: equal log-scores; the wishlist's 0.3 is lower.
        Assert.Equal(Score(trend, "carted-now"), Score(trend, "ordered-a-week-ago"), 4);
        Assert.True(Score(trend, "wished-now") < Score(trend, "carted-now"));
    }

    [Fact]
    public void Interactions_years_old_under_a_short_half_life_still_rank_without_underflow()
    {
        var trend = Trend(TimeSpan.FromHours(1),
            new ShopInteraction("a", "twice", InteractionKind.Order, Now.AddYears(-3)),
            new ShopInteraction("b", "twice", InteractionKind.Order, Now.AddYears(-3)),
            new ShopInteraction("c", "once", InteractionKind.Order, Now.AddYears(-3)),
            new ShopInteraction("d", "today", InteractionKind.Order, Now));

        Assert.True(float.IsFinite(Score(trend, "twice")));
        Assert.True(Score(trend, "twice") > Score(trend, "once"));
        Assert.True(Score(trend, "today") > Score(trend, "twice"));
    }
}
