using System.ComponentModel.DataAnnotations;

namespace Recommender.Training.Algorithms.ItemToItem;

/// <summary>
/// Hyperparameters of <see cref="ItemKnn"/>, bound from <c>Recommender:Training:ItemKnn</c> and from
/// <c>evaluate --option</c> (by property name or the short alias). <see cref="Validate"/> (the fit
/// calls it) checks the ranges declared here.
/// The defaults did well on the validation items of two public benchmarks (docs/quality.md);
/// <see cref="Evaluation.ModelSelection"/> tunes the half-life, transition weight, shrinkage,
/// α and neighbours per shop around them.
/// </summary>
public sealed class ItemKnnOptions
{
    /// <summary>Neighbours kept per product (the row length of the similarity matrix).</summary>
    [Range(1, int.MaxValue)]
    public int Neighbours { get; set; } = 200;

    /// <summary>
    /// Added to the similarity's denominator: pairs seen by few buyers are pulled towards 0, so a
    /// single shared buyer between two rare products does not look like a strong tie.
    /// </summary>
    [Range(0, float.MaxValue)]
    public float Shrinkage { get; set; } = 50f;

    /// <summary>
    /// Exponent of the asymmetric cosine: sim(a→b) = co(a,b) / (n_a^α · n_b^(1−α) + shrinkage).
    /// 0.5 is the cosine; lower values favour popular neighbours.
    /// </summary>
    [Range(0, 1)]
    public float Alpha { get; set; } = 0.7f;

    /// <summary>
    /// Extra weight of an ordered pair "b came after a" in the same buyer's history, on top of
    /// the 1 every co-occurrence gets: τ·decay^(gap−1) for a gap of `gap` positions. 0 gives the
    /// plain (symmetric) item-kNN; larger values make the model sequential ("what follows what").
    /// </summary>
    [OptionAlias("transition")]
    [Range(0, float.MaxValue)]
    public float TransitionWeight { get; set; } = 4f;

    /// <summary>How fast the transition bonus fades with the number of positions between a and b.</summary>
    [OptionAlias("decay")]
    [Range(0, 1)]
    public float TransitionDecay { get; set; } = 0.75f;

    /// <summary>Share of the transition bonus a backward pair (b came before a) gets, in [0, 1].</summary>
    [OptionAlias("backward")]
    [Range(0, 1)]
    public float BackwardShare { get; set; } = 0.25f;

    /// <summary>
    /// Half-life in days of a buyer's interactions when building their profile at scoring time:
    /// an interaction that old counts half. 0 turns decay off. (Training pairs have their own,
    /// <see cref="TrainingHalfLifeDays"/>.)
    /// </summary>
    [OptionAlias("halflife")]
    [Range(0, double.MaxValue)]
    public double HalfLifeDays { get; set; } = 2;

    /// <summary>
    /// Pairs further apart than this many positions in a buyer's history are not counted. It
    /// bounds the fit at O(interactions × distance) for buyers with very long histories; with
    /// histories shorter than this (almost every buyer of a typical shop) it changes nothing.
    /// </summary>
    [OptionAlias("maxdistance")]
    [Range(1, int.MaxValue)]
    public int MaxPairDistance { get; set; } = 200;

    /// <summary>
    /// Half-life in days of the training pairs, measured back from each buyer's latest
    /// interaction: a buyer's old habits say less about which products go together. 0 turns it off.
    /// </summary>
    [OptionAlias("trainhalflife")]
    [Range(0, double.MaxValue)]
    public double TrainingHalfLifeDays { get; set; }

    /// <summary>Threads used by the fit; 0 means <see cref="Environment.ProcessorCount"/>.</summary>
    [OptionAlias("threads")]
    [Range(0, int.MaxValue)]
    public int MaxDegreeOfParallelism { get; set; }

    internal int EffectiveParallelism => MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;

    /// <summary>Throws <see cref="ArgumentException"/> naming every out-of-range value.</summary>
    public void Validate() => OptionBinding.Validate(this);
}
