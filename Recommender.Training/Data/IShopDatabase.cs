namespace Recommender.Training.Data;

/// <summary>
/// Read-only access to the shop's own tables. Implementations never write to them.
/// Interactions are streamed, one set-based query per source table.
/// </summary>
public interface IShopDatabase
{
    IAsyncEnumerable<ShopInteraction> ReadInteractionsAsync(IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken);

    /// <summary>Every "Product" row as a JSON object with each column under its own name.</summary>
    IAsyncEnumerable<ProductRow> ReadProductsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The buyers whose orders (created, or an order updated, e.g. cancelled), cart or wishlist
    /// (items added, removed or changed) changed since <paramref name="cursor"/>, with all their
    /// current interactions: one read-only snapshot, a few set-based queries, whatever the
    /// number of buyers. Called every second or so by the real-time updates.
    /// </summary>
    Task<ShopChanges> ReadChangesAsync(ShopChangeCursor cursor, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken);

    /// <summary>
    /// Every current interaction of <paramref name="buyers"/> (counted orders, carts, wishlists):
    /// one set-based query, for buyers a change feed named, or to re-read held buyers when a model swaps in.
    /// </summary>
    Task<IReadOnlyList<ShopInteraction>> ReadBuyersAsync(
        IReadOnlyCollection<string> buyers, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken);
}
