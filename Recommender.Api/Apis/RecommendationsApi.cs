using System.Globalization;
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
    public const int MaxBuyerIdLength = 256;

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/recommendations/{buyer_id}", GetRecommendations)
            .WithName("GetRecommendations")
            .WithSummary("Products recommended for a buyer, best first")
            .WithDescription("Scores every product for the buyer, leaves out what the buyer ordered, has in the cart or on the wishlist, and what cannot be sold. A buyer the model does not know gets the most popular products (source \"popular\").")
            .WithTags("Recommendations");
        return app;
    }

    public static Results<Ok<RecommendationResponse>, ProblemHttpResult> GetRecommendations(
        [FromRoute(Name = "buyer_id")] string buyerId,
        [FromQuery(Name = "top_k")] string? topK,
        ServingState state,
        IOptions<RecommenderOptions> options,
        RecommenderMetrics metrics)
    {
        var settings = options.Value;
        if (buyerId.Length > MaxBuyerIdLength || string.IsNullOrWhiteSpace(buyerId))
            return BadRequest("Invalid buyer_id", $"buyer_id must be 1 to {MaxBuyerIdLength} characters.");

        var count = settings.DefaultTopK;
        if (topK is not null &&
            (!int.TryParse(topK, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > settings.MaxTopK))
            return BadRequest("Invalid top_k", $"top_k must be a whole number from 1 to {settings.MaxTopK}; got '{Truncate(topK)}'.");

        if (state.Current is not { } snapshot)
            return TypedResults.Problem(
                title: "No model loaded yet",
                detail: "The first training has not finished; try again in a few seconds.",
                statusCode: StatusCodes.Status503ServiceUnavailable);

        var recommendation = RecommendationEngine.Recommend(snapshot, buyerId, count);
        metrics.RecommendationServed(recommendation.Source);
        return TypedResults.Ok(new RecommendationResponse(
            recommendation.BuyerId, recommendation.ModelVersion, recommendation.Source, recommendation.Products));
    }

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    private static string Truncate(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
