using System.Text.Json.Serialization;
using Recommender.Api.Outcomes;

namespace Recommender.Api.Experiments;

/// <summary>
/// Reads an experiment's tallies honestly. The unit is the buyer-day: a buyer shown lists of a
/// variant on a UTC day. Lists shown to one buyer are not independent (a buyer who buys once was
/// shown many lists), so rates are per unit, not per list:
/// <list type="bullet">
/// <item>conversion = buyer-days with an attributed order ÷ buyer-days exposed, with a 95 % Wilson interval;</item>
/// <item>revenue per 1,000 impressions = 1,000 × attributed revenue ÷ lists served, a ratio of two sums
/// over units, with a 95 % interval from the delta method (the ratio estimator's variance over units);</item>
/// <item>each variant against the control (the first variant): a two-sided two-proportion z-test
/// (pooled) on conversion, the primary metric, and a z-test on the difference of revenue per
/// 1,000 impressions (reported, not used to name a winner);</item>
/// <item>a winner is named only when a conversion test is significant at 5 % after a Bonferroni
/// correction for the number of comparisons, and every variant compared has at least
/// <see cref="MinUnits"/> buyer-days and <see cref="MinConversions"/> conversions (below that the
/// normal approximation is not to be trusted).</item>
/// </list>
/// </summary>
public static class ExperimentStatistics
{
    public const double Alpha = 0.05;
    public const int MinUnits = 100;
    public const int MinConversions = 5;
    private const double Z95 = 1.959963984540054;

    public const string TestName =
        "two-sided two-proportion z-test (pooled) on converted buyer-days against the control, Bonferroni-corrected alpha 0.05; " +
        "revenue per 1000 impressions: z-test on the difference, delta-method variance over buyer-days";

    /// <summary>The summary of every variant (configured ones first, in order, then others seen, such as "default").</summary>
    public static ExperimentReport Read(ExperimentOptions experiment, IReadOnlyDictionary<(int Day, string Variant), DayTally> tallies)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(tallies);
        var totals = new Dictionary<string, DayTally>(StringComparer.Ordinal);
        foreach (var ((_, variant), tally) in tallies)
        {
            if (!totals.TryGetValue(variant, out var sum)) totals[variant] = sum = new DayTally();
            sum.Add(tally);
        }
        var order = experiment.Variants.Select(v => v.Name).ToList();
        order.AddRange(totals.Keys.Where(v => !order.Contains(v)).Order(StringComparer.Ordinal));

        var control = experiment.Variants.Count > 0 ? experiment.Variants[0].Name : null;
        var controlTally = control is not null ? totals.GetValueOrDefault(control) ?? new DayTally() : null;
        var comparisons = Math.Max(1, experiment.Variants.Count - 1);
        var alpha = Alpha / comparisons;
        var variants = new List<VariantReport>();
        foreach (var name in order)
        {
            var tally = totals.GetValueOrDefault(name) ?? new DayTally();
            var config = experiment.Variants.Find(v => v.Name == name);
            Comparison? versus = null;
            if (config is not null && controlTally is not null && name != control)
                versus = Compare(tally, controlTally, alpha);
            variants.Add(new VariantReport(
                name, config?.Algorithm, config?.Share, name == control,
                tally.Units, tally.ConvertedUnits, tally.Impressions, tally.ProductsShown, tally.Orders, tally.Carts, tally.Wishlists,
                Math.Round(tally.Revenue, 2),
                Rate(tally), Wilson(tally.ConvertedUnits, tally.Units),
                RevenuePerThousand(tally), RevenueInterval(tally), versus));
        }

        var (winner, verdict) = Verdict(experiment, variants, alpha);
        var days = tallies.OrderBy(t => t.Key.Day).ThenBy(t => t.Key.Variant, StringComparer.Ordinal)
            .Select(t => new DayReport(DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + t.Key.Day), t.Key.Variant,
                t.Value.Units, t.Value.ConvertedUnits, t.Value.Impressions, t.Value.Orders, Math.Round(t.Value.Revenue, 2)))
            .ToList();
        return new ExperimentReport(experiment.IsRunning ? experiment.Name : null, experiment.IsRunning, control, TestName, Alpha, alpha,
            winner, verdict, variants, days);
    }

    private static (string? Winner, string Verdict) Verdict(ExperimentOptions experiment, List<VariantReport> variants, double alpha)
    {
        if (!experiment.IsRunning) return (null, "No experiment is configured: every buyer gets the default model.");
        if (experiment.Variants.Count < 2) return (null, "One variant only: there is nothing to compare it with.");
        var arms = variants.Where(v => experiment.Variants.Exists(c => c.Name == v.Name)).ToList();
        if (arms.Any(v => v.BuyerDays < MinUnits || v.ConvertedBuyerDays < MinConversions))
            return (null, $"Not enough data yet: every variant needs at least {MinUnits} buyer-days and {MinConversions} converted ones.");
        var control = arms[0];
        var better = arms.Skip(1).Where(v => v.VersusControl is { Significant: true } c && c.ConversionDifference > 0).ToList();
        if (better.Count > 0)
        {
            var best = better.MaxBy(v => v.ConversionRate)!;
            return (best.Name, $"{best.Name} converts more buyer-days than {control.Name} ({best.ConversionRate:P2} against {control.ConversionRate:P2}, p = {best.VersusControl!.ConversionPValue:G3} < {alpha:G3}).");
        }
        if (arms.Skip(1).All(v => v.VersusControl is { Significant: true }))
            return (control.Name, $"{control.Name} (the control) converts more buyer-days than every other variant, each difference significant at {alpha:G3}.");
        return (null, $"No significant difference in conversion at {alpha:G3}: keep the experiment running, or stop it and keep the control.");
    }

    private static double Rate(DayTally t) => t.Units == 0 ? 0 : (double)t.ConvertedUnits / t.Units;

    private static double RevenuePerThousand(DayTally t) => t.Impressions == 0 ? 0 : 1000 * t.Revenue / t.Impressions;

    /// <summary>Wilson's score interval for a proportion, 95 %.</summary>
    public static double[] Wilson(long successes, long trials)
    {
        if (trials == 0) return [0, 1];
        var n = (double)trials;
        var p = successes / n;
        var z2 = Z95 * Z95;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = Z95 * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
        return [Math.Max(0, centre - half), Math.Min(1, centre + half)];
    }

    /// <summary>
    /// The variance of revenue ÷ impressions over units (a ratio estimator, by the delta method):
    /// Σ(yᵢ − R·xᵢ)² / (n(n − 1)·x̄²), from the sums kept per unit.
    /// </summary>
    public static double RatioVariance(DayTally t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Units < 2 || t.Impressions == 0) return double.NaN;
        var n = (double)t.Units;
        var r = t.Revenue / t.Impressions;
        var meanX = t.Impressions / n;
        var residuals = Math.Max(0, t.SumRevenueSquared - 2 * r * t.SumImpressionsRevenue + r * r * t.SumImpressionsSquared);
        return residuals / (n * (n - 1) * meanX * meanX);
    }

    private static double[]? RevenueInterval(DayTally t)
    {
        var variance = RatioVariance(t);
        if (double.IsNaN(variance)) return null;
        var rpm = RevenuePerThousand(t);
        var half = 1000 * Z95 * Math.Sqrt(variance);
        return [Math.Round(rpm - half, 4), Math.Round(rpm + half, 4)];
    }

    private static Comparison Compare(DayTally variant, DayTally control, double alpha)
    {
        var difference = Rate(variant) - Rate(control);
        var p = TwoProportionPValue(variant.ConvertedUnits, variant.Units, control.ConvertedUnits, control.Units);
        var revenueDifference = RevenuePerThousand(variant) - RevenuePerThousand(control);
        var v1 = RatioVariance(variant);
        var v0 = RatioVariance(control);
        double? revenueP = double.IsNaN(v1) || double.IsNaN(v0) || v1 + v0 <= 0
            ? null
            : 2 * (1 - NormalCdf(Math.Abs(revenueDifference / 1000) / Math.Sqrt(v1 + v0)));
        return new Comparison(difference, p, p < alpha, revenueDifference, revenueP);
    }

    /// <summary>Two-sided p-value of the pooled two-proportion z-test; 1 when there is nothing to test.</summary>
    public static double TwoProportionPValue(long successes1, long trials1, long successes0, long trials0)
    {
        if (trials1 == 0 || trials0 == 0) return 1;
        var p1 = (double)successes1 / trials1;
        var p0 = (double)successes0 / trials0;
        var pooled = (double)(successes1 + successes0) / (trials1 + trials0);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / trials1 + 1.0 / trials0));
        if (se == 0) return 1;
        return 2 * (1 - NormalCdf(Math.Abs(p1 - p0) / se));
    }

    /// <summary>The standard normal distribution function, through Numerical Recipes' erfcc (a Chebyshev fit, fractional error below 1.2e-7).</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}

/// <summary>The body of <c>GET /experiments</c>.</summary>
public sealed record ExperimentReport(
    [property: JsonPropertyName("experiment")] string? Experiment,
    [property: JsonPropertyName("running")] bool Running,
    [property: JsonPropertyName("control")] string? Control,
    [property: JsonPropertyName("test")] string Test,
    [property: JsonPropertyName("alpha")] double Alpha,
    [property: JsonPropertyName("alpha_per_comparison")] double AlphaPerComparison,
    [property: JsonPropertyName("winner")] string? Winner,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("variants")] IReadOnlyList<VariantReport> Variants,
    [property: JsonPropertyName("days")] IReadOnlyList<DayReport> Days);

/// <summary>One variant's totals over the experiment's days.</summary>
public sealed record VariantReport(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("algorithm")] string? Algorithm,
    [property: JsonPropertyName("share")] double? Share,
    [property: JsonPropertyName("control")] bool IsControl,
    [property: JsonPropertyName("buyer_days")] long BuyerDays,
    [property: JsonPropertyName("converted_buyer_days")] long ConvertedBuyerDays,
    [property: JsonPropertyName("impressions")] long Impressions,
    [property: JsonPropertyName("products_shown")] long ProductsShown,
    [property: JsonPropertyName("attributed_orders")] long AttributedOrders,
    [property: JsonPropertyName("attributed_carts")] long AttributedCarts,
    [property: JsonPropertyName("attributed_wishlists")] long AttributedWishlists,
    [property: JsonPropertyName("revenue")] double Revenue,
    [property: JsonPropertyName("conversion_rate")] double ConversionRate,
    [property: JsonPropertyName("conversion_rate_95")] double[] ConversionInterval,
    [property: JsonPropertyName("revenue_per_1000_impressions")] double RevenuePerThousandImpressions,
    [property: JsonPropertyName("revenue_per_1000_impressions_95"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double[]? RevenueInterval,
    [property: JsonPropertyName("versus_control"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Comparison? VersusControl);

/// <summary>A variant against the control.</summary>
public sealed record Comparison(
    [property: JsonPropertyName("conversion_difference")] double ConversionDifference,
    [property: JsonPropertyName("conversion_p_value")] double ConversionPValue,
    [property: JsonPropertyName("significant")] bool Significant,
    [property: JsonPropertyName("revenue_per_1000_difference")] double RevenuePerThousandDifference,
    [property: JsonPropertyName("revenue_p_value")] double? RevenuePValue);

/// <summary>One day of one variant, from the roll-up.</summary>
public sealed record DayReport(
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("buyer_days")] long BuyerDays,
    [property: JsonPropertyName("converted_buyer_days")] long ConvertedBuyerDays,
    [property: JsonPropertyName("impressions")] long Impressions,
    [property: JsonPropertyName("attributed_orders")] long AttributedOrders,
    [property: JsonPropertyName("revenue")] double Revenue);
