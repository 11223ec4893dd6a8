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
            .WithTags("Operations")
            // Probes from the orchestrator carry no key and must never be throttled.
            .AllowAnonymous()
            .DisableRateLimiting();
        app.MapGet("/ready", GetReady)
            .WithName("Ready")
            .WithSummary("200 once a model and the product rows are loaded, 503 before")
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
