using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Recommender.Api.Observability;
using Recommender.Api.Options;
using Recommender.Api.Serving;

namespace Recommender.Api.Apis;

public static class RecommendationsApi
{
    /// <summary>Buyer ids are cuids or uuids in practice; anything this long is not one.</summary>
    public const int MaxBuyerIdLength = ListQuery.MaxIdLength;

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/recommendations/{buyer_id}", GetRecommendations)
            .WithName("GetRecommendations")
            .WithSummary("Products recommended for a buyer, best first")
            .WithDescription("Scores every product for the buyer's current history, leaves out what the buyer ordered, has in the cart or on the wishlist, and what cannot be sold. " +
                "A buyer with a few interactions gets products similar to them, a buyer with none trending products; a short list is filled from trending, then popular products. " +
                "\"source\" names the sources used. Filters: category_id, seller_id, min_price, max_price, exclude (comma-separated ids), offset; include_scores=true adds \"scores\".")
            .WithTags("Recommendations")
            .WithListQueryParameters()
            .WithListProblems()
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                ApiDocs.Describe(operation, "buyer_id", $"The shop's buyer id (1 to {MaxBuyerIdLength} characters); one the shop has never seen gets trending products.");
                return Task.CompletedTask;
            });
        return app;
    }

    public static Results<Ok<RecommendationResponse>, ProblemHttpResult> GetRecommendations(
        [FromRoute(Name = "buyer_id")] string buyerId,
        HttpRequest request,
        ServingState state,
        ILiveHistories live,
        IOptions<RecommenderOptions> options,
        RecommenderMetrics metrics)
    {
        var settings = options.Value;
        if (buyerId.Length > MaxBuyerIdLength || string.IsNullOrWhiteSpace(buyerId))
            return ListProblems.BadRequest("Invalid buyer_id", $"buyer_id must be 1 to {MaxBuyerIdLength} characters.");
        if (!ListQuery.TryParse(request, settings.DefaultTopK, settings.MaxTopK, out var query, out var error))
            return ListProblems.BadRequest("Invalid query parameter", error);
        if (state.Current is not { } snapshot)
            return ListProblems.NotReady();

        var list = RecommendationEngine.ForBuyer(snapshot, buyerId, live.Find(snapshot, buyerId), query.Filter, query.TopK, settings.PersonalizedMinInteractions);
        metrics.ListServed("recommendations", list.Source);
        return TypedResults.Ok(new RecommendationResponse(buyerId, list.ModelVersion, list.Source, list.Products, query.IncludeScores ? list.Scores : null));
    }
}
