using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Recommender.Api.Serving;

namespace Recommender.Api.Apis;

public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/products/trending", GetTrending)
            .WithName("GetTrendingProducts")
            .WithSummary("The products most wanted lately")
            .WithDescription("Interactions weighted by kind and halved every Training:TrendingHalfLifeDays of age; sellable products only, filled from all-time popular products. Takes the same filters as /recommendations.")
            .WithTags("Products")
            .WithListQueryParameters()
            .WithListProblems()
            .AddOpenApiOperationTransformer(DescribeBuyer);
        app.MapGet("/products/{product_id}/similar", GetSimilar)
            .WithName("GetSimilarProducts")
            .WithSummary("Products like the given one")
            .WithDescription("Bought together, or close in the model's factors; never the product itself or what cannot be sold. 404 for a product the shop does not have. Takes the same filters as /recommendations.")
            .WithTags("Products")
            .WithListQueryParameters()
            .WithListProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                ApiDocs.Describe(operation, "product_id", $"The shop's product id (1 to {ListQuery.MaxIdLength} characters).");
                ApiDocs.Explain(operation, StatusCodes.Status404NotFound, "The shop has no product with this id.");
                return Task.CompletedTask;
            })
            .AddOpenApiOperationTransformer(DescribeBuyer);
        return app;
    }

    private static Task DescribeBuyer(Microsoft.OpenApi.OpenApiOperation operation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ApiDocs.AddQueryParameter(operation, "buyer_id",
            "The buyer the list is shown to (optional): their A/B experiment variant answers (\"variant\"), and what they add to the cart or wishlist or order next is credited to this list.",
            Microsoft.OpenApi.JsonSchemaType.String);
        return Task.CompletedTask;
    }

    public static Results<Ok<TrendingProductsResponse>, ProblemHttpResult> GetTrending([AsParameters] ListRequest request)
    {
        if (!request.TryStart(out var query, out var snapshot, out var problem))
            return problem!;

        var variant = request.Experiments.ServedVariantOf(query.BuyerId, snapshot.Model);
        var list = RecommendationEngine.Trending(snapshot, query.Filter, query.TopK, query.Explain);
        request.Served(query, "trending", query.BuyerId, variant, list);
        return TypedResults.Ok(new TrendingProductsResponse(list.ModelVersion, list.Source, list.Products,
            query.IncludeScores ? list.Scores : null, list.Explanations, variant));
    }

    public static Results<Ok<SimilarProductsResponse>, ProblemHttpResult> GetSimilar(
        [FromRoute(Name = "product_id")] string productId,
        [AsParameters] ListRequest request)
    {
        if (productId.Length > ListQuery.MaxIdLength || string.IsNullOrWhiteSpace(productId))
            return ListProblems.BadRequest("Invalid product_id", $"product_id must be 1 to {ListQuery.MaxIdLength} characters.");
        if (!request.TryStart(out var query, out var snapshot, out var problem))
            return problem!;
        if (!snapshot.Catalog.ById.ContainsKey(productId))
            return TypedResults.Problem(title: "Unknown product", detail: $"The shop has no product '{ListProblems.Shorten(productId)}'.",
                statusCode: StatusCodes.Status404NotFound);

        // A product nobody has interacted with yet is not in the model: only the fallbacks can answer.
        var variant = request.Experiments.ServedVariantOf(query.BuyerId, snapshot.Model);
        var list = snapshot.Model.Products.TryGetIndex(productId, out var product)
            ? RecommendationEngine.SimilarTo(snapshot, product, query.Filter, query.TopK, query.Explain, variant)
            : RecommendationEngine.Trending(snapshot, query.Filter with { Exclude = new HashSet<string>(query.Filter.Exclude) { productId } }, query.TopK, query.Explain);
        request.Served(query, "similar", query.BuyerId, variant, list);
        return TypedResults.Ok(new SimilarProductsResponse(productId, list.ModelVersion, list.Source, list.Products,
            query.IncludeScores ? list.Scores : null, list.Explanations, variant));
    }
}
