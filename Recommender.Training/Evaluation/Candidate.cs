using Recommender.Training.Algorithms;

namespace Recommender.Training.Evaluation;

/// <summary>
/// An algorithm with its typed options, as named on the command line
/// (<c>--algorithm itemknn --option neighbours=200 …</c>), in the settings and in
/// <see cref="ModelSelection"/>'s grid.
/// </summary>
public sealed class Candidate
{
    public Candidate(IRecommenderAlgorithm algorithm, object options)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(options);
        if (!algorithm.OptionsType.IsInstanceOfType(options))
            throw new ArgumentException($"{algorithm.Name} takes {algorithm.OptionsType.Name}, not {options.GetType().Name}.", nameof(options));
        Algorithm = algorithm;
        Options = options;
    }

    public IRecommenderAlgorithm Algorithm { get; }

    /// <summary>An instance of the algorithm's options class; never changed after construction.</summary>
    public object Options { get; }

    public string Name => Algorithm.Name;

    /// <summary>The popularity baseline every model is measured against.</summary>
    public static Candidate Popularity => Of(AlgorithmRegistry.Popularity.Name);

    /// <summary>
    /// The algorithm named <paramref name="algorithm"/> with its default options changed by
    /// <c>key=value</c> pairs. Unknown algorithms, unknown keys and bad numbers throw <see cref="ArgumentException"/>.
    /// </summary>
    public static Candidate Of(string algorithm, params (string Key, object Value)[] options)
    {
        var found = AlgorithmRegistry.Get(algorithm);
        return new Candidate(found, OptionBinding.Apply(found.DefaultOptions(),
            options.Select(o => KeyValuePair.Create(o.Key, Convert.ToString(o.Value, System.Globalization.CultureInfo.InvariantCulture)!))));
    }

    /// <summary>The same algorithm with more options changed.</summary>
    public Candidate With(IEnumerable<KeyValuePair<string, string>> options) =>
        new(Algorithm, OptionBinding.Apply(Options, options));

    public IFittedModel Fit(BuyerHistories train, CancellationToken cancellationToken) => Algorithm.Fit(train, Options, cancellationToken);

    /// <summary>The name, and the options that differ from the defaults: <c>itemknn(halflife=1, transition=16)</c>.</summary>
    public override string ToString()
    {
        var changes = OptionBinding.DescribeChanges(Options, Algorithm.DefaultOptions());
        return changes.Length == 0 ? Name : $"{Name}({changes})";
    }
}
