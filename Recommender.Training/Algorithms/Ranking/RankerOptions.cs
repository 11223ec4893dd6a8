using System.ComponentModel.DataAnnotations;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// Settings of the learned ranker (<see cref="RankerAlgorithm"/>), bound from
/// <c>Recommender:Training:Ranker</c> and from <c>evaluate --option</c>. The sources it ranks are
/// fitted with their own defaults except where named here; model selection copies the item
/// model's tuned half-life and transition weight into <see cref="ItemHalfLifeDays"/> and
/// <see cref="ItemTransitionWeight"/>.
/// </summary>
public sealed class RankerOptions
{
    /// <summary>Products each source proposes per buyer; their union is what the ranker orders.</summary>
    [OptionAlias("candidates")]
    [Range(10, 1000)]
    public int CandidatesPerSource { get; set; } = 15;

    /// <summary>
    /// Products popularity and trending each propose per buyer. Their proposals are nearly the
    /// same for every buyer and seldom what a buyer takes next, so fewer of them than of the
    /// personal sources: each candidate costs the trees a walk on every request.
    /// </summary>
    [OptionAlias("popularcandidates")]
    [Range(0, 1000)]
    public int PopularCandidates { get; set; } = 5;

    /// <summary>
    /// Products the categories of the buyer's last few products propose (their most popular), so
    /// that the ranker sees products the collaborative sources do not reach; none for a shop
    /// without categories.
    /// </summary>
    [OptionAlias("contentcandidates")]
    [Range(0, 1000)]
    public int ContentCandidates { get; set; } = 10;

    /// <summary>The item-to-item source's profile half-life (<c>ItemKnnOptions.HalfLifeDays</c>).</summary>
    [OptionAlias("itemhalflife")]
    [Range(0, double.MaxValue)]
    public double ItemHalfLifeDays { get; set; } = 2;

    /// <summary>The item-to-item source's transition weight (<c>ItemKnnOptions.TransitionWeight</c>).</summary>
    [OptionAlias("itemtransition")]
    [Range(0, float.MaxValue)]
    public float ItemTransitionWeight { get; set; } = 4f;

    /// <summary>Latent factors of the ALS source; 0 leaves ALS out.</summary>
    [OptionAlias("alsfactors")]
    [Range(0, 1024)]
    public int AlsFactors { get; set; } = 32;

    /// <summary>Boosting rounds: trees in the ensemble.</summary>
    [Range(1, 5000)]
    public int Trees { get; set; } = 50;

    /// <summary>Leaves per tree.</summary>
    [Range(2, 1024)]
    public int Leaves { get; set; } = 31;

    /// <summary>
    /// Deepest a tree may grow; 0 leaves it to the leaf count. Every candidate walks each tree to
    /// its full depth, so this bounds what a request costs.
    /// </summary>
    [OptionAlias("depth")]
    [Range(0, 64)]
    public int MaxDepth { get; set; } = 5;

    [OptionAlias("learningrate")]
    [Range(1e-4, 1)]
    public double LearningRate { get; set; } = 0.1;

    /// <summary>Fewest training rows a leaf may hold.</summary>
    [OptionAlias("minleaf")]
    [Range(1, int.MaxValue)]
    public int MinExamplesPerLeaf { get; set; } = 50;

    /// <summary>Buyers whose latest basket labels the training groups, at most (an even sample).</summary>
    [OptionAlias("trainbuyers")]
    [Range(50, int.MaxValue)]
    public int MaxTrainingBuyers { get; set; } = 25_000;

    /// <summary>Share of those buyers kept out of the ranker's training to check it against its sources.</summary>
    [OptionAlias("checkshare")]
    [Range(0.05, 0.5)]
    public double CheckShare { get; set; } = 0.2;

    /// <summary>Half-life in days of the trending feature.</summary>
    [OptionAlias("trendinghalflife")]
    [Range(0.01, double.MaxValue)]
    public double TrendingHalfLifeDays { get; set; } = 7;

    /// <summary>Seed of LightGBM and of the ALS source: the same data and seed give the same model.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>Threads for the fits and for building training rows; 0 means all cores.</summary>
    [OptionAlias("threads")]
    [Range(0, int.MaxValue)]
    public int MaxDegreeOfParallelism { get; set; }

    internal int EffectiveParallelism => MaxDegreeOfParallelism == 0 ? Environment.ProcessorCount : MaxDegreeOfParallelism;
}
