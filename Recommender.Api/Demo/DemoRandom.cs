using System.Globalization;

namespace Recommender.Api.Demo;

/// <summary>
/// The sampling the demo shop is made of, on one seeded <see cref="Random"/> so that a seed
/// always gives the same shop. (Never enumerate a hash set of strings here: string hashes, and
/// so their order, change from one process to the next.)
/// </summary>
internal static class DemoRandom
{
    /// <summary>Running sums of <paramref name="weights"/>, for <see cref="PickWeighted"/>.</summary>
    public static double[] Cumulative(IEnumerable<double> weights)
    {
        var sums = weights.ToArray();
        for (var i = 1; i < sums.Length; i++)
            sums[i] += sums[i - 1];
        return sums;
    }

    /// <summary>An index drawn with probability proportional to its weight.</summary>
    public static int PickWeighted(this Random random, double[] cumulative)
    {
        var target = random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    /// <summary>A count with the given mean (Knuth's method; fine for the small means used here).</summary>
    public static int Poisson(this Random random, double mean)
    {
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }

    /// <summary>A value spread evenly on a log scale, as prices are.</summary>
    public static double LogUniform(this Random random, double min, double max) =>
        Math.Exp(Math.Log(min) + random.NextDouble() * (Math.Log(max) - Math.Log(min)));

    /// <summary>A moment between <paramref name="from"/> and <paramref name="until"/>, whole milliseconds.</summary>
    public static DateTime Between(this Random random, DateTime from, DateTime until) =>
        until <= from ? until : from.AddMilliseconds(Math.Floor(random.NextDouble() * (until - from).TotalMilliseconds));

    /// <summary>A moment in the window before <paramref name="until"/>, more often recent: a growing shop.</summary>
    public static DateTime Recent(this Random random, DateTime until, TimeSpan window) =>
        until.AddMilliseconds(-Math.Floor(Math.Pow(random.NextDouble(), 1.4) * window.TotalMilliseconds));

    /// <summary>
    /// The timestamp text stored in TIMESTAMP(3) columns: ISO-8601 with milliseconds and no zone,
    /// as PostgreSQL's row_to_json writes a TIMESTAMP(3) holding UTC; the SQLite reader parses it back as UTC.
    /// </summary>
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
