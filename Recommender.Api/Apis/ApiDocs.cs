using Microsoft.OpenApi;

namespace Recommender.Api.Apis;

/// <summary>
/// What the OpenAPI document (and <c>/scalar</c>) says about the list endpoints. Their query
/// parameters are parsed by hand from the raw strings (<see cref="ListQuery"/>), so nothing
/// would describe them otherwise; and the problems every endpoint may answer with come from
/// middleware (key, rate limit, timeout), not from the handlers' return types.
/// </summary>
public static class ApiDocs
{
    /// <summary>The query parameters of <see cref="ListQuery"/>, as its parser reads them.</summary>
    public static TBuilder WithListQueryParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            var settings = context.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Options.RecommenderOptions>>().Value;
            AddQueryParameter(operation, "top_k", $"How many products to return: 1 to {settings.MaxTopK} (Recommender:MaxTopK), default {settings.DefaultTopK}.", JsonSchemaType.Integer);
            AddQueryParameter(operation, "offset", $"How many products to skip first, for paging: 0 to {settings.MaxOffset} (Recommender:MaxOffset), default 0.", JsonSchemaType.Integer);
            AddQueryParameter(operation, "category_id", "Only products of this category (the product row's categoryId).", JsonSchemaType.String);
            AddQueryParameter(operation, "seller_id", "Only products of this seller (the product row's sellerId).", JsonSchemaType.String);
            AddQueryParameter(operation, "min_price", "Only products at this price or above (a non-negative number, '.' as decimal point).", JsonSchemaType.Number);
            AddQueryParameter(operation, "max_price", "Only products at this price or below; not below min_price.", JsonSchemaType.Number);
            AddQueryParameter(operation, "exclude", $"Product ids never to return, comma-separated or repeated; at most {ListQuery.MaxExcluded}.", JsonSchemaType.String);
            AddQueryParameter(operation, "include_scores", "true adds \"scores\": each product's score under the source that chose it (scores of different sources are not comparable). Default false.", JsonSchemaType.Boolean);
            AddQueryParameter(operation, "explain", "true adds \"explanations\": per product, the products of the buyer's history (or the product asked about) that contributed most to its score, each with its share; empty for trending, popular and newest picks. Default false.", JsonSchemaType.Boolean);
            AddQueryParameter(operation, "track", "false: a preview (a back-office page, the dashboard): the list is not counted as shown (recommender_impressions_total, /experiments) nor remembered, so nothing the buyer does next is credited to it. Default true.", JsonSchemaType.Boolean);
            return Task.CompletedTask;
        });

    /// <summary>The problems a list endpoint answers with, besides its own 400 and 503.</summary>
    public static RouteHandlerBuilder WithListProblems(this RouteHandlerBuilder builder)
    {
        builder.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Explain(operation, StatusCodes.Status400BadRequest, "A malformed parameter; the detail names it.");
            Explain(operation, StatusCodes.Status401Unauthorized, "API keys are configured and X-API-Key is missing or wrong (WWW-Authenticate names the header).");
            Explain(operation, StatusCodes.Status429TooManyRequests, "Over this client's rate limit (Recommender:Security:RateLimit); Retry-After says in how many seconds to retry.");
            Explain(operation, StatusCodes.Status503ServiceUnavailable, "No model loaded yet: the first training has not finished.");
            Explain(operation, StatusCodes.Status504GatewayTimeout, "The request took longer than Recommender:RequestTimeoutSeconds.");
            return Task.CompletedTask;
        });
    }

    /// <summary>Gives the parameter <paramref name="name"/> (a route parameter, say) its description.</summary>
    public static void Describe(OpenApiOperation operation, string name, string description)
    {
        foreach (var parameter in operation.Parameters ?? [])
            if (parameter.Name == name && parameter is OpenApiParameter concrete)
                concrete.Description = description;
    }

    public static void AddQueryParameter(OpenApiOperation operation, string name, string description, JsonSchemaType type)
    {
        operation.Parameters ??= [];
        if (operation.Parameters.Any(p => p.Name == name)) return;
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Query,
            Description = description,
            Required = false,
            Schema = new OpenApiSchema { Type = type },
        });
    }

    /// <summary>Sets the description of response <paramref name="status"/>, when the document has it.</summary>
    public static void Explain(OpenApiOperation operation, int status, string description)
    {
        if (operation.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true &&
            response is OpenApiResponse concrete)
            concrete.Description = description;
    }
}
