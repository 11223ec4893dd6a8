using System.Text.Json;
using Recommender.Training.Algorithms;

namespace Recommender.Training.Artifacts;

/// <summary>
/// What a model zip says about itself: enough to know where it came from, whether it may be
/// loaded by this code, and whether the shop has changed since it was trained.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>
    /// The layout of the zip's shared entries; a reader refuses versions it does not know.
    /// 3: the algorithm's own entries have a format of their own (<see cref="AlgorithmFormat"/>)
    /// and the manifest carries its typed <see cref="Options"/>. 2 is still read.
    /// </summary>
    public const int CurrentFormatVersion = 3;

    /// <summary>The oldest layout this code still reads.</summary>
    public const int OldestReadableFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Monotonic: a newer model always has a larger version.</summary>
    public long Version { get; init; }

    /// <summary>The registry name of the fitted algorithm the zip holds ("itemknn", "als", "svd", "popularity"…).</summary>
    public required string Algorithm { get; init; }

    /// <summary>The layout of the algorithm's own entries (its <c>FormatVersion</c> when written); 0 in format 2 zips.</summary>
    public int AlgorithmFormat { get; init; }

    /// <summary>The algorithm's options class as JSON: everything it was fitted with. Null in format 2 zips.</summary>
    public JsonElement? Options { get; init; }

    /// <summary>
    /// Numbers for people and dashboards: every option under its short name, the interaction
    /// weights ("weight_order", …) and "trending_halflife_days". Format 2 zips kept the options here.
    /// </summary>
    public Dictionary<string, double> Hyperparameters { get; init; } = [];
    public DateTimeOffset TrainedAt { get; init; }

    /// <summary>Fingerprint of the interactions the model was trained on.</summary>
    public required string DataFingerprint { get; init; }

    /// <summary>Fingerprint of the training settings; a change of settings retrains too.</summary>
    public required string SettingsFingerprint { get; init; }

    public int Buyers { get; init; }
    public int Products { get; init; }
    public int Interactions { get; init; }

    /// <summary>Latent factors per vector; 0 for popularity.</summary>
    public int Factors { get; init; }

    public double TrainingSeconds { get; init; }

    /// <summary>With "auto": the model selection this model's algorithm came from, reused until it expires.</summary>
    public SelectionRecord? Selection { get; init; }

    /// <summary>Why the model is not what the settings asked for (e.g. it lost to popularity), or null.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>
    /// When what this model kept from an earlier one (a learned ranker's trees) was learned; null
    /// when everything was fitted for this model. A refit keeps it until the selection interval passes.
    /// </summary>
    public DateTimeOffset? LearnedAt { get; init; }

    /// <summary>The fitted model's own account of its fit (<see cref="IFittedModel.Report"/>): a ranker's features, their importance, its groups and holdout.</summary>
    public JsonElement? Report { get; init; }

    /// <summary>
    /// Offline metrics when they were measured, else empty: "ndcg@10", "hr@10", "ndcg@20", "hr@20"
    /// of this model's algorithm on the holdout of every buyer's latest basket, and the same
    /// for popularity prefixed "popularity_".
    /// </summary>
    public Dictionary<string, double> Metrics { get; init; } = [];

    /// <summary>
    /// The models of an A/B experiment's variants that the zip holds beside the default one, by
    /// variant name: each one's algorithm, the format of its entries (under <c>variants/{name}/</c>)
    /// and its options. Empty without an experiment; readers that predate it ignore it and serve the default.
    /// </summary>
    public Dictionary<string, VariantManifest> Variants { get; init; } = [];

    /// <summary>This manifest describing <paramref name="fitted"/>: its algorithm, the format of its entries, its options and factors.</summary>
    public ModelManifest Describing(IFittedModel fitted)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        return this with
        {
            Algorithm = fitted.Algorithm,
            AlgorithmFormat = AlgorithmRegistry.Get(fitted.Algorithm).FormatVersion,
            Options = JsonSerializer.SerializeToElement(fitted.Options, fitted.Options.GetType(), ModelArtifact.ManifestJson),
            Factors = fitted.Factors,
            Report = fitted.Report is { } report ? JsonSerializer.SerializeToElement(report, report.GetType(), ModelArtifact.ManifestJson) : null,
        };
    }
}

/// <summary>One variant's fitted model in a model zip: what <see cref="ModelManifest"/> says of the default one.</summary>
public sealed record VariantManifest(string Algorithm, int AlgorithmFormat, JsonElement Options, int Factors)
{
    /// <summary>The record of <paramref name="fitted"/>.</summary>
    public static VariantManifest Of(IFittedModel fitted)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        return new(fitted.Algorithm, AlgorithmRegistry.Get(fitted.Algorithm).FormatVersion,
            JsonSerializer.SerializeToElement(fitted.Options, fitted.Options.GetType(), ModelArtifact.ManifestJson), fitted.Factors);
    }

    /// <summary>True when this records <paramref name="algorithm"/> fitted with <paramref name="options"/>: no need to fit it again.</summary>
    public bool Describes(string algorithm, object options) =>
        Algorithm == algorithm &&
        // Re-serialized without indentation: the element read back from a zip keeps the manifest's whitespace.
        JsonSerializer.Serialize(Options) == JsonSerializer.Serialize(JsonSerializer.SerializeToElement(options, options.GetType(), ModelArtifact.ManifestJson));
}
