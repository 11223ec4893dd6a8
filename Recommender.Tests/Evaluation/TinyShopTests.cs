using Recommender.Tests.Algorithms;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Tests.Evaluation;

/// <summary>The first days of a shop: nothing, one product, one buyer with one order.</summary>
public sealed class TinyShopTests
{
    /// <summary>Every registered algorithm on every tiny shop.</summary>
    public static TheoryData<string, string> Shops
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var algorithm in AlgorithmRegistry.Names)
                foreach (var shop in new[] { "empty", "products", "one", "two" })
                    data.Add(algorithm, shop);
            return data;
        }
    }

    private static BuyerHistories Shop(string name) => name switch
    {
        "empty" => TestHistories.Of(0),
        "products" => TestHistories.Of(3),              // no buyers yet
        "one" => TestHistories.Of(1, [0]),             // one buyer, one order of one product
        "two" => TestHistories.Of(3, [0, 1], [2]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Shops))]
    public void Every_algorithm_fits_and_scores_a_tiny_shop(string algorithm, string shop)
    {
        var histories = Shop(shop);

        var model = Candidate.Of(algorithm).Fit(histories, CancellationToken.None);

        var scores = new float[histories.Items];
        for (var b = 0; b < histories.Buyers; b++)
        {
            var history = BuyerHistory.Of(histories, b);
            foreach (var profile in new[] { model.ProfileOf(b, histories), model.FoldIn(history), model.SimilarToItems(history) })
            {
                model.Score(profile, scores, rankEverything: true);
                Assert.All(scores, s => Assert.False(float.IsNaN(s)));
            }
        }
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("products")]
    [InlineData("one")]
    [InlineData("two")]
    public void Evaluation_of_a_shop_without_evaluable_buyers_reports_zero_users(string shop)
    {
        var histories = Shop(shop);
        foreach (var split in new[] { LeaveLastOut.Test(histories), LatestBasket.Holdout(histories) })
        {
            var metrics = Evaluator.Evaluate(Candidate.Popularity.Fit(split.Train, CancellationToken.None), split, 0, CancellationToken.None);

            Assert.Equal(split.EvaluatedBuyers, metrics.Users);
            Assert.False(double.IsNaN(metrics.Ndcg10));
        }
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("products")]
    [InlineData("one")]
    public void Selection_without_evaluable_buyers_chooses_the_default_item_model_untried(string shop)
    {
        var result = ModelSelection.Select(Shop(shop), new ModelSelectionOptions(), CancellationToken.None);

        Assert.Equal(Candidate.Of(ItemKnnAlgorithm.AlgorithmName).ToString(), result.Winner.ToString());
        Assert.Equal(0, result.PopularityMetrics.Users);
        Assert.Single(result.Tried);
    }

    [Fact]
    public void Selection_on_an_empty_interaction_log_answers()
    {
        var result = ModelSelection.Select(new InteractionLog(), new InteractionWeights(), new ModelSelectionOptions(), CancellationToken.None);

        Assert.Equal(ItemKnnAlgorithm.AlgorithmName, result.Winner.Name);
    }

    [Fact]
    public void Selection_with_one_evaluable_buyer_compares_candidates()
    {
        var result = ModelSelection.Select(TestHistories.Of(3, [0, 1], [2]), new ModelSelectionOptions(), CancellationToken.None);

        Assert.Equal(1, result.PopularityMetrics.Users);
        Assert.True(result.Tried.Count > 1);
    }
}
