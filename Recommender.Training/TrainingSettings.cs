using System.Text.Json;
using Recommender.Training.Data;
using Recommender.Training.Evaluation;

namespace Recommender.Training;

/// <summary>Everything that decides what a training produces; part of every model's fingerprint.</summary>
public sealed class TrainingSettings
{
    /// <summary>Let the trainer choose the algorithm and hyperparameters on this shop's own holdout.</summary>
    public const string Auto = "auto";

    /// <summary>
    /// "auto" (default: chosen per shop, see <see cref="ModelSelection"/>), or one of
    /// "itemknn", "als", "svd" (the original service's baseline) and "popularity".
    /// </summary>
    public string Algorithm { get; set; } = Auto;

    /// <summary>
    /// Hyperparameters of a fixed <see cref="Algorithm"/>, named as for the evaluate command
    /// (e.g. factors, regularization, alpha, iterations for als; neighbours, halflife, transition for itemknn).
    /// </summary>
    public Dictionary<string, string> Options { get; set; } = [];

    public InteractionWeights Weights { get; set; } = new();

    /// <summary>Half-life of an interaction's weight in the trending ranking.</summary>
    public double TrendingHalfLifeDays { get; set; } = 7;

    /// <summary>
    /// Hold out every buyer's latest interaction, measure the model and popularity on it, record
    /// both in the manifest, and publish popularity instead of a model that does worse.
    /// </summary>
    public bool HoldoutEvaluation { get; set; } = true;

    /// <summary>At most this many buyers are scored on the holdout (an even sample); 0 scores all.</summary>
    public int HoldoutMaxBuyers { get; set; } = 5000;

    /// <summary>With "auto": the longest a selection may take (it always tries at least one candidate).</summary>
    public int SelectionBudgetSeconds { get; set; } = 60;

    /// <summary>With "auto": how long a selection stays valid before the trainer selects again.</summary>
    public double SelectionIntervalHours { get; set; } = 24;

    public void Validate()
    {
        if (Algorithm != Auto && !Candidate.Algorithms.Contains(Algorithm))
            throw new ArgumentException($"Unknown algorithm '{Algorithm}'; expected {Auto} or one of {string.Join(", ", Candidate.Algorithms)}.");
        if (Algorithm == Auto && Options.Count > 0)
            throw new ArgumentException("Options apply to a fixed Algorithm, not to \"auto\".");
        if (Weights.Order < 0 || Weights.Cart < 0 || Weights.Wishlist < 0 ||
            !float.IsFinite(Weights.Order + Weights.Cart + Weights.Wishlist))
            throw new ArgumentException("Interaction weights must be finite and not negative.");
        if (!(TrendingHalfLifeDays > 0) || !double.IsFinite(TrendingHalfLifeDays))
            throw new ArgumentException("TrendingHalfLifeDays must be a positive number.");
        if (HoldoutMaxBuyers < 0) throw new ArgumentException("HoldoutMaxBuyers must not be negative.");
        if (SelectionBudgetSeconds < 1) throw new ArgumentException("SelectionBudgetSeconds must be at least 1.");
        if (!(SelectionIntervalHours > 0)) throw new ArgumentException("SelectionIntervalHours must be positive.");
        // A fixed algorithm's options are checked by fitting nothing: unknown keys or bad numbers throw here.
        if (Algorithm != Auto) Candidate.ValidateOptions(Algorithm, Options);
    }

    /// <summary>The fixed candidate these settings name, or null for "auto".</summary>
    public Candidate? FixedCandidate => Algorithm == Auto ? null : new Candidate(Algorithm, Options);

    /// <summary>A stable hash of the settings: a model trained with other settings is stale.</summary>
    public string Fingerprint() => $"{StableHash.Of(JsonSerializer.Serialize(this)):x16}";
}
