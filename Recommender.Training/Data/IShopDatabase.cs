namespace Recommender.Training.Data;

/// <summary>
/// Read-only access to the shop's own tables. Implementations never write to them.
/// Interactions are streamed, one set-based query per source table.
/// </summary>
public interface IShopDatabase
{
    /// <summary>A short name for logs: "postgres" or "sqlite".</summary>
    string Kind { get; }

    IAsyncEnumerable<ShopInteraction> ReadInteractionsAsync(IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken);

    /// <summary>Every "Product" row as a JSON object with each column under its own name.</summary>
    IAsyncEnumerable<ProductRow> ReadProductsAsync(CancellationToken cancellationToken);
}
