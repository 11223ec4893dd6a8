using Recommender.Training.Algorithms;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Recommender.Api.Apis;
using Recommender.Api.Observability;
using Recommender.Api.Options;
using Recommender.Api.Serving;

namespace Recommender.Api.Dashboard;

/// <summary>
/// The JSON the dashboard page reads, under <c>/dashboard/api</c>: behind the same API key and rate
/// limit as every endpoint, answered from memory (the serving snapshot, live histories and
/// <see cref="ServingStats"/>), never from the shop's database.
/// </summary>
public static class DashboardApi
{
    public const int DefaultHistoryLimit = 100;
    public const int MaxHistoryLimit = 1000;

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/dashboard/api")
            .WithTags("Dashboard")
            .WithMetadata(NotServingTraffic.Instance)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                ApiDocs.Explain(operation, StatusCodes.Status400BadRequest, "A malformed parameter; the detail names it.");
                ApiDocs.Explain(operation, StatusCodes.Status401Unauthorized, "API keys are configured and X-API-Key is missing or wrong.");
                ApiDocs.Explain(operation, StatusCodes.Status429TooManyRequests, "Over this client's rate limit; Retry-After says when to retry.");
                ApiDocs.Explain(operation, StatusCodes.Status503ServiceUnavailable, "No model loaded yet: the first training has not finished.");
                return Task.CompletedTask;
            });

        api.MapGet("/model", GetModel)
            .WithName("GetDashboardModel")
            .WithSummary("The serving model and the last trainings")
            .WithDescription($"The serving model's manifest (version, algorithm, training time, counts, holdout metrics) and the last {TrainingHistory.Capacity} published models " +
                "with their holdout NDCG@10 and HR@10 against popularity's (metrics \"ndcg@10\", \"hr@10\", \"popularity_ndcg@10\", \"popularity_hr@10\"). " +
                "\"serving\" is null until the first model is loaded; \"requires_api_key\" is false when the service is open to anyone; \"image_base_url\" is Recommender:Dashboard:ImageBaseUrl.");
        api.MapGet("/serving", GetServing)
            .WithName("GetDashboardServing")
            .WithSummary($"Requests, latency and list sources over the last {ServingStats.WindowMinutes} minutes")
            .WithDescription("From this instance's own counters: requests per second, p50 and p99 latency (±6 %), 4xx and 5xx counts, and the lists served by list and the source of their first product, " +
                "for the whole window and per minute (oldest first). The dashboard's own requests are not counted.");
        api.MapGet("/buyers/{buyer_id}/history", GetBuyerHistory)
            .WithName("GetBuyerHistory")
            .WithSummary("A buyer's interactions as the service serves them, newest first")
            .WithDescription("The history the recommendations are computed from: the buyer's current interactions when real time has seen a change since training, else the model's. " +
                "Each with its kind (order, cart, wishlist), weight, time and the shop's product row (null when the shop no longer has it). " +
                "Products the model does not know are not in it. A buyer the service has never seen has an empty history.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                ApiDocs.Describe(operation, "buyer_id", "The shop's buyer id (1 to 256 characters).");
                ApiDocs.AddQueryParameter(operation, "limit", $"How many of the newest interactions to return: 1 to {MaxHistoryLimit}, default {DefaultHistoryLimit}.", Microsoft.OpenApi.JsonSchemaType.Integer);
                return Task.CompletedTask;
            })
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    public static Ok<DashboardModelResponse> GetModel(ServingState state, TrainingHistory history, IOptions<RecommenderOptions> options)
    {
        var model = state.Model;
        if (model is not null) history.Record(model.Manifest);
        var serving = model is null ? null : new ServingModelInfo(
            TrainingRecord.From(model.Manifest), model.Manifest.Hyperparameters, model.Manifest.Factors);
        var catalog = state.Catalog;
        return TypedResults.Ok(new DashboardModelResponse(
            options.Value.Security.RequiresApiKey, options.Value.Dashboard.ImageBaseUrl, serving, catalog?.ById.Count, catalog?.LoadedAt, history.Records));
    }

    public static Ok<DashboardServingResponse> GetServing(ServingStats stats) =>
        TypedResults.Ok(DashboardServingResponse.From(stats.Read()));

    public static Results<Ok<BuyerHistoryResponse>, ProblemHttpResult> GetBuyerHistory(
        [FromRoute(Name = "buyer_id")] string buyerId,
        HttpRequest request,
        ServingState state,
        ILiveHistories live,
        IOptions<RecommenderOptions> options)
    {
        if (buyerId.Length > RecommendationsApi.MaxBuyerIdLength || string.IsNullOrWhiteSpace(buyerId))
            return ListProblems.BadRequest("Invalid buyer_id", $"buyer_id must be 1 to {RecommendationsApi.MaxBuyerIdLength} characters.");
        var limit = DefaultHistoryLimit;
        if (request.Query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxHistoryLimit))
            return ListProblems.BadRequest("Invalid query parameter", $"limit must be a whole number from 1 to {MaxHistoryLimit}; got '{ListProblems.Shorten(limitText.ToString())}'.");
        if (state.Current is not { } snapshot)
            return ListProblems.NotReady();

        var current = live.Find(snapshot, buyerId);
        var history = current ?? StoredHistory(snapshot, buyerId);
        var weights = options.Value.Training.Weights;
        var entries = new List<HistoryEntry>(Math.Min(limit, history.Count));
        // Oldest first in the history: walk it backwards for newest first.
        for (var n = history.Count - 1; n >= 0 && entries.Count < limit; n--)
        {
            var productId = snapshot.Model.Products[history.Items[n]];
            entries.Add(new HistoryEntry(
                productId,
                HistoryKinds.NameOf(HistoryKinds.KindOf(history.Weights[n], weights)),
                history.Weights[n],
                new DateTimeOffset(history.Ticks[n], TimeSpan.Zero),
                snapshot.Catalog.ById.GetValueOrDefault(productId)));
        }
        return TypedResults.Ok(new BuyerHistoryResponse(buyerId, snapshot.Model.Version, current is not null, history.Count, entries));
    }

    private static BuyerHistory StoredHistory(ServingSnapshot snapshot, string buyerId)
    {
        var model = snapshot.Model;
        if (!model.Buyers.TryGetIndex(buyerId, out var buyer)) return BuyerHistory.Empty;
        var histories = model.Histories;
        return new BuyerHistory(histories.ItemsOf(buyer).ToArray(), histories.TicksOf(buyer).ToArray(), histories.WeightsOf(buyer).ToArray());
    }
}
