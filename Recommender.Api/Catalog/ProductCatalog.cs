using Recommender.Training.Data;

namespace Recommender.Api.Catalog;

/// <summary>One immutable read of the shop's "Product" table, kept in memory so requests never wait for the database.</summary>
public sealed class ProductCatalog(IReadOnlyDictionary<string, ProductRow> byId, DateTimeOffset loadedAt)
{
    public IReadOnlyDictionary<string, ProductRow> ById { get; } = byId;
    public DateTimeOffset LoadedAt { get; } = loadedAt;

    /// <summary>True when both hold exactly the same rows, byte for byte.</summary>
    public bool HasSameRowsAs(ProductCatalog other)
    {
        if (ById.Count != other.ById.Count) return false;
        foreach (var (id, row) in ById)
            if (!other.ById.TryGetValue(id, out var theirs) || !row.Json.AsSpan().SequenceEqual(theirs.Json))
                return false;
        return true;
    }

    public static async Task<ProductCatalog> ReadAsync(IShopDatabase shop, TimeProvider clock, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<string, ProductRow>(StringComparer.Ordinal);
        await foreach (var row in shop.ReadProductsAsync(cancellationToken))
            byId[row.Id] = row;
        return new ProductCatalog(byId, clock.GetUtcNow());
    }
}
