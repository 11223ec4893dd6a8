using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.RealTime;
using Recommender.Api.RealTime.Replication;
using Recommender.Api.Scheduling;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Api;

/// <summary>
/// The contract between the two change sources: the same changes to a real PostgreSQL shop
/// (insert, update and delete of every table, a whole cart deleted, an order cancelled, a
/// transaction rolled back), seen by one replica that polls and one that reads logical
/// replication, leave the same live histories in both: each changed buyer's current rows.
/// Wall-clock, with an "eventually" wait; no bound on how long it takes.
/// </summary>
public sealed class ChangeSourceContractTests
{
    private static readonly DateTime At = new(2025, 3, 22, 4, 18, 12, 293, DateTimeKind.Utc);

    private static readonly string[] Statuses = ["PENDING", "CONFIRMED", "SHIPPED", "DELIVERED"];

    [PostgresFact]
    public async Task Polling_and_logical_replication_leave_the_same_live_histories_for_the_same_changes()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        await SeedAsync(shop);
        await using var replication = new TestReplication(shop);
        using var polling = Service(shop);
        polling.Settings["Recommender:RealTime:PollMilliseconds"] = "100";
        using var streaming = Service(shop);
        replication.Configure(streaming, "contract");
        await polling.CreateReadyClientAsync();
        await streaming.CreateReadyClientAsync();
        var sources = new[] { polling, streaming };
        await EventuallyAsync(sources, () => streaming.Services.GetRequiredService<RealTimeUpdater>().Running == RealTimeSource.Replication
            && polling.Services.GetRequiredService<RealTimeUpdater>().Running == RealTimeSource.Poll);
        await EventuallyAsync(sources, () => Streaming(streaming) && CaughtUp(polling));
        Assert.All(sources, s => Assert.Empty(Live(s).Snapshot()));

        var trainedRows = new Dictionary<string, (string, InteractionKind)[]>(StringComparer.Ordinal);
        for (var buyer = 0; buyer < Buyers; buyer++)
            trainedRows[$"b{buyer}"] = await CurrentRowsAsync(shop, $"b{buyer}");
        // The poller finds orders by time and carts and wishlists by fingerprint: an order item
        // updated or deleted, or an order deleted, touches no time it reads, so it sees them only
        // when the next model serves (README). Replication sees every committed row.
        var scenarios = new (string Name, string Buyer, bool PollSees, Func<Task> Change)[]
        {
            ("an order with its items inserted", "b1", true, () => shop.InsertOrderAsync("o-new", "b1", "PENDING", DateTime.UtcNow, "p3", "p4")),
            ("an order item inserted into an existing order", "b2", true, () => shop.ExecuteAsync(
                """INSERT INTO "OrderItem" ("id", "orderId", "productId", "quantity", "price", "createdAt") VALUES ('o2-extra', 'o2', 'p6', 1, 10, now())""")),
            ("an order cancelled", "b3", true, () => shop.ExecuteAsync("""UPDATE "Order" SET "status" = 'CANCELLED', "updatedAt" = now() WHERE "id" = 'o3'""")),
            ("an order item's quantity updated (no interaction changes)", "b4", true, () => shop.ExecuteAsync("""UPDATE "OrderItem" SET "quantity" = 3 WHERE "id" = 'o4-item-0'""")),
            ("an order item's product updated", "b5", false, () => shop.ExecuteAsync("""UPDATE "OrderItem" SET "productId" = 'p6' WHERE "id" = 'o5-item-0'""")),
            ("an order item deleted", "b6", false, () => shop.ExecuteAsync("""DELETE FROM "OrderItem" WHERE "id" = 'o6-item-1'""")),
            ("an order deleted with its items", "b7", false, () => shop.ExecuteAsync("""DELETE FROM "Order" WHERE "id" = 'o7'""")),
            ("a cart item inserted", "b8", true, () => shop.AddToCartAsync("b8", "p5", DateTime.UtcNow)),
            ("a cart item's product updated", "b9", true, () => shop.ExecuteAsync("""UPDATE "CartItem" SET "productId" = 'p6', "updatedAt" = now() WHERE "cartId" = 'cart-b9'""")),
            ("a trained cart item deleted", "b10", true, () => shop.ExecuteAsync("""DELETE FROM "CartItem" WHERE "cartId" = 'cart-b10'""")),
            ("a whole cart deleted", "b11", true, () => shop.ExecuteAsync("""DELETE FROM "Cart" WHERE "id" = 'cart-b11'""")),
            ("a wishlist item inserted", "b12", true, () => shop.AddToWishlistAsync("b12", "p1", DateTime.UtcNow)),
            ("a wishlist item's product updated", "b13", true, () => shop.ExecuteAsync("""UPDATE "WishlistItem" SET "productId" = 'p2' WHERE "wishlistId" = 'wishlist-b13'""")),
            ("a wishlist item deleted", "b14", true, () => shop.ExecuteAsync("""DELETE FROM "WishlistItem" WHERE "wishlistId" = 'wishlist-b14'""")),
            ("a whole wishlist deleted", "b0", true, () => shop.ExecuteAsync("""DELETE FROM "Wishlist" WHERE "id" = 'wishlist-b0'""")),
            ("a new buyer's cart", "newcomer", true, () => shop.AddToCartAsync("newcomer", "p2", DateTime.UtcNow)),
            ("an order updated back to what the model has", "b3", true, () => shop.ExecuteAsync("""UPDATE "Order" SET "status" = 'DELIVERED', "updatedAt" = now() WHERE "id" = 'o3'""")),
        };
        var expected = new Dictionary<string, (string, InteractionKind)[]>(StringComparer.Ordinal);
        var polled = new Dictionary<string, (string, InteractionKind)[]>(StringComparer.Ordinal);
        foreach (var (name, buyer, pollSees, change) in scenarios)
        {
            await change();
            var truth = await CurrentRowsAsync(shop, buyer);
            var trained = trainedRows.GetValueOrDefault(buyer) ?? [];
            foreach (var held in pollSees ? [expected, polled] : new[] { expected })
            {
                if (truth.SequenceEqual(trained)) held.Remove(buyer);
                else held[buyer] = truth;
            }
            await EventuallyAsync(sources, () => SameAs(polled, Live(polling).Snapshot()) && SameAs(expected, Live(streaming).Snapshot()),
                () => $"{name}: poll {Mismatch(polled, Live(polling).Snapshot())}; replication {Mismatch(expected, Live(streaming).Snapshot())}");
        }

        // A rolled-back transaction changes nothing; a later change proves both have read past it.
        await using (var connection = await shop.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("""INSERT INTO "CartItem" ("id", "cartId", "productId", "quantity", "createdAt", "updatedAt") VALUES ('rolled-back', 'cart-b1', 'p6', 1, now(), now())""", transaction: transaction);
            await connection.ExecuteAsync("""DELETE FROM "WishlistItem" WHERE "wishlistId" = 'wishlist-b2'""", transaction: transaction);
            await transaction.RollbackAsync();
        }
        await shop.AddToCartAsync("marker", "p1", DateTime.UtcNow);
        expected["marker"] = polled["marker"] = await CurrentRowsAsync(shop, "marker");
        await EventuallyAsync(sources, () => SameAs(polled, Live(polling).Snapshot()) && SameAs(expected, Live(streaming).Snapshot()),
            () => $"the change after a rollback: poll {Mismatch(polled, Live(polling).Snapshot())}; replication {Mismatch(expected, Live(streaming).Snapshot())}");
        Assert.Equal(
            Live(polling).Snapshot().Where(e => polled.ContainsKey(e.Key)).OrderBy(e => e.Key).Select(Describe),
            Live(streaming).Snapshot().Where(e => polled.ContainsKey(e.Key)).OrderBy(e => e.Key).Select(Describe));

        // The next model has every change: neither source holds anything then.
        foreach (var source in sources)
            Assert.Equal(TrainingOutcome.Published, await source.Services.GetRequiredService<ModelTrainingService>().TrainAsync(CancellationToken.None));
        await EventuallyAsync(sources, () => sources.All(s => Live(s).Snapshot().Count == 0), "the next model");
    }

    internal static RecommenderApiFactory Service(PostgresTestDatabase shop)
    {
        var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, realClock: true);
        factory.Settings["DATABASE_URL"] = shop.ConnectionString;
        factory.Settings["Recommender:Training:Algorithm"] = "itemknn";
        factory.Settings["Recommender:Training:HoldoutEvaluation"] = "false";
        return factory;
    }

    /// <summary>True once a replica reads logical replication, its start-up read done.</summary>
    internal static bool Streaming(RecommenderApiFactory factory) => factory.Services.GetRequiredService<ReplicationChangeFeed>().Streaming;

    /// <summary>True once a replica's start-up read is done, whatever its source.</summary>
    internal static bool CaughtUp(RecommenderApiFactory factory) => factory.Services.GetRequiredService<LiveHistoryUpdates>().CaughtUp;

    internal static LiveHistories Live(RecommenderApiFactory factory) => factory.Services.GetRequiredService<LiveHistories>();

    private const int Buyers = 15;

    /// <summary>Fifteen buyers, each with a delivered order, a cart and a wishlist, trained before any change.</summary>
    internal static async Task SeedAsync(PostgresTestDatabase shop)
    {
        for (var p = 1; p <= 6; p++) await shop.InsertProductAsync($"p{p}");
        for (var buyer = 0; buyer < Buyers; buyer++)
        {
            await shop.InsertOrderAsync($"o{buyer}", $"b{buyer}", "DELIVERED", At, "p1", "p2", buyer % 2 == 0 ? "p5" : "p6");
            await shop.AddToCartAsync($"b{buyer}", buyer % 2 == 0 ? "p3" : "p4", At);
            await shop.AddToWishlistAsync($"b{buyer}", buyer % 2 == 0 ? "p4" : "p3", At);
        }
    }

    /// <summary>The buyer's counted order items, cart and wishlist now, read directly (not by the service's own query).</summary>
    internal static async Task<(string, InteractionKind)[]> CurrentRowsAsync(PostgresTestDatabase shop, string buyer)
    {
        await using var connection = await shop.DataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Product, int Kind)>("""
            SELECT oi."productId", 0 FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId" WHERE o."buyerId" = @buyer AND o."status"::text = ANY(@statuses)
            UNION ALL SELECT ci."productId", 1 FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId" WHERE c."buyerId" = @buyer
            UNION ALL SELECT wi."productId", 2 FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId" WHERE w."buyerId" = @buyer
            """, new { buyer, statuses = Statuses });
        return [.. rows.Select(r => (r.Product, (InteractionKind)r.Kind)).Order()];
    }

    private static bool SameAs(Dictionary<string, (string, InteractionKind)[]> expected, IReadOnlyDictionary<string, (string Product, InteractionKind Kind)[]> held) =>
        expected.Count == held.Count && expected.All(e => held.TryGetValue(e.Key, out var rows) && rows.SequenceEqual(e.Value));

    private static string Mismatch(Dictionary<string, (string, InteractionKind)[]> expected, IReadOnlyDictionary<string, (string Product, InteractionKind Kind)[]> held) =>
        string.Join("; ", expected.Keys.Union(held.Keys).Order()
            .Where(b => !(expected.TryGetValue(b, out var e) && held.TryGetValue(b, out var h) && e.SequenceEqual(h)))
            .Select(b => $"{b} expected [{string.Join(", ", expected.GetValueOrDefault(b) ?? [])}] held [{string.Join(", ", held.GetValueOrDefault(b) ?? [])}]"));

    private static string Describe(KeyValuePair<string, (string Product, InteractionKind Kind)[]> entry) =>
        $"{entry.Key}: {string.Join(", ", entry.Value.Select(r => $"{r.Product}/{r.Kind}"))}";

    internal static Task EventuallyAsync(RecommenderApiFactory[] sources, Func<bool> done, string? what = null) =>
        EventuallyAsync(sources, () => Task.FromResult(done()), () => what ?? "the start");

    internal static Task EventuallyAsync(RecommenderApiFactory[] sources, Func<bool> done, Func<string> what) =>
        EventuallyAsync(sources, () => Task.FromResult(done()), what);

    internal static Task EventuallyAsync(RecommenderApiFactory[] sources, Func<Task<bool>> done, string? what = null) =>
        EventuallyAsync(sources, done, () => what ?? "the start");

    /// <summary>Waits until <paramref name="done"/> holds; after 60 s fails with what each source holds.</summary>
    internal static async Task EventuallyAsync(RecommenderApiFactory[] sources, Func<Task<bool>> done, Func<string> what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Not reached: {what()}. Held: " + string.Join(" | ",
                    sources.Select(s => string.Join("; ", Live(s).Snapshot().OrderBy(e => e.Key).Select(Describe)))));
            await Task.Delay(20);
        }
    }
}
