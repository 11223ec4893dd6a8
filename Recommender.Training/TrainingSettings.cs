using System.Text.Json;
using System.Text.Json.Serialization;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Ranking;
using Recommender.Training.Algorithms.Svd;
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
    /// "itemknn", "als", "ranked" (the learned ranker over the others), "svd" (the original service's baseline) and "popularity".
    /// </summary>
    public string Algorithm { get; set; } = Auto;

    /// <summary>Options of the item-to-item model when <see cref="Algorithm"/> is "itemknn" (section <c>Training:ItemKnn</c>).</summary>
    public ItemKnnOptions ItemKnn { get; set; } = new();

    /// <summary>Options of ALS when <see cref="Algorithm"/> is "als" (section <c>Training:Als</c>).</summary>
    public AlsOptions Als { get; set; } = new();

    /// <summary>Options of the SVD baseline when <see cref="Algorithm"/> is "svd" (section <c>Training:Svd</c>).</summary>
    public SvdOptions Svd { get; set; } = new();

    /// <summary>Options of the learned ranker when <see cref="Algorithm"/> is "ranked" (section <c>Training:Ranker</c>).</summary>
    public RankerOptions Ranker { get; set; } = new();

    public InteractionWeights Weights { get; set; } = new();

    /// <summary>Half-life of an interaction's weight in the trending ranking.</summary>
    public double TrendingHalfLifeDays { get; set; } = 7;

    /// <summary>
    /// Hold out every buyer's latest basket, measure the model and popularity on it, record
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
        if (Algorithm != Auto && AlgorithmRegistry.Find(Algorithm) is null)
            throw new ArgumentException($"Unknown algorithm '{Algorithm}'; expected {Auto} or one of {string.Join(", ", AlgorithmRegistry.Names)}.");
        if (Weights.Order < 0 || Weights.Cart < 0 || Weights.Wishlist < 0 ||
            !float.IsFinite(Weights.Order + Weights.Cart + Weights.Wishlist))
            throw new ArgumentException("Interaction weights must be finite and not negative.");
        if (!(TrendingHalfLifeDays > 0) || !double.IsFinite(TrendingHalfLifeDays))
            throw new ArgumentException("TrendingHalfLifeDays must be a positive number.");
        if (HoldoutMaxBuyers < 0) throw new ArgumentException("HoldoutMaxBuyers must not be negative.");
        if (SelectionBudgetSeconds < 1) throw new ArgumentException("SelectionBudgetSeconds must be at least 1.");
        if (!(SelectionIntervalHours > 0)) throw new ArgumentException("SelectionIntervalHours must be positive.");
        foreach (var algorithm in AlgorithmRegistry.All)
            OptionBinding.Validate(OptionsFor(algorithm));
    }

    /// <summary>The fixed candidate these settings name, or null for "auto".</summary>
    [JsonIgnore]
    public Candidate? FixedCandidate =>
        Algorithm == Auto ? null : new Candidate(AlgorithmRegistry.Get(Algorithm), OptionBinding.Clone(OptionsFor(AlgorithmRegistry.Get(Algorithm))));

    /// <summary>
    /// The configured options of an algorithm: the property of these settings named as its
    /// <see cref="IRecommenderAlgorithm.Section"/>, or its defaults when it has no section.
    /// </summary>
    public object OptionsFor(IRecommenderAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        return algorithm.Section is { } section && GetType().GetProperty(section)?.GetValue(this) is { } options
            ? options
            : algorithm.DefaultOptions();
    }

    /// <summary>A stable hash of the settings: a model trained with other settings is stale.</summary>
    public string Fingerprint() => $"{StableHash.Of(JsonSerializer.Serialize(this)):x16}";
}
