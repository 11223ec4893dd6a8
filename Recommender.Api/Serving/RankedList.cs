using System.Text.Json.Serialization;
using Recommender.Training.Data;

namespace Recommender.Api.Serving;

/// <summary>Where the products of a list came from, in the order they are tried.</summary>
public static class ListSource
{
    /// <summary>Scored by the buyer's own history or model vector.</summary>
    public const string Personalized = "personalized";

    /// <summary>Proposed by every source and ordered by the learned ranker (the model's <c>PersonalizedSource</c>).</summary>
    public const string Ranked = "ranked";

    /// <summary>Products like the few the buyer has, or like the product asked about.</summary>
    public const string Similar = "similar";

    /// <summary>
    /// Like the buyer's last few products, or the product asked about, by what the shop says of
    /// them (<see cref="ContentNeighbours"/>): how a listing nobody has touched yet is proposed.
    /// </summary>
    public const string Content = "content";

    /// <summary>Most wanted lately: interactions weighted by kind and halved every half-life of age.</summary>
    public const string Trending = "trending";

    /// <summary>Most wanted of all time.</summary>
    public const string Popular = "popular";

    /// <summary>
    /// Sellable products newest first by <c>createdAt</c>, after every other source: what a shop
    /// without interactions shows, and how a product nobody has touched yet can appear at all.
    /// </summary>
    public const string Newest = "newest";
}

/// <summary>
/// A page of products, best first, with each product's score under the source that chose it
/// (scores of different sources are not comparable) and the sources used, joined by "+".
/// <see cref="Explanations"/> is there when asked for: one per product, in the same order.
/// </summary>
public sealed record RankedList(long ModelVersion, string Source, IReadOnlyList<ProductRow> Products, IReadOnlyList<float> Scores,
    IReadOnlyList<Explanation>? Explanations = null)
{
    /// <summary>The source that picked each product, in the order of <see cref="Products"/> (what outcomes are credited to).</summary>
    public IReadOnlyList<string> ProductSources { get; init; } = [];
}

/// <summary>
/// Why a product is in a list: the products of the buyer's history (or the product asked about)
/// that contributed most to its score, each with its share. Empty for trending and popular picks.
/// </summary>
public sealed record Explanation(
    [property: JsonPropertyName("product_id")] string ProductId,
    [property: JsonPropertyName("because")] IReadOnlyList<ExplanationPart> Because);

/// <summary>A product that contributed to a score, and its share of it.</summary>
public sealed record ExplanationPart(
    [property: JsonPropertyName("product_id")] string ProductId,
    [property: JsonPropertyName("share")] float Share);
