using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Recommender.Api.Experiments;
using Recommender.Api.Observability;
using Recommender.Api.Outcomes;
using Recommender.Api.Options;
using Recommender.Api.Serving;

namespace Recommender.Api.Apis;

/// <summary>
/// What every list endpoint takes besides its route value, bound with <c>[AsParameters]</c>, and
/// the prelude they share: parse and check the query, then take the snapshot being served.
/// </summary>
public readonly record struct ListRequest(
    HttpRequest Http,
    ServingState State,
    IOptions<RecommenderOptions> Options,
    RecommenderMetrics Metrics,
    ExperimentAssignment Experiments,
    OutcomeTracker Outcomes)
{
    public RecommenderOptions Settings => Options.Value;

    /// <summary>
    /// The parsed query and the snapshot to answer from; false with the problem to return (400 for
    /// a malformed query, 503 before a model serves).
    /// </summary>
    public bool TryStart(out ListQuery query, out ServingSnapshot snapshot, out ProblemHttpResult? problem)
    {
        var settings = Settings;
        snapshot = null!;
        problem = null;
        if (!ListQuery.TryParse(Http, settings.DefaultTopK, settings.MaxTopK, settings.MaxOffset, out query, out var error))
        {
            problem = ListProblems.BadRequest("Invalid query parameter", error);
            return false;
        }
        if (State.Current is not { } current)
        {
            problem = ListProblems.NotReady();
            return false;
        }
        snapshot = current;
        return true;
    }

    /// <summary>
    /// Counts a list served (Prometheus, the dashboard's stats) and remembers what a known buyer
    /// was shown, so what they buy next can be credited to it; a preview (<c>track=false</c>) is only
    /// counted as a list served, never as shown.
    /// </summary>
    public void Served(ListQuery query, string list, string? buyerId, string variant, RankedList ranked)
    {
        ArgumentNullException.ThrowIfNull(query);
        Metrics.ListServed(list, ranked.Source);
        if (query.Track) Outcomes.ListServed(list, buyerId, variant, ranked);
    }
}
