using System.Text.Json;
using System.Text.Json.Serialization;
using Recommender.Api.Experiments;
using Recommender.Api.Serving;
using Recommender.Training.Data;

namespace Recommender.Api.Apis;

/// <summary>
/// The body of <c>GET /recommendations/{buyer_id}</c>; products are the shop's rows as they are.
/// "variant" is the A/B experiment variant whose model answered (<c>default</c> outside an experiment).
/// </summary>
public sealed record RecommendationResponse(
    [property: JsonPropertyName("buyer_id")] string BuyerId,
    [property: JsonPropertyName("model_version")] long ModelVersion,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("recommended_products")] IReadOnlyList<ProductRow> RecommendedProducts,
    [property: JsonPropertyName("scores"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<float>? Scores,
    [property: JsonPropertyName("explanations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Explanation>? Explanations = null,
    [property: JsonPropertyName("variant")] string Variant = ExperimentOptions.Default);

/// <summary>The body of <c>GET /products/{product_id}/similar</c>.</summary>
public sealed record SimilarProductsResponse(
    [property: JsonPropertyName("product_id")] string ProductId,
    [property: JsonPropertyName("model_version")] long ModelVersion,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("similar_products")] IReadOnlyList<ProductRow> SimilarProducts,
    [property: JsonPropertyName("scores"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<float>? Scores,
    [property: JsonPropertyName("explanations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Explanation>? Explanations = null,
    [property: JsonPropertyName("variant")] string Variant = ExperimentOptions.Default);

/// <summary>The body of <c>GET /products/trending</c>.</summary>
public sealed record TrendingProductsResponse(
    [property: JsonPropertyName("model_version")] long ModelVersion,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("trending_products")] IReadOnlyList<ProductRow> TrendingProducts,
    [property: JsonPropertyName("scores"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<float>? Scores,
    [property: JsonPropertyName("explanations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<Explanation>? Explanations = null,
    [property: JsonPropertyName("variant")] string Variant = ExperimentOptions.Default);

/// <summary>Writes a product row's stored JSON unchanged, so every column of the shop's table appears.</summary>
public sealed class ProductRowJsonConverter : JsonConverter<ProductRow>
{
    public override ProductRow Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return ProductRow.FromJson(JsonSerializer.SerializeToUtf8Bytes(document.RootElement));
    }

    // The bytes were produced by PostgreSQL's row_to_json or our own writer: already valid JSON.
    public override void Write(Utf8JsonWriter writer, ProductRow value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Json, skipInputValidation: true);
}

[JsonSerializable(typeof(RecommendationResponse))]
[JsonSerializable(typeof(SimilarProductsResponse))]
[JsonSerializable(typeof(TrendingProductsResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
