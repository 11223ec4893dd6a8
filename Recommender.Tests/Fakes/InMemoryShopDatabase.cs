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

    public string Kind => "memory";

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

    public InMemoryShopDatabase Add(string buyerId, string productId, InteractionKind kind = InteractionKind.Order, string orderStatus = "DELIVERED")
    {
        lock (_lock)
            _interactions.Add((new ShopInteraction(buyerId, productId, kind, new DateTime(2025, 1, 1, 0, 0, _interactions.Count % 60, DateTimeKind.Utc)), orderStatus));
        return this;
    }

    public void RemoveInteractions(Predicate<ShopInteraction> match)
    {
        lock (_lock) _interactions.RemoveAll(row => match(row.Interaction));
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
                .Select(row => row.Interaction)];
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
