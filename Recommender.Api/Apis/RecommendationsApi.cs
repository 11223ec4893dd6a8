using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
                "\"source\" names the sources used; \"variant\" the A/B experiment variant whose model answered (\"default\" outside one). Filters: category_id, seller_id, min_price, max_price, exclude (comma-separated ids), offset; include_scores=true adds \"scores\"; explain=true adds \"explanations\": per product, the history products that contributed most to its score, with their shares.")
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
        [AsParameters] ListRequest request,
        ILiveHistories live)
    {
        if (buyerId.Length > MaxBuyerIdLength || string.IsNullOrWhiteSpace(buyerId))
            return ListProblems.BadRequest("Invalid buyer_id", $"buyer_id must be 1 to {MaxBuyerIdLength} characters.");
        if (!request.TryStart(out var query, out var snapshot, out var problem))
            return problem!;

        var variant = request.Experiments.ServedVariantOf(buyerId, snapshot.Model);
        var list = RecommendationEngine.ForBuyer(snapshot, buyerId, live.Find(snapshot, buyerId), query.Filter, query.TopK,
            request.Settings.PersonalizedMinInteractions, query.Explain, variant);
        request.Served(query, "recommendations", buyerId, variant, list);
        return TypedResults.Ok(new RecommendationResponse(buyerId, list.ModelVersion, list.Source, list.Products,
            query.IncludeScores ? list.Scores : null, list.Explanations, variant));
    }
}
