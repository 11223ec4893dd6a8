using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Recommender.Api.Observability;
using Recommender.Api.Outcomes;

namespace Recommender.Api.Experiments;

/// <summary>
/// <c>GET /experiments</c>: the running A/B experiment read honestly (see <see cref="ExperimentStatistics"/>)
/// from the daily roll-up of every instance plus what this one has not stored yet.
/// </summary>
public static partial class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/experiments", GetExperiments)
            .WithName("GetExperiments")
            .WithSummary("The A/B experiment's result per variant")
            .WithDescription("Per variant: buyer-days exposed and converted (an order of a product the buyer was shown within Attribution:WindowHours), lists served (impressions), " +
                "attributed orders, carts, wishlists and revenue, the conversion rate with its 95 % Wilson interval and revenue per 1000 impressions with a 95 % delta-method interval; " +
                "each variant against the control (the first) by a two-sided two-proportion z-test. \"winner\" is null unless a difference is significant (\"test\" says which test). " +
                "\"days\" is the daily roll-up. Without an experiment, the default variant's totals.")
            .WithTags("Experiments")
            .WithMetadata(NotServingTraffic.Instance)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static async Task<Results<Ok<ExperimentReport>, ProblemHttpResult>> GetExperiments(
        OutcomeRollup rollup, ExperimentAssignment assignment, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<(int Day, string Variant), DayTally> tallies;
        try
        {
            tallies = await rollup.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogUnreadable(loggers.CreateLogger(typeof(ExperimentsApi)), e);
            return TypedResults.Problem(title: "The roll-up cannot be read", detail: "The daily roll-up of the experiment could not be read; try again shortly.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        return TypedResults.Ok(ExperimentStatistics.Read(assignment.Options, tallies));
    }

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "GET /experiments: the outcome roll-up could not be read")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);
}

[JsonSerializable(typeof(ExperimentReport))]
internal sealed partial class ExperimentsJsonContext : JsonSerializerContext;
