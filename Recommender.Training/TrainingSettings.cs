using System.Text.Json;
using Recommender.Training.Algorithms;
using Recommender.Training.Data;

namespace Recommender.Training;

/// <summary>Everything that decides what a training produces; part of every model's fingerprint.</summary>
public sealed class TrainingSettings
{
    public const string Als = "als";
    public const string Svd = "svd";
    public const string Popularity = "popularity";
    public static readonly string[] Algorithms = [Als, Svd, Popularity];

    /// <summary>"als" (default), "svd" (the original service's baseline) or "popularity".</summary>
    public string Algorithm { get; set; } = Als;

    public AlsOptions AlsOptions { get; set; } = new();

    /// <summary>Components of the truncated SVD baseline; the original used 20.</summary>
    public int SvdComponents { get; set; } = 20;

    public int Seed { get; set; } = 42;

    public InteractionWeights Weights { get; set; } = new();

    public void Validate()
    {
        if (!Algorithms.Contains(Algorithm))
            throw new ArgumentException($"Unknown algorithm '{Algorithm}'; expected one of {string.Join(", ", Algorithms)}.");
        if (SvdComponents < 1) throw new ArgumentException("SvdComponents must be at least 1.");
        if (Weights.Order < 0 || Weights.Cart < 0 || Weights.Wishlist < 0)
            throw new ArgumentException("Interaction weights must not be negative.");
        AlsOptions.Validate();
    }

    /// <summary>A stable hash of the settings: a model trained with other settings is stale.</summary>
    public string Fingerprint() => $"{StableHash.Of(JsonSerializer.Serialize(this)):x16}";
}
