using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Tests.Evaluation;

public sealed class ModelSelectionTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Two tastes of 20 products; every buyer buys a random walk within their taste.</summary>
    private static InteractionLog Shop(int buyers, int seed)
    {
        var random = new Random(seed);
        var log = new InteractionLog();
        for (var b = 0; b < buyers; b++)
        {
            var first = b % 2 == 0 ? 0 : 10;
            var count = random.Next(3, 8);
            var items = Enumerable.Range(first, 10).OrderBy(_ => random.Next()).Take(count);
            var day = 0;
            foreach (var item in items)
                log.Add(new ShopInteraction($"buyer-{b}", $"product-{item}", InteractionKind.Order, Start.AddDays(day++)));
        }
        return log;
    }

    [Fact]
    public void The_winner_beats_popularity_and_is_reported_with_every_candidate_tried()
    {
        var log = Shop(200, seed: 1);

        var result = ModelSelection.Select(log, new InteractionWeights(), new ModelSelectionOptions(), CancellationToken.None);

        Assert.True(result.BeatsPopularity, $"{result.Winner}: {result.WinnerMetrics} vs popularity {result.PopularityMetrics}");
        Assert.Equal(PopularityAlgorithm.AlgorithmName, result.Tried[0].Candidate.Name);
        Assert.Contains(result.Tried, t => t.Candidate == result.Winner);
        Assert.Equal(200, result.PopularityMetrics.Users);
        Assert.False(result.BudgetExhausted);
    }

    [Fact]
    public void A_spent_budget_still_tries_popularity_and_the_first_candidate()
    {
        var log = Shop(100, seed: 2);

        var result = ModelSelection.Select(log, new InteractionWeights(), new ModelSelectionOptions { TimeBudget = TimeSpan.Zero }, CancellationToken.None);

        Assert.Equal(2, result.Tried.Count);
        Assert.True(result.BudgetExhausted);
    }

    [Fact]
    public void An_explicit_grid_is_tried_in_order_and_selection_is_deterministic()
    {
        var log = Shop(150, seed: 3);
        var options = new ModelSelectionOptions
        {
            Grid = [Candidate.Of(ItemKnnAlgorithm.AlgorithmName, ("halflife", 0)), Candidate.Of(AlsAlgorithm.AlgorithmName, ("factors", 8), ("iterations", 3))],
        };

        var first = ModelSelection.Select(log, new InteractionWeights(), options, CancellationToken.None);
        var second = ModelSelection.Select(log, new InteractionWeights(), options, CancellationToken.None);

        Assert.Equal(["popularity", "itemknn(halflife=0)", "als(factors=8, iterations=3)"], first.Tried.Select(t => t.Candidate.ToString()));
        Assert.Equal(first.Winner.ToString(), second.Winner.ToString());
        Assert.Equal(first.WinnerMetrics, second.WinnerMetrics);
    }

    [Fact]
    public void Cancellation_stops_the_selection()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            ModelSelection.Select(Shop(50, seed: 4), new InteractionWeights(), new ModelSelectionOptions(), cancelled.Token));
    }

    [Fact]
    public void The_holdout_is_a_buyers_whole_last_order_never_one_item_of_it()
    {
        // Every buyer has one order of two products (one createdAt), and half also an earlier one.
        // Holding out one item of the order and training on its sibling would measure "complete
        // this order": only the buyers with an earlier order can be evaluated, on the whole order.
        var log = new InteractionLog();
        for (var b = 0; b < 40; b++)
        {
            if (b % 2 == 0) log.Add(new ShopInteraction($"buyer-{b}", "earlier", InteractionKind.Order, Start));
            log.Add(new ShopInteraction($"buyer-{b}", $"product-{b % 5}", InteractionKind.Order, Start.AddDays(1)));
            log.Add(new ShopInteraction($"buyer-{b}", $"product-{b % 5 + 5}", InteractionKind.Order, Start.AddDays(1)));
        }

        var result = ModelSelection.Select(log, new InteractionWeights(), new ModelSelectionOptions(), CancellationToken.None);

        Assert.Equal(20, result.PopularityMetrics.Users);
        Assert.All(result.Tried, t => Assert.Equal(20, t.Metrics.Users));
    }
}
