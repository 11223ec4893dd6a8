using System.Globalization;
using Microsoft.Data.Sqlite;
using Recommender.Api.Demo;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Data;

/// <summary>
/// One contract for <see cref="IShopDatabase.ReadChangesAsync"/>, run on PostgreSQL and SQLite:
/// new rows, deleted rows (a whole cart included) and a cancelled order each name their buyer
/// with the buyer's current interactions, and an unchanged shop names nobody.
/// </summary>
public sealed class ShopChangesTests
{
    private static readonly DateTime LongAgo = new(2025, 3, 22, 4, 18, 12, 293, DateTimeKind.Utc);
    private static readonly string[] Counted = new InteractionWeights().CountedOrderStatuses;

    /// <summary>What a test does to a shop, written once per database.</summary>
    private interface IShopWriter
    {
        IShopDatabase Database { get; }
        Task OrderAsync(string orderId, string buyerId, string productId, DateTime at);
        Task AddToCartAsync(string buyerId, string productId, DateTime at);
        Task AddToWishlistAsync(string buyerId, string productId, DateTime at);
        Task ExecuteAsync(string sql, DateTime at);
    }

    /// <summary>
    /// Timestamps have milliseconds, and without the service's overlap a change must be stamped
    /// after the read before it: waits until the clock the changes are stamped with has passed it.
    /// </summary>
    private static Task PastAsync(ShopChanges read) =>
        Eventually.HoldsAsync(() => DateTime.UtcNow > read.ReadAt.AddMilliseconds(1), $"the clock to pass the read at {read.ReadAt:O}");

    private static async Task ChangesAreFoundAsync(IShopWriter shop)
    {
        await shop.OrderAsync("o1", "b1", "p1", LongAgo);
        await shop.AddToCartAsync("b2", "p2", LongAgo);
        await shop.AddToWishlistAsync("b3", "p3", LongAgo);
        var database = shop.Database;

        var first = await database.ReadChangesAsync(new ShopChangeCursor(DateTime.UtcNow.AddMinutes(-1)), Counted, default);
        Assert.Empty(first.Buyers);
        await PastAsync(first);

        await shop.AddToCartAsync("b1", "p2", DateTime.UtcNow);
        await shop.AddToWishlistAsync("b4", "p4", DateTime.UtcNow);
        var added = await database.ReadChangesAsync(first.Next(TimeSpan.Zero), Counted, default);
        Assert.Equal(["b1", "b4"], added.Buyers.Order());
        Assert.Equal(
            ["b1 p1 Order", "b1 p2 Cart", "b4 p4 Wishlist"],
            added.Interactions.Select(i => $"{i.BuyerId} {i.ProductId} {i.Kind}").Order());
        Assert.Equal(LongAgo, added.Interactions.Single(i => i.Kind == InteractionKind.Order).CreatedAt);

        await PastAsync(added);
        // A deletion leaves no row and an old item has an old createdAt: only the fingerprints see it.
        await shop.ExecuteAsync("""DELETE FROM "CartItem" WHERE "productId" = 'p2' AND "cartId" IN (SELECT "id" FROM "Cart" WHERE "buyerId" = 'b2')""", DateTime.UtcNow);
        await shop.ExecuteAsync("""DELETE FROM "WishlistItem" WHERE "productId" = 'p3'""", DateTime.UtcNow);
        var deleted = await database.ReadChangesAsync(added.Next(TimeSpan.Zero), Counted, default);
        Assert.Contains("b2", deleted.Buyers);
        Assert.Contains("b3", deleted.Buyers);
        Assert.DoesNotContain(deleted.Interactions, i => i.BuyerId is "b2" or "b3");

        await PastAsync(deleted);
        await shop.ExecuteAsync("""UPDATE "Order" SET "status" = 'CANCELLED', "updatedAt" = @at WHERE "id" = 'o1'""", DateTime.UtcNow);
        var cancelled = await database.ReadChangesAsync(deleted.Next(TimeSpan.Zero), Counted, default);
        Assert.Contains("b1", cancelled.Buyers);
        Assert.Equal(["b1 p2 Cart"], cancelled.Interactions.Where(i => i.BuyerId == "b1").Select(i => $"{i.BuyerId} {i.ProductId} {i.Kind}"));

        await PastAsync(cancelled);
        // A deleted "Cart" row takes its buyer id with it: the bucket's earlier members name b1.
        await shop.ExecuteAsync("""
            DELETE FROM "CartItem" WHERE "cartId" IN (SELECT "id" FROM "Cart" WHERE "buyerId" = 'b1');
            DELETE FROM "Cart" WHERE "buyerId" = 'b1';
            """, DateTime.UtcNow);
        var cartGone = await database.ReadChangesAsync(cancelled.Next(TimeSpan.Zero), Counted, default);
        Assert.Contains("b1", cartGone.Buyers);
        Assert.DoesNotContain(cartGone.Interactions, i => i.BuyerId == "b1");

        await PastAsync(cartGone);
        var quiet = await database.ReadChangesAsync(cartGone.Next(TimeSpan.Zero), Counted, default);
        Assert.Empty(quiet.Buyers);
        Assert.True(quiet.ReadAt >= cartGone.ReadAt);
    }

    [PostgresFact]
    public async Task Postgres_reads_new_deleted_and_cancelled_rows_by_buyer()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        for (var p = 1; p <= 4; p++) await shop.InsertProductAsync($"p{p}");
        await ChangesAreFoundAsync(new PostgresWriter(shop));
    }

    [Fact]
    public async Task Sqlite_reads_new_deleted_and_cancelled_rows_by_buyer()
    {
        var directory = Directory.CreateTempSubdirectory("shop-changes-");
        try
        {
            var path = Path.Combine(directory.FullName, "shop.db");
            await using (var connection = new SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync();
                await using var ddl = connection.CreateCommand();
                ddl.CommandText = DemoShopSchema.Ddl;
                await ddl.ExecuteNonQueryAsync();
            }
            await ChangesAreFoundAsync(new SqliteWriter(path));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private sealed class PostgresWriter(PostgresTestDatabase shop) : IShopWriter
    {
        public IShopDatabase Database { get; } = new PostgresShopDatabase(shop.DataSource);
        public Task OrderAsync(string orderId, string buyerId, string productId, DateTime at) => shop.InsertOrderAsync(orderId, buyerId, "DELIVERED", at, productId);
        public Task AddToCartAsync(string buyerId, string productId, DateTime at) => shop.AddToCartAsync(buyerId, productId, at);
        public Task AddToWishlistAsync(string buyerId, string productId, DateTime at) => shop.AddToWishlistAsync(buyerId, productId, at);
        public Task ExecuteAsync(string sql, DateTime at) =>
            shop.ExecuteAsync(sql.Replace("'CANCELLED'", "'CANCELLED'::\"OrderStatus\""), new { at = DateTime.SpecifyKind(at, DateTimeKind.Unspecified) });
    }

    private sealed class SqliteWriter(string path) : IShopWriter
    {
        public IShopDatabase Database { get; } = new SqliteShopDatabase(path);

        public Task OrderAsync(string orderId, string buyerId, string productId, DateTime at) => RunAsync(
            """
            INSERT INTO "Order" ("id", "buyerId", "status", "createdAt", "updatedAt") VALUES (@id, @buyer, 'DELIVERED', @at, @at);
            INSERT INTO "OrderItem" ("id", "orderId", "productId", "quantity", "price", "createdAt") VALUES (@id || '-1', @id, @product, 1, 10, @at);
            """, at, ("@id", orderId), ("@buyer", buyerId), ("@product", productId));

        public Task AddToCartAsync(string buyerId, string productId, DateTime at) => RunAsync(
            """
            INSERT OR IGNORE INTO "Cart" ("id", "buyerId", "createdAt", "updatedAt") VALUES ('cart-' || @buyer, @buyer, @at, @at);
            INSERT INTO "CartItem" ("id", "cartId", "productId", "quantity", "createdAt", "updatedAt") VALUES (@item, 'cart-' || @buyer, @product, 1, @at, @at);
            """, at, ("@buyer", buyerId), ("@product", productId), ("@item", Guid.NewGuid().ToString("N")));

        public Task AddToWishlistAsync(string buyerId, string productId, DateTime at) => RunAsync(
            """
            INSERT OR IGNORE INTO "Wishlist" ("id", "buyerId", "createdAt", "updatedAt") VALUES ('wishlist-' || @buyer, @buyer, @at, @at);
            INSERT INTO "WishlistItem" ("id", "wishlistId", "productId", "createdAt") VALUES (@item, 'wishlist-' || @buyer, @product, @at);
            """, at, ("@buyer", buyerId), ("@product", productId), ("@item", Guid.NewGuid().ToString("N")));

        public Task ExecuteAsync(string sql, DateTime at) => RunAsync(sql, at);

        private async Task RunAsync(string sql, DateTime at, params (string Name, string Value)[] parameters)
        {
            // No product rows: the changes do not look at them.
            await using var connection = new SqliteConnection($"Data Source={path};Foreign Keys=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("@at", at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value);
            await command.ExecuteNonQueryAsync();
        }
    }
}
