using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Recommender.Training;
using Recommender.Training.Algorithms;
using Recommender.Training.Evaluation;

namespace Recommender.Api.Experiments;

/// <summary>
/// An A/B test between models (section <c>Recommender:Experiments</c>): named variants, each an
/// algorithm with its options and a share of the buyers. A buyer's variant is a stable hash of
/// <see cref="Salt"/> and their id (<see cref="ExperimentAssignment"/>), so it is the same on every
/// replica and every request. No variants: no experiment, everyone is <see cref="Default"/>.
/// </summary>
public sealed partial class ExperimentOptions
{
    /// <summary>The variant of a buyer outside any experiment: the model the service serves anyway.</summary>
    public const string Default = "default";

    /// <summary>At most this many variants (each is fitted at every training).</summary>
    public const int MaxVariants = 8;

    /// <summary>Names the experiment in <c>/experiments</c> and in the daily roll-up.</summary>
    public string Name { get; set; } = "experiment";

    /// <summary>Mixed into the hash that assigns buyers; changing it reshuffles everyone. Empty: the name.</summary>
    public string Salt { get; set; } = "";

    /// <summary>The variants, the first being the control every other is compared with.</summary>
    public List<VariantOptions> Variants { get; set; } = [];

    /// <summary>True when variants are configured.</summary>
    public bool IsRunning => Variants.Count > 0;

    /// <summary>The salt actually hashed.</summary>
    public string EffectiveSalt => string.IsNullOrEmpty(Salt) ? Name : Salt;

    /// <summary>What the roll-up and the statistics are keyed by: a new salt is a new experiment, since it reassigns buyers.</summary>
    public string Key => $"{Name}#{EffectiveSalt}";

    /// <summary>Problems with the settings, each naming its key; empty when valid.</summary>
    public IEnumerable<ValidationResult> Validate(TrainingSettings training)
    {
        if (!IsRunning) yield break;
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 64)
            yield return Error("Experiments:Name must be 1 to 64 characters.", "Name");
        if (Variants.Count > MaxVariants)
            yield return Error($"Experiments:Variants: at most {MaxVariants} variants.", "Variants");
        var total = 0.0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Variants.Count; i++)
        {
            var variant = Variants[i];
            var key = $"Variants:{i}";
            if (!VariantName().IsMatch(variant.Name ?? "") || variant.Name == Default)
                yield return Error($"Experiments:{key}:Name must be 1 to 32 lower-case letters, digits, '-' or '_', and not '{Default}'; got '{variant.Name}'.", $"{key}:Name");
            else if (!names.Add(variant.Name!))
                yield return Error($"Experiments:{key}:Name '{variant.Name}' is used twice.", $"{key}:Name");
            if (!(variant.Share > 0) || variant.Share > 1)
                yield return Error($"Experiments:{key}:Share must be above 0 and at most 1; got {variant.Share}.", $"{key}:Share");
            else
                total += variant.Share;
            string? error = null;
            try { _ = variant.CandidateFor(training); }
            catch (ArgumentException e) { error = e.Message; }
            if (error is not null)
                yield return Error($"Experiments:{key}: {error}", $"{key}:Algorithm");
        }
        if (total > 1 + 1e-9)
            yield return Error($"Experiments:Variants: the shares add up to {total}, more than 1.", "Variants");
    }

    /// <summary>The candidates to fit beside the default model, by variant name; variants that serve the default model are left out.</summary>
    public IReadOnlyList<(string Name, Candidate Candidate)> Candidates(TrainingSettings training) =>
        [.. Variants.Select(v => (v.Name, Candidate: v.CandidateFor(training))).Where(v => v.Candidate is not null).Select(v => (v.Name, v.Candidate!))];

    private static ValidationResult Error(string message, string member) => new(message, [$"Experiments:{member}"]);

    [GeneratedRegex("^[a-z0-9_-]{1,32}$")]
    private static partial Regex VariantName();
}

/// <summary>One arm of an experiment.</summary>
public sealed class VariantOptions
{
    /// <summary>Its name in responses ("variant"), metrics and <c>/experiments</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// A registered algorithm (<c>itemknn</c>, <c>als</c>, <c>svd</c>, <c>popularity</c>, and any added
    /// later), or <c>default</c>: the model the service would serve anyway (Training:Algorithm, <c>auto</c>'s choice).
    /// </summary>
    public string Algorithm { get; set; } = ExperimentOptions.Default;

    /// <summary>
    /// Options changed from the algorithm's configured section (<c>Training:Als</c>…), by property or
    /// short name: <c>Options:Factors=128</c>, <c>Options:halflife=1</c>.
    /// </summary>
    public Dictionary<string, string> Options { get; set; } = [];

    /// <summary>Fraction of buyers in this variant, above 0; the shares add up to at most 1, the rest of the buyers stay on the default.</summary>
    public double Share { get; set; }

    /// <summary>The algorithm and options to fit; null for a variant that serves the default model. Throws <see cref="ArgumentException"/> for unknown names or bad values.</summary>
    public Candidate? CandidateFor(TrainingSettings training)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (string.Equals(Algorithm, ExperimentOptions.Default, StringComparison.Ordinal))
        {
            if (Options.Count > 0) throw new ArgumentException("a variant on the default model takes no Options; name an algorithm.");
            return null;
        }
        var algorithm = AlgorithmRegistry.Find(Algorithm)
            ?? throw new ArgumentException($"unknown algorithm '{Algorithm}'; expected {ExperimentOptions.Default} or one of {string.Join(", ", AlgorithmRegistry.Names)}.");
        var options = OptionBinding.Apply(OptionBinding.Clone(training.OptionsFor(algorithm)), Options);
        OptionBinding.Validate(options);
        return new Candidate(algorithm, options);
    }
}
