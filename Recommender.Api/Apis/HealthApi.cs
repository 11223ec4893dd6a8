using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Recommender.Api.Serving;

namespace Recommender.Api.Apis;

public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("model_version")] long? ModelVersion);

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", (ServingState state) => TypedResults.Ok(new HealthResponse("alive", state.Model?.Version)))
            .WithName("Health")
            .WithSummary("The process is up")
            .WithDescription("For a liveness probe: no key needed, never rate limited; 200 as long as the process answers, with the serving model version (null before one is loaded).")
            .WithTags("Operations")
            // Probes from the orchestrator carry no key and must never be throttled.
            .AllowAnonymous()
            .DisableRateLimiting();
        app.MapGet("/ready", GetReady)
            .WithName("Ready")
            .WithSummary("200 once a model and the product rows are loaded, 503 before")
            .WithDescription("For a load balancer's health check: no key needed, never rate limited. The body names the serving model version; 503's body says \"starting\".")
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithTags("Operations")
            .AllowAnonymous()
            .DisableRateLimiting();
        return app;
    }

    public static Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>> GetReady(ServingState state) =>
        state.Current is { } snapshot
            ? TypedResults.Ok(new HealthResponse("ready", snapshot.Model.Version))
            : TypedResults.Json(new HealthResponse("starting", state.Model?.Version), statusCode: StatusCodes.Status503ServiceUnavailable);
}
