using System.Text.Json.Serialization;
using Recommender.Api.Observability;
using Recommender.Training.Data;

namespace Recommender.Api.Dashboard;

/// <summary>The body of <c>GET /dashboard/api/model</c>.</summary>
public sealed record DashboardModelResponse(
    [property: JsonPropertyName("requires_api_key")] bool RequiresApiKey,
    [property: JsonPropertyName("image_base_url")] string ImageBaseUrl,
    [property: JsonPropertyName("serving")] ServingModelInfo? Serving,
    [property: JsonPropertyName("product_rows")] int? ProductRows,
    [property: JsonPropertyName("product_rows_loaded_at")] DateTimeOffset? ProductRowsLoadedAt,
    [property: JsonPropertyName("trainings")] IReadOnlyList<TrainingRecord> Trainings);

/// <summary>The model serving now; null in <see cref="DashboardModelResponse"/> before the first is loaded.</summary>
public sealed record ServingModelInfo(
    [property: JsonPropertyName("training")] TrainingRecord Training,
    [property: JsonPropertyName("hyperparameters")] IReadOnlyDictionary<string, double> Hyperparameters,
    [property: JsonPropertyName("factors")] int Factors);

/// <summary>The body of <c>GET /dashboard/api/serving</c>: <see cref="ServingWindow"/> in the API's naming.</summary>
public sealed record DashboardServingResponse(
    [property: JsonPropertyName("window_seconds")] double WindowSeconds,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("requests_per_second")] double RequestsPerSecond,
    [property: JsonPropertyName("p50_ms")] double? P50Milliseconds,
    [property: JsonPropertyName("p99_ms")] double? P99Milliseconds,
    [property: JsonPropertyName("client_errors")] long ClientErrors,
    [property: JsonPropertyName("server_errors")] long ServerErrors,
    [property: JsonPropertyName("lists")] IReadOnlyDictionary<string, Dictionary<string, long>> Lists,
    [property: JsonPropertyName("minutes")] IReadOnlyList<DashboardServingMinute> Minutes)
{
    public static DashboardServingResponse From(ServingWindow window) => new(
        window.WindowSeconds, window.Requests, window.RequestsPerSecond, window.P50Milliseconds, window.P99Milliseconds,
        window.ClientErrors, window.ServerErrors, window.Lists,
        [.. window.Minutes.Select(m => new DashboardServingMinute(m.StartedSecondsAgo, m.Requests, m.RequestsPerSecond, m.P50Milliseconds, m.P99Milliseconds))]);
}

public sealed record DashboardServingMinute(
    [property: JsonPropertyName("started_seconds_ago")] double StartedSecondsAgo,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("requests_per_second")] double RequestsPerSecond,
    [property: JsonPropertyName("p50_ms")] double? P50Milliseconds,
    [property: JsonPropertyName("p99_ms")] double? P99Milliseconds);

/// <summary>The body of <c>GET /dashboard/api/buyers/{buyer_id}/history</c>: newest first.</summary>
public sealed record BuyerHistoryResponse(
    [property: JsonPropertyName("buyer_id")] string BuyerId,
    [property: JsonPropertyName("model_version")] long ModelVersion,
    [property: JsonPropertyName("live")] bool Live,
    [property: JsonPropertyName("total")] int Total,
    [property: JsonPropertyName("interactions")] IReadOnlyList<HistoryEntry> Interactions);

/// <summary>One interaction; <c>product</c> is the shop's row, or null when the shop no longer has it.</summary>
public sealed record HistoryEntry(
    [property: JsonPropertyName("product_id")] string ProductId,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("weight")] float Weight,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("product")] ProductRow? Product);
