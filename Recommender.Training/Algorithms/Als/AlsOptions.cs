using System.ComponentModel.DataAnnotations;

namespace Recommender.Training.Algorithms.Als;

/// <summary>
/// Hyperparameters of <see cref="ImplicitAls"/>, bound from <c>Recommender:Training:Als</c> and from
/// <c>evaluate --option</c> (by property name or the short alias). Defaults are the ones the
/// service trains with; <see cref="Validate"/> checks the ranges declared here.
/// </summary>
public sealed class AlsOptions
{
    /// <summary>Latent dimension k of buyer and product vectors.</summary>
    [Range(1, 1024)]
    public int Factors { get; set; } = 64;

    /// <summary>Ridge penalty λ on every vector; must be positive so each solve is well posed.</summary>
    [Range(0, float.MaxValue, MinimumIsExclusive = true)]
    public float Regularization { get; set; } = 0.05f;

    /// <summary>Confidence slope α: an interaction of summed weight r counts with confidence 1 + α·r.</summary>
    [Range(0, float.MaxValue)]
    public float Alpha { get; set; } = 10f;

    /// <summary>Alternating sweeps (each solves all buyers, then all products).</summary>
    [Range(1, int.MaxValue)]
    public int Iterations { get; set; } = 15;

    /// <summary>Conjugate-gradient steps per row and sweep, warm-started from the previous vector.</summary>
    [OptionAlias("cg")]
    [Range(1, int.MaxValue)]
    public int ConjugateGradientSteps { get; set; } = 3;

    /// <summary>Seed of the initial factors: the same seed and data give bit-identical factors.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// Half-life in days of an interaction's weight, measured back from each buyer's latest one:
    /// training and a live buyer's fold-in both weight kind × 2^(−age / half-life). 0 turns it off.
    /// </summary>
    [OptionAlias("halflife")]
    [Range(0, double.MaxValue)]
    public double HalfLifeDays { get; set; }

    /// <summary>Threads used for the row solves; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    [OptionAlias("threads")]
    [Range(0, int.MaxValue)]
    public int MaxDegreeOfParallelism { get; set; }

    internal int EffectiveParallelism => MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    /// <summary>Throws <see cref="ArgumentException"/> naming every out-of-range value.</summary>
    public void Validate() => OptionBinding.Validate(this);
}
