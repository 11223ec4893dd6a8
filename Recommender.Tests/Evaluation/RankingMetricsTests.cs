using Recommender.Training.Evaluation;

namespace Recommender.Tests.Evaluation;

public sealed class RankingMetricsTests
{
    [Theory]
    [InlineData(1, 10, 1.0)]
    [InlineData(3, 10, 0.5)]
    [InlineData(10, 10, 0.28906482631788782)]     // 1 / log2(11)
    [InlineData(11, 10, 0.0)]
    [InlineData(15, 20, 0.25)]                    // 1 / log2(16)
    [InlineData(0, 10, 0.0)]
    public void Ndcg_of_one_relevant_item_is_one_over_log2_of_rank_plus_one_within_the_cutoff(int rank, int cutoff, double expected)
    {
        Assert.Equal(expected, RankingMetrics.Ndcg(rank, cutoff), 12);
    }

    [Fact]
    public void Averages_count_misses_as_zero()
    {
        var metrics = RankingMetrics.FromRanks([1, 3, 15, 0]);

        Assert.Equal(4, metrics.Users);
        Assert.Equal(0.5, metrics.HitRate10, 12);
        Assert.Equal(0.75, metrics.HitRate20, 12);
        Assert.Equal((1 + 0.5) / 4, metrics.Ndcg10, 12);
        Assert.Equal((1 + 0.5 + 1 / Math.Log2(16)) / 4, metrics.Ndcg20, 12);
    }
}
