using System.Globalization;
using Recommender.Training.Algorithms;
using Recommender.Training.Matrix;
using Recommender.Training.Scoring;

namespace Recommender.Training.Evaluation;

/// <summary>
/// An algorithm with its hyperparameters, as named on the command line
/// (<c>--algorithm itemknn --option neighbours=200 …</c>) and in <see cref="ModelSelection"/>'s grid.
/// </summary>
public sealed record Candidate(string Algorithm, IReadOnlyDictionary<string, string> Options)
{
    public const string Popularity = "popularity";
    public const string Svd = "svd";
    public const string Als = "als";
    public const string ItemKnn = "itemknn";
    public static readonly string[] Algorithms = [Popularity, Svd, Als, ItemKnn];

    public static Candidate Of(string algorithm, params (string Key, object Value)[] options) =>
        new(algorithm, options.ToDictionary(o => o.Key, o => Convert.ToString(o.Value, CultureInfo.InvariantCulture)!, StringComparer.OrdinalIgnoreCase));

    public override string ToString() =>
        Options.Count == 0 ? Algorithm : $"{Algorithm}({string.Join(", ", Options.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"))})";

    /// <summary>Fits on <paramref name="train"/>. Unknown option keys throw, so a typo is not silently ignored.</summary>
    public IBuyerScorer Fit(BuyerHistories train, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(train);
        var options = new OptionReader(Options);
        IBuyerScorer scorer = Algorithm switch
        {
            Popularity => new PopularityScorer(ColumnSums(train.ToMatrix())),
            Svd => FactorScorer.Of(TruncatedSvd.Fit(train.ToMatrix(), options.Int("components", 20), options.Int("seed", 42), cancellationToken)),
            Als => FitAls(train, options, cancellationToken),
            ItemKnn => new ItemKnnScorer(Training.Algorithms.ItemKnn.Fit(train, ItemKnnOptionsOf(options), cancellationToken)),
            _ => throw new ArgumentException($"Unknown algorithm '{Algorithm}'; expected one of {string.Join(", ", Algorithms)}."),
        };
        options.ThrowOnUnused();
        return scorer;
    }

    /// <summary>Checks an algorithm's options as <see cref="Fit"/> would read them, without fitting.</summary>
    public static void ValidateOptions(string algorithm, IReadOnlyDictionary<string, string> values)
    {
        var options = new OptionReader(values);
        switch (algorithm)
        {
            case Popularity: break;
            case Svd:
                if (options.Int("components", 20) < 1) throw new ArgumentException("Option components must be at least 1.");
                options.Int("seed", 42);
                break;
            case Als: AlsOptionsOf(options, out _).Validate(); break;
            case ItemKnn: ItemKnnOptionsOf(options).Validate(); break;
            default: throw new ArgumentException($"Unknown algorithm '{algorithm}'; expected one of {string.Join(", ", Algorithms)}.");
        }
        options.ThrowOnUnused();
    }

    public static AlsOptions AlsOptionsOf(IReadOnlyDictionary<string, string> values, out double halfLifeDays)
    {
        var options = new OptionReader(values);
        var als = AlsOptionsOf(options, out halfLifeDays);
        options.ThrowOnUnused();
        return als;
    }

    private static IBuyerScorer FitAls(BuyerHistories train, OptionReader options, CancellationToken cancellationToken)
    {
        var als = AlsOptionsOf(options, out var halfLifeDays);
        return FactorScorer.Of(ImplicitAls.Fit(train.ToMatrix(halfLifeDays), als, cancellationToken));
    }

    private static AlsOptions AlsOptionsOf(OptionReader options, out double halfLifeDays)
    {
        var defaults = new AlsOptions();
        halfLifeDays = options.Double("halflife", 0);
        return new AlsOptions
        {
            Factors = options.Int("factors", defaults.Factors),
            Regularization = (float)options.Double("regularization", defaults.Regularization),
            Alpha = (float)options.Double("alpha", defaults.Alpha),
            Iterations = options.Int("iterations", defaults.Iterations),
            ConjugateGradientSteps = options.Int("cg", defaults.ConjugateGradientSteps),
            Seed = options.Int("seed", defaults.Seed),
        };
    }

    private static ItemKnnOptions ItemKnnOptionsOf(OptionReader options)
    {
        var defaults = new ItemKnnOptions();
        return new ItemKnnOptions
        {
            Neighbours = options.Int("neighbours", defaults.Neighbours),
            Shrinkage = (float)options.Double("shrinkage", defaults.Shrinkage),
            Alpha = (float)options.Double("alpha", defaults.Alpha),
            TransitionWeight = (float)options.Double("transition", defaults.TransitionWeight),
            TransitionDecay = (float)options.Double("decay", defaults.TransitionDecay),
            BackwardShare = (float)options.Double("backward", defaults.BackwardShare),
            HalfLifeDays = options.Double("halflife", defaults.HalfLifeDays),
            TrainingHalfLifeDays = options.Double("trainhalflife", defaults.TrainingHalfLifeDays),
            MaxPairDistance = options.Int("maxdistance", defaults.MaxPairDistance),
        };
    }

    internal static float[] ColumnSums(CsrMatrix matrix)
    {
        var sums = new float[matrix.Columns];
        for (var n = 0; n < matrix.NonZeros; n++) sums[matrix.Indices[n]] += matrix.Values[n];
        return sums;
    }

    private sealed class OptionReader(IReadOnlyDictionary<string, string> values)
    {
        private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

        public int Int(string key, int fallback) => Read(key, fallback, s => int.Parse(s, CultureInfo.InvariantCulture));

        public double Double(string key, double fallback) => Read(key, fallback, s => double.Parse(s, CultureInfo.InvariantCulture));

        public void ThrowOnUnused()
        {
            var unknown = values.Keys.Where(k => !_used.Contains(k)).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown)}.");
        }

        private T Read<T>(string key, T fallback, Func<string, T> parse)
        {
            _used.Add(key);
            var match = values.FirstOrDefault(v => string.Equals(v.Key, key, StringComparison.OrdinalIgnoreCase));
            if (match.Key is null) return fallback;
            try { return parse(match.Value); }
            catch (Exception e) when (e is FormatException or OverflowException) { throw new ArgumentException($"Option {key}={match.Value} is not a number."); }
        }
    }
}
