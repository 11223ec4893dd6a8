using Recommender.Api.Experiments;
using Recommender.Api.Outcomes;

namespace Recommender.Tests.Experiments;

/// <summary>The statistics on known answers: a winner only when the difference is significant.</summary>
public sealed class ExperimentStatisticsTests
{
    private static ExperimentOptions TwoVariants() => new()
    {
        Name = "ab",
        Variants = [new VariantOptions { Name = "a", Share = 0.5 }, new VariantOptions { Name = "b", Algorithm = "popularity", Share = 0.5 }],
    };

    private static DayTally Tally(long units, long converted, long impressions) =>
        new() { Units = units, ConvertedUnits = converted, Impressions = impressions, SumImpressionsSquared = impressions * impressions / (double)Math.Max(1, units) };

    [Fact]
    public void The_normal_distribution_and_the_two_proportion_test_match_known_values()
    {
        Assert.Equal(0.975, ExperimentStatistics.NormalCdf(1.959964), 6);
        Assert.Equal(0.5, ExperimentStatistics.NormalCdf(0), 7);
        // 80/500 against 50/500: pooled z = 2.821, two-sided p = 0.00479.
        Assert.Equal(0.00479, ExperimentStatistics.TwoProportionPValue(80, 500, 50, 500), 5);
        // Wilson's interval of 10/100: [0.0552, 0.1744].
        var wilson = ExperimentStatistics.Wilson(10, 100);
        Assert.Equal(0.0552, wilson[0], 3);
        Assert.Equal(0.1744, wilson[1], 3);
    }

    [Fact]
    public void A_significant_difference_names_the_better_variant()
    {
        var tallies = new Dictionary<(int, string), DayTally> { [(1, "a")] = Tally(500, 50, 1500), [(1, "b")] = Tally(500, 80, 1500) };

        var report = ExperimentStatistics.Read(TwoVariants(), tallies);

        Assert.Equal("b", report.Winner);
        Assert.True(report.Variants[1].VersusControl!.Significant);
        Assert.Equal(0.16, report.Variants[1].ConversionRate, 6);
    }

    [Fact]
    public void A_difference_that_is_not_significant_names_no_winner()
    {
        var tallies = new Dictionary<(int, string), DayTally> { [(1, "a")] = Tally(500, 50, 1500), [(1, "b")] = Tally(500, 55, 1500) };

        var report = ExperimentStatistics.Read(TwoVariants(), tallies);

        Assert.Null(report.Winner);
        Assert.False(report.Variants[1].VersusControl!.Significant);
    }

    [Fact]
    public void Too_few_buyer_days_name_no_winner_however_large_the_difference()
    {
        var tallies = new Dictionary<(int, string), DayTally> { [(1, "a")] = Tally(40, 1, 100), [(1, "b")] = Tally(40, 30, 100) };

        var report = ExperimentStatistics.Read(TwoVariants(), tallies);

        Assert.Null(report.Winner);
        Assert.Contains("Not enough data", report.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Revenue_per_thousand_impressions_has_a_delta_method_interval()
    {
        // Two units: (x=1, y=10) and (x=3, y=10): R = 5, residuals 5 and −5, Var = 50 / (2·1·4) = 6.25.
        var tally = new DayTally { Units = 2, Impressions = 4, Revenue = 20, SumImpressionsSquared = 10, SumRevenueSquared = 200, SumImpressionsRevenue = 40 };

        Assert.Equal(6.25, ExperimentStatistics.RatioVariance(tally), 9);
    }
}
