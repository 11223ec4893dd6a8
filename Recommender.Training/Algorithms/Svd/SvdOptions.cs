using System.ComponentModel.DataAnnotations;

namespace Recommender.Training.Algorithms.Svd;

/// <summary>Hyperparameters of <see cref="TruncatedSvd"/>, bound from <c>Recommender:Training:Svd</c>.</summary>
public sealed class SvdOptions
{
    /// <summary>Singular triplets kept (the original service's 20).</summary>
    [Range(1, 1024)]
    public int Components { get; set; } = 20;

    /// <summary>Seed of the random test vectors.</summary>
    public int Seed { get; set; } = 42;
}
