using System.Diagnostics;
using Recommender.Training.Algorithms;
using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.ItemToItem;
using Recommender.Training.Algorithms.Ranking;
using Recommender.Training.Data;

namespace Recommender.Training.Evaluation;

/// <summary>Where <see cref="ModelSelection"/> looks and for how long.</summary>
public sealed class ModelSelectionOptions
{
    /// <summary>
    /// No new candidate starts after this much time; popularity and the first candidate of the
    /// grid are always tried, so a winner exists however small the budget.
    /// </summary>
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The candidates to try, in order; null means the default search: the item model's axes
    /// (<see cref="ModelSelection.ItemKnnAxes"/>) one at a time, the learned ranker over the best
    /// of them (<see cref="ModelSelection.RankerOver"/>), then <see cref="ModelSelection.AlsGrid"/>.
    /// </summary>
    public IReadOnlyList<Candidate>? Grid { get; set; }

    /// <summary>Threads for scoring; 0 means all cores.</summary>
    public int MaxDegreeOfParallelism { get; set; }
}

/// <summary>One candidate's result on the holdout.</summary>
public sealed record CandidateResult(Candidate Candidate, RankingMetrics Metrics, double Seconds);

/// <summary>
/// The outcome: the best candidate by NDCG@10 on the holdout, and popularity's figures on the
/// same holdout (a model that cannot beat popularity should not be published).
/// </summary>
public sealed record SelectionResult(Candidate Winner, RankingMetrics WinnerMetrics, RankingMetrics PopularityMetrics,
    IReadOnlyList<CandidateResult> Tried, bool BudgetExhausted)
{
    public bool BeatsPopularity => WinnerMetrics.Ndcg10 > PopularityMetrics.Ndcg10;
}

/// <summary>
/// Picks the algorithm and hyperparameters for one shop: holds out every buyer's latest basket
/// (<see cref="LatestBasket"/>; buyers with something before it), fits each candidate on the rest,
/// and ranks all products for those buyers. No console output; cancellation is checked between
/// and inside fits. A shop where no buyer can be evaluated yet (empty, or nobody with two
/// baskets) gives no evidence: the default item model is chosen untried, since it serves
/// "bought together" where it has them and popularity elsewhere.
/// </summary>
public static class ModelSelection
{
    /// <summary>Selects on a shop's interaction log, weighted by kind.</summary>
    public static SelectionResult Select(InteractionLog log, InteractionWeights weights, ModelSelectionOptions options, CancellationToken cancellationToken) =>
        Select(BuyerHistories.FromLog(log, weights), options, cancellationToken);

    /// <summary>Selects on time-ordered histories (the latest basket of each buyer is held out).</summary>
    public static SelectionResult Select(BuyerHistories histories, ModelSelectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(options);
        var split = LatestBasket.Holdout(histories);
        var clock = Stopwatch.StartNew();
        var popularity = Run(Candidate.Popularity, split, options, cancellationToken);
        var tried = new List<CandidateResult> { popularity };
        if (split.EvaluatedBuyers == 0)
        {
            var fallback = options.Grid is { Count: > 0 } given ? given[0] : Candidate.Of(ItemKnnAlgorithm.AlgorithmName);
            return new SelectionResult(fallback, popularity.Metrics, popularity.Metrics, tried, BudgetExhausted: false);
        }
        var best = popularity;
        var exhausted = false;

        bool Try(Candidate candidate)
        {
            if (tried.Count > 1 && clock.Elapsed > options.TimeBudget)
            {
                exhausted = true;
                return false;
            }
            if (tried.Any(t => t.Candidate.ToString() == candidate.ToString())) return true;
            var result = Run(candidate, split, options, cancellationToken);
            tried.Add(result);
            // A change must win by a margin: differences within sampling noise would otherwise
            // pick settings (more neighbours, another algorithm) for nothing.
            if (result.Metrics.Ndcg10 > best.Metrics.Ndcg10 * (1 + MinimumRelativeGain)) best = result;
            return true;
        }

        if (options.Grid is { } grid)
        {
            foreach (var candidate in grid)
                if (!Try(candidate)) break;
        }
        else
        {
            SearchItemKnn(Try, () => best.Candidate);
            if (split.EvaluatedBuyers < MinBuyersForRanker || Try(RankerOver(best.Candidate)))
                foreach (var candidate in AlsGrid)
                    if (!Try(candidate)) break;
        }
        return new SelectionResult(best.Candidate, best.Metrics, popularity.Metrics, tried, exhausted);
    }

    /// <summary>How much better (relative NDCG@10) a candidate must be to replace the best so far.</summary>
    public const double MinimumRelativeGain = 0.01;

    /// <summary>
    /// The item model's search axes, tried one at a time from the defaults (coordinate search):
    /// each axis keeps the value that did best before the next axis is tried. The values span
    /// "the last few interactions" to "the whole history" and "no order" to "strongly sequential",
    /// so nothing here is fitted to one data set.
    /// </summary>
    public static readonly IReadOnlyList<(string Key, double[] Values)> ItemKnnAxes =
    [
        ("halflife", [1, 4, 16, 0]),
        ("transition", [0, 1, 16]),
        ("shrinkage", [10, 200]),
        ("alpha", [0.5, 0.9]),
        ("neighbours", [50, 500]),
    ];

    /// <summary>ALS settings tried after the item model when time remains (the tuned ALS, with recency).</summary>
    public static readonly IReadOnlyList<Candidate> AlsGrid =
    [
        Candidate.Of(AlsAlgorithm.AlgorithmName, ("factors", 128), ("regularization", 10), ("alpha", 40), ("halflife", 2)),
    ];

    /// <summary>
    /// Fewest buyers with a held-out basket before the ranker is tried: it learns only from those
    /// whose basket is among their candidates (a quarter to a fifth on the benchmarks), and needs
    /// a hundred of them and more to check it.
    /// </summary>
    public const int MinBuyersForRanker = 500;

    /// <summary>
    /// The learned ranker with the item model found so far as its item source. It replaces that
    /// model only by beating it on this holdout, which neither its sources nor its trees saw.
    /// </summary>
    public static Candidate RankerOver(Candidate itemModel)
    {
        ArgumentNullException.ThrowIfNull(itemModel);
        return itemModel.Options is ItemKnnOptions item
            ? Candidate.Of(RankerAlgorithm.AlgorithmName, ("itemhalflife", item.HalfLifeDays), ("itemtransition", item.TransitionWeight))
            : Candidate.Of(RankerAlgorithm.AlgorithmName);
    }

    private static void SearchItemKnn(Func<Candidate, bool> tryCandidate, Func<Candidate> currentBest)
    {
        var center = Candidate.Of(ItemKnnAlgorithm.AlgorithmName);
        if (!tryCandidate(center)) return;
        foreach (var (key, values) in ItemKnnAxes)
        {
            foreach (var value in values)
            {
                var step = center.With([KeyValuePair.Create(key, value.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                if (!tryCandidate(step)) return;
            }
            if (currentBest() is { Name: ItemKnnAlgorithm.AlgorithmName } best)
                center = best;
        }
    }

    private static CandidateResult Run(Candidate candidate, HoldoutSplit split, ModelSelectionOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var fitted = candidate.Fit(split.Train, cancellationToken);
        // A ranker that gave way to its best source is measured as what would serve.
        var model = fitted.Served;
        var metrics = Evaluator.Evaluate(model, split, options.MaxDegreeOfParallelism, cancellationToken);
        return new CandidateResult(candidate, metrics, clock.Elapsed.TotalSeconds);
    }
}
