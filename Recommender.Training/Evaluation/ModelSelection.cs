using System.Diagnostics;
using Recommender.Training.Algorithms;
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

    /// <summary>The candidates in the order they are tried; null means <see cref="ModelSelection.DefaultGrid"/>.</summary>
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
/// Picks the algorithm and hyperparameters for one shop: holds out every buyer's most recent
/// interaction (buyers with at least two), fits each candidate on the rest, and ranks all
/// products for those buyers. No console output; cancellation is checked between and inside fits.
/// </summary>
public static class ModelSelection
{
    /// <summary>Selects on a shop's interaction log, weighted by kind.</summary>
    public static SelectionResult Select(InteractionLog log, InteractionWeights weights, ModelSelectionOptions options, CancellationToken cancellationToken) =>
        Select(BuyerHistories.FromLog(log, weights), options, cancellationToken);

    /// <summary>Selects on time-ordered histories (the last entry of each buyer is held out).</summary>
    public static SelectionResult Select(BuyerHistories histories, ModelSelectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(options);
        var split = LeaveLastOut.Test(histories);
        var grid = options.Grid ?? DefaultGrid(histories);
        var clock = Stopwatch.StartNew();
        var popularity = Run(Candidate.Of(Candidate.Popularity), split, options, cancellationToken);
        var tried = new List<CandidateResult> { popularity };
        var best = popularity;
        var exhausted = false;
        for (var n = 0; n < grid.Count; n++)
        {
            if (n > 0 && clock.Elapsed > options.TimeBudget)
            {
                exhausted = true;
                break;
            }
            var result = Run(grid[n], split, options, cancellationToken);
            tried.Add(result);
            if (result.Metrics.Ndcg10 > best.Metrics.Ndcg10) best = result;
        }
        return new SelectionResult(best.Candidate, best.Metrics, popularity.Metrics, tried, exhausted);
    }

    /// <summary>
    /// The candidates tried by default, most promising first: the sequential item model across
    /// recency half-lives and transition strengths (cheap: one sparse fit each), then the plain
    /// item-kNN and a few ALS settings. Nothing here is tuned to one data set; the half-lives
    /// span "the last few interactions" to "the whole history".
    /// </summary>
    public static IReadOnlyList<Candidate> DefaultGrid(BuyerHistories histories)
    {
        var grid = new List<Candidate>
        {
            Candidate.Of(Candidate.ItemKnn),
        };
        foreach (var halfLife in new[] { 1.0, 4.0, 16.0 })
            foreach (var transition in new[] { 1.0, 4.0, 16.0 })
                if (!(halfLife == 2 && transition == 4))
                    grid.Add(Candidate.Of(Candidate.ItemKnn, ("halflife", halfLife), ("transition", transition)));
        grid.Add(Candidate.Of(Candidate.ItemKnn, ("halflife", 0), ("transition", 0)));
        grid.Add(Candidate.Of(Candidate.Als, ("factors", 64), ("regularization", 1), ("alpha", 10)));
        return grid;
    }

    private static CandidateResult Run(Candidate candidate, HoldoutSplit split, ModelSelectionOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var scorer = candidate.Fit(split.Train, cancellationToken);
        var metrics = Evaluator.Evaluate(scorer, split, options.MaxDegreeOfParallelism, cancellationToken);
        return new CandidateResult(candidate, metrics, clock.Elapsed.TotalSeconds);
    }
}
