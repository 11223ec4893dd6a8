using Recommender.Training.Data;

namespace Recommender.Api.Serving;

/// <summary>Where a list came from: the buyer's own model vector, or the popularity fallback.</summary>
public static class RecommendationSource
{
    public const string Personalized = "personalized";
    public const string Popular = "popular";
}

/// <summary>The products chosen for a buyer, best first, and how they were chosen.</summary>
public sealed record Recommendation(string BuyerId, long ModelVersion, string Source, IReadOnlyList<ProductRow> Products);
