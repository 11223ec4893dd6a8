namespace Recommender.Training.Artifacts;

/// <summary>
/// What a model zip says about itself: enough to know where it came from, whether it may be
/// loaded by this code, and whether the shop has changed since it was trained.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The layout of the zip; a reader refuses versions it does not know.</summary>
    public const int CurrentFormatVersion = 2;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Monotonic: a newer model always has a larger version.</summary>
    public long Version { get; init; }

    /// <summary>"itemknn", "als", "svd" or "popularity": which fitted scorer the zip holds.</summary>
    public required string Algorithm { get; init; }

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

    /// <summary>Why the model is not what the settings asked for (e.g. it lost to popularity), or null.</summary>
    public string? FallbackReason { get; init; }

    /// <summary>
    /// Offline metrics when they were measured, else empty: "ndcg@10", "hr@10", "ndcg@20", "hr@20"
    /// of this model's algorithm on the holdout of every buyer's latest interaction, and the same
    /// for popularity prefixed "popularity_".
    /// </summary>
    public Dictionary<string, double> Metrics { get; init; } = [];
}
