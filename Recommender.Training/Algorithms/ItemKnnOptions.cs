namespace Recommender.Training.Algorithms;

/// <summary>
/// Hyperparameters of <see cref="ItemKnn"/>. Call <see cref="Validate"/> (the fit does) first.
/// The defaults did well on the validation items of two public benchmarks (docs/quality.md);
/// <see cref="Evaluation.ModelSelection"/> tunes the half-life, transition weight, shrinkage,
/// α and neighbours per shop around them.
/// </summary>
public sealed class ItemKnnOptions
{
    /// <summary>Neighbours kept per product (the row length of the similarity matrix).</summary>
    public int Neighbours { get; set; } = 200;

    /// <summary>
    /// Added to the similarity's denominator: pairs seen by few buyers are pulled towards 0, so a
    /// single shared buyer between two rare products does not look like a strong tie.
    /// </summary>
    public float Shrinkage { get; set; } = 50f;

    /// <summary>
    /// Exponent of the asymmetric cosine: sim(a→b) = co(a,b) / (n_a^α · n_b^(1−α) + shrinkage).
    /// 0.5 is the cosine; lower values favour popular neighbours.
    /// </summary>
    public float Alpha { get; set; } = 0.7f;

    /// <summary>
    /// Extra weight of an ordered pair "b came after a" in the same buyer's history, on top of
    /// the 1 every co-occurrence gets: τ·decay^(gap−1) for a gap of `gap` positions. 0 gives the
    /// plain (symmetric) item-kNN; larger values make the model sequential ("what follows what").
    /// </summary>
    public float TransitionWeight { get; set; } = 4f;

    /// <summary>How fast the transition bonus fades with the number of positions between a and b.</summary>
    public float TransitionDecay { get; set; } = 0.75f;

    /// <summary>Share of the transition bonus a backward pair (b came before a) gets, in [0, 1].</summary>
    public float BackwardShare { get; set; } = 0.25f;

    /// <summary>
    /// Half-life in days of a buyer's interactions when building their profile at scoring time:
    /// an interaction that old counts half. 0 turns decay off. (Training pairs have their own,
    /// <see cref="TrainingHalfLifeDays"/>.)
    /// </summary>
    public double HalfLifeDays { get; set; } = 2;

    /// <summary>
    /// Pairs further apart than this many positions in a buyer's history are not counted. It
    /// bounds the fit at O(interactions × distance) for buyers with very long histories; with
    /// histories shorter than this (almost every buyer of a typical shop) it changes nothing.
    /// </summary>
    public int MaxPairDistance { get; set; } = 200;

    /// <summary>
    /// Half-life in days of the training pairs, measured back from each buyer's latest
    /// interaction: a buyer's old habits say less about which products go together. 0 turns it off.
    /// </summary>
    public double TrainingHalfLifeDays { get; set; }

    /// <summary>Threads used by the fit; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    public int MaxDegreeOfParallelism { get; set; }

    internal int EffectiveParallelism => MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    public ItemKnnOptions Clone() => (ItemKnnOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first out-of-range value.</summary>
    public void Validate()
    {
        if (Neighbours < 1)
            throw new ArgumentException($"ItemKnnOptions.Neighbours must be at least 1, got {Neighbours}.");
        if (MaxPairDistance < 1)
            throw new ArgumentException($"ItemKnnOptions.MaxPairDistance must be at least 1, got {MaxPairDistance}.");
        if (!float.IsFinite(Shrinkage) || Shrinkage < 0)
            throw new ArgumentException($"ItemKnnOptions.Shrinkage must be a finite number ≥ 0, got {Shrinkage}.");
        if (!(Alpha >= 0 && Alpha <= 1))
            throw new ArgumentException($"ItemKnnOptions.Alpha must be in [0, 1], got {Alpha}.");
        if (!float.IsFinite(TransitionWeight) || TransitionWeight < 0)
            throw new ArgumentException($"ItemKnnOptions.TransitionWeight must be a finite number ≥ 0, got {TransitionWeight}.");
        if (!(TransitionDecay >= 0 && TransitionDecay <= 1))
            throw new ArgumentException($"ItemKnnOptions.TransitionDecay must be in [0, 1], got {TransitionDecay}.");
        if (!(BackwardShare >= 0 && BackwardShare <= 1))
            throw new ArgumentException($"ItemKnnOptions.BackwardShare must be in [0, 1], got {BackwardShare}.");
        if (!double.IsFinite(HalfLifeDays) || HalfLifeDays < 0)
            throw new ArgumentException($"ItemKnnOptions.HalfLifeDays must be a finite number ≥ 0, got {HalfLifeDays}.");
        if (!double.IsFinite(TrainingHalfLifeDays) || TrainingHalfLifeDays < 0)
            throw new ArgumentException($"ItemKnnOptions.TrainingHalfLifeDays must be a finite number ≥ 0, got {TrainingHalfLifeDays}.");
        if (MaxDegreeOfParallelism < 0)
            throw new ArgumentException($"ItemKnnOptions.MaxDegreeOfParallelism must be 0 (all cores) or positive, got {MaxDegreeOfParallelism}.");
    }
}
