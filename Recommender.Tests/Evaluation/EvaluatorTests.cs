using Recommender.Tests.Algorithms;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Popularity;
using Recommender.Training.Evaluation;

namespace Recommender.Tests.Evaluation;

public sealed class EvaluatorTests
{
    /// <summary>Scores item i as i: the highest index first.</summary>
    private static PopularityModel ByIndex(int items) => new([.. Enumerable.Range(0, items).Select(i => (float)i)]);

    [Fact]
    public void Ranks_skip_the_buyers_own_items_and_count_from_one()
    {
        // 30 items; by index the order is 29, 28, …. Buyer 0 owns 29 and 28, so 27 ranks first;
        // buyer 1 owns nothing above 25, which ranks 5th; buyer 2's 0 is outside the top 20.
        var histories = TestHistories.Of(30, [29, 28, 27], [3, 25], [1, 0]);
        var split = LeaveLastOut.Test(histories);

        var metrics = Evaluator.Evaluate(ByIndex(30), split, maxDegreeOfParallelism: 2, CancellationToken.None);

        Assert.Equal(3, metrics.Users);
        Assert.Equal((1 + 1 / Math.Log2(6)) / 3, metrics.Ndcg10, 12);
        Assert.Equal(2 / 3.0, metrics.HitRate20, 12);
    }

    [Fact]
    public void On_two_disjoint_tastes_the_item_model_finds_every_withheld_item()
    {
        var histories = TestHistories.TwoTastes(40, out var withheld);
        var full = TestHistories.Of(10, Enumerable.Range(0, 40)
            .Select(b => histories.ItemsOf(b).ToArray().Append(withheld[b]).ToArray()).ToArray());
        var split = LeaveLastOut.Test(full);

        var itemKnn = Evaluator.Evaluate(Candidate.Of(ItemKnnAlgorithm.AlgorithmName, ("transition", 0), ("halflife", 0)).Fit(split.Train, CancellationToken.None),
            split, 1, CancellationToken.None);

        Assert.Equal(1.0, itemKnn.HitRate10);
        Assert.Equal(1.0, itemKnn.Ndcg10, 12);
    }

    [Fact]
    public void Unknown_options_are_an_error_not_a_silent_default()
    {
        var histories = TestHistories.Of(3, [0, 1, 2]);
        Assert.Throws<ArgumentException>(() => Candidate.Of(ItemKnnAlgorithm.AlgorithmName, ("neigbours", 5)).Fit(histories, CancellationToken.None));
        Assert.Throws<ArgumentException>(() => Candidate.Of("ease").Fit(histories, CancellationToken.None));
    }
}
