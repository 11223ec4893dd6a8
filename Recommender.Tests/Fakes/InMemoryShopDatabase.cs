using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Recommender.Training.Data;

namespace Recommender.Tests.Fakes;

/// <summary>A shop held in memory, for tests of everything above the data layer.</summary>
public sealed class InMemoryShopDatabase : IShopDatabase
{
    private readonly Lock _lock = new();
    private readonly List<(ShopInteraction Interaction, string OrderStatus)> _interactions = [];
    private readonly Dictionary<string, JsonObject> _products = new(StringComparer.Ordinal);
    // When each buyer's rows last changed (added, removed, status changed), on this "database's" clock.
    private readonly Dictionary<string, DateTime> _changedAt = new(StringComparer.Ordinal);

    /// <summary>When set, every read throws it: the database is down.</summary>
    public Exception? Failure { get; set; }

    private int _interactionReads;

    /// <summary>How many times the interactions were read (each training reads them once, first).</summary>
    public int InteractionReads => Volatile.Read(ref _interactionReads);

    public InMemoryShopDatabase AddProduct(string id, Action<JsonObject>? change = null)
    {
        var row = new JsonObject
        {
            ["id"] = id,
            ["name"] = $"Product {id}",
            ["price"] = 100.0,
            ["images"] = new JsonArray("a.png"),
            ["isDraft"] = false,
            ["status"] = "ACTIVE",
            ["stockStatus"] = "IN_STOCK",
            ["attributes"] = new JsonObject { ["Material"] = "clay" },
            ["categoryId"] = "cat-1",
            ["sellerId"] = "seller-1",
            ["createdAt"] = "2025-03-22T04:18:12.293",
        };
        change?.Invoke(row);
        lock (_lock) _products[id] = row;
        return this;
    }

    /// <param name="createdAt">The row's createdAt; by default a time in 2025-01-01's first minute.</param>
    /// <param name="revenue">An order item's price × quantity, as the change reads return it.</param>
    public InMemoryShopDatabase Add(string buyerId, string productId, InteractionKind kind = InteractionKind.Order, string orderStatus = "DELIVERED",
        DateTime? createdAt = null, double revenue = 0)
    {
        lock (_lock)
        {
            var at = createdAt ?? new DateTime(2025, 1, 1, 0, 0, _interactions.Count % 60, DateTimeKind.Utc);
            _interactions.Add((new ShopInteraction(buyerId, productId, kind, at, kind == InteractionKind.Order ? revenue : 0), orderStatus));
            _changedAt[buyerId] = DateTime.UtcNow;
        }
        return this;
    }

    public void RemoveInteractions(Predicate<ShopInteraction> match)
    {
        lock (_lock)
        {
            foreach (var row in _interactions.Where(row => match(row.Interaction)))
                _changedAt[row.Interaction.BuyerId] = DateTime.UtcNow;
            _interactions.RemoveAll(row => match(row.Interaction));
        }
    }

    /// <summary>Sets the status of the buyer's orders of a product, as the shop does when an order is cancelled (its updatedAt moves).</summary>
    public void SetOrderStatus(string buyerId, string productId, string status)
    {
        lock (_lock)
        {
            for (var n = 0; n < _interactions.Count; n++)
            {
                var (interaction, _) = _interactions[n];
                if (interaction.Kind == InteractionKind.Order && interaction.BuyerId == buyerId && interaction.ProductId == productId)
                    _interactions[n] = (interaction, status);
            }
            _changedAt[buyerId] = DateTime.UtcNow;
        }
    }

    private int _changeReads;

    /// <summary>How many times the changes were read (the real-time poller reads them every interval).</summary>
    public int ChangeReads => Volatile.Read(ref _changeReads);

    public async Task<ShopChanges> ReadChangesAsync(
        ShopChangeCursor cursor, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        await Task.Yield();
        Interlocked.Increment(ref _changeReads);
        if (Failure is { } failure) throw failure;
        lock (_lock)
        {
            var now = DateTime.UtcNow;
            var buyers = _changedAt.Where(c => c.Value > cursor.Since).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            List<ShopInteraction> rows = [.. _interactions
                .Where(row => buyers.Contains(row.Interaction.BuyerId))
                .Where(row => row.Interaction.Kind != InteractionKind.Order || countedOrderStatuses.Contains(row.OrderStatus))
                .Select(row => row.Interaction)];
            return new ShopChanges(now, new long[ShopChangeCursor.Buckets], new long[ShopChangeCursor.Buckets], buyers, rows, buyers.Count + rows.Count);
        }
    }

    public async Task<IReadOnlyList<ShopInteraction>> ReadBuyersAsync(
        IReadOnlyCollection<string> buyers, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (Failure is { } failure) throw failure;
        var wanted = buyers.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
            return [.. _interactions
                .Where(row => wanted.Contains(row.Interaction.BuyerId))
                .Where(row => row.Interaction.Kind != InteractionKind.Order || countedOrderStatuses.Contains(row.OrderStatus))
                .Select(row => row.Interaction)];
    }

    public async IAsyncEnumerable<ShopInteraction> ReadInteractionsAsync(
        IReadOnlyCollection<string> countedOrderStatuses, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        Interlocked.Increment(ref _interactionReads);
        if (Failure is { } failure) throw failure;
        List<ShopInteraction> rows;
        lock (_lock)
            rows = [.. _interactions
                .Where(row => row.Interaction.Kind != InteractionKind.Order || countedOrderStatuses.Contains(row.OrderStatus))
                .Select(row => row.Interaction with { Revenue = 0 })];
        foreach (var row in rows)
            yield return row;
    }

    public async IAsyncEnumerable<ProductRow> ReadProductsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (Failure is { } failure) throw failure;
        List<string> rows;
        lock (_lock) rows = [.. _products.Values.Select(p => p.ToJsonString())];
        foreach (var row in rows)
            yield return ProductRow.FromJson(System.Text.Encoding.UTF8.GetBytes(row));
    }
}
