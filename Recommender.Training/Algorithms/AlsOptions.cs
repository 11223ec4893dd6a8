namespace Recommender.Training.Algorithms;

/// <summary>
/// Hyperparameters of <see cref="ImplicitAls"/>. Defaults are the ones the service trains with;
/// call <see cref="Validate"/> (the trainer does) before fitting.
/// </summary>
public sealed class AlsOptions
{
    /// <summary>Latent dimension k of buyer and product vectors.</summary>
    public int Factors { get; set; } = 64;

    /// <summary>Ridge penalty λ on every vector; must be positive so each solve is well posed.</summary>
    public float Regularization { get; set; } = 0.05f;

    /// <summary>Confidence slope α: an interaction of summed weight r counts with confidence 1 + α·r.</summary>
    public float Alpha { get; set; } = 10f;

    /// <summary>Alternating sweeps (each solves all buyers, then all products).</summary>
    public int Iterations { get; set; } = 15;

    /// <summary>Conjugate-gradient steps per row and sweep, warm-started from the previous vector.</summary>
    public int ConjugateGradientSteps { get; set; } = 3;

    /// <summary>Seed of the initial factors: the same seed and data give bit-identical factors.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Threads used for the row solves; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxDegreeOfParallelism { get; set; }

    internal int EffectiveParallelism => MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first out-of-range value.</summary>
    public void Validate()
    {
        if (Factors is < 1 or > 1024)
            throw new ArgumentException($"AlsOptions.Factors must be between 1 and 1024, got {Factors}.");
        if (!float.IsFinite(Regularization) || Regularization <= 0)
            throw new ArgumentException($"AlsOptions.Regularization must be a positive finite number, got {Regularization}.");
        if (!float.IsFinite(Alpha) || Alpha < 0)
            throw new ArgumentException($"AlsOptions.Alpha must be a finite number ≥ 0, got {Alpha}.");
        if (Iterations < 1)
            throw new ArgumentException($"AlsOptions.Iterations must be at least 1, got {Iterations}.");
        if (ConjugateGradientSteps < 1)
            throw new ArgumentException($"AlsOptions.ConjugateGradientSteps must be at least 1, got {ConjugateGradientSteps}.");
        if (MaxDegreeOfParallelism < 0)
            throw new ArgumentException($"AlsOptions.MaxDegreeOfParallelism must be 0 (all cores) or positive, got {MaxDegreeOfParallelism}.");
    }
}
