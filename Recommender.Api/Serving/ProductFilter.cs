using Recommender.Training.Data;

namespace Recommender.Api.Serving;

/// <summary>
/// What a client narrowed a list to: a category, a seller, a price range, products to leave
/// out, and how many of the best to skip (paging). <see cref="None"/> keeps everything.
/// </summary>
public sealed record ProductFilter
{
    public static readonly ProductFilter None = new();

    public string? CategoryId { get; init; }
    public string? SellerId { get; init; }
    public double? MinPrice { get; init; }
    public double? MaxPrice { get; init; }
    public IReadOnlySet<string> Exclude { get; init; } = new HashSet<string>();
    public int Offset { get; init; }

    /// <summary>True when some product could be dropped (offset alone drops none).</summary>
    public bool NarrowsProducts =>
        CategoryId is not null || SellerId is not null || MinPrice is not null || MaxPrice is not null || Exclude.Count > 0;

    public bool Matches(ProductRow product) =>
        (CategoryId is null || string.Equals(product.CategoryId, CategoryId, StringComparison.Ordinal))
        && (SellerId is null || string.Equals(product.SellerId, SellerId, StringComparison.Ordinal))
        && (MinPrice is not { } min || product.Price >= min)
        && (MaxPrice is not { } max || product.Price <= max)
        && !Exclude.Contains(product.Id);
}
