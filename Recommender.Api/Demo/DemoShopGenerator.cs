using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Recommender.Api.Demo;

/// <summary>A demo buyer with a known taste, for trying the service (README, .http file).</summary>
/// <param name="Id">The buyer's id, as in "Order"."buyerId".</param>
/// <param name="CategoryIds">The categories every one of the buyer's orders, cart and wishlist items come from.</param>
/// <param name="Description">The taste in words.</param>
public sealed record DemoBuyer(string Id, IReadOnlyList<string> CategoryIds, string Description);

/// <summary>What a new demo shop holds.</summary>
public sealed record DemoShopCounts(int Products, int Sellers, int Buyers, int Orders, int OrderItems, int CartItems, int WishlistItems);

/// <summary>
/// The embedded demo shop: a SQLite file with the shop's Prisma tables, created on first start
/// when no PostgreSQL shop is configured, so that the service has something to train on and serve.
/// </summary>
public static partial class DemoShop
{
    /// <summary>
    /// Buyers whose every interaction comes from two categories, for any seed, so that their
    /// recommendations are easy to judge: <c>buyer-0001</c> likes Pottery and Candles,
    /// <c>buyer-0002</c> Sarees and Jewelry, <c>buyer-0003</c> Woodwork and Leather Goods.
    /// Each has six orders, a cart and a wishlist. Every other buyer has one to three
    /// favourite categories and strays from them now and then.
    /// </summary>
    public static IReadOnlyList<DemoBuyer> ShowcaseBuyers { get; } =
    [
        new("buyer-0001", ["cat-pottery", "cat-candles"], "Pottery and candles"),
        new("buyer-0002", ["cat-sarees", "cat-jewelry"], "Sarees and jewelry"),
        new("buyer-0003", ["cat-woodwork", "cat-leather-goods"], "Woodwork and leather goods"),
    ];

    /// <inheritdoc cref="EnsureCreatedAsync(string, DemoShopOptions, ILogger, CancellationToken)"/>
    public static Task<string> EnsureCreatedAsync(string path, int seed, ILogger logger, CancellationToken cancellationToken) =>
        EnsureCreatedAsync(path, new DemoShopOptions { Seed = seed }, logger, cancellationToken);

    /// <summary>
    /// Creates the demo shop at <paramref name="path"/> unless a file is already there, which is
    /// left as it is. The shop is written to a temporary file beside it and renamed into place
    /// when complete, so a crash or a cancellation never leaves half a shop at the path.
    /// </summary>
    /// <returns>The full path of the shop.</returns>
    public static async Task<string> EnsureCreatedAsync(string path, DemoShopOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(path);
        if (File.Exists(fullPath))
        {
            LogExisting(logger, fullPath);
            return fullPath;
        }
        options.Validate();
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = $"{fullPath}.tmp-{Guid.NewGuid():N}";
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var counts = await Task.Run(() => Write(temporary, options, cancellationToken), cancellationToken);
            try
            {
                File.Move(temporary, fullPath);
            }
            catch (IOException) when (File.Exists(fullPath))
            {
                // Another instance finished first; its shop is as good as ours.
                LogCreatedElsewhere(logger, fullPath);
                return fullPath;
            }
            LogCreated(logger, fullPath, stopwatch.ElapsedMilliseconds, counts.Products, counts.Buyers, counts.Orders,
                counts.OrderItems, counts.CartItems, counts.WishlistItems, options.Seed);
            return fullPath;
        }
        finally
        {
            File.Delete(temporary);
            File.Delete(temporary + "-journal");
        }
    }

    private static DemoShopCounts Write(string file, DemoShopOptions options, CancellationToken cancellationToken)
    {
        var until = DateTime.SpecifyKind(options.Until ?? DateTime.UtcNow.Date, DateTimeKind.Utc);
        var random = new Random(options.Seed);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            Pooling = false,   // a pooled connection would keep the file open past the rename
        }.ToString();

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = DemoShopSchema.Ddl;
            create.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        using var products = new DemoTableWriter(connection, transaction, "Product", DemoProducts.Columns);
        using var orders = new DemoTableWriter(connection, transaction, "Order", "id", "buyerId", "status", "createdAt", "updatedAt");
        using var orderItems = new DemoTableWriter(connection, transaction, "OrderItem", "id", "orderId", "productId", "quantity", "price", "createdAt");
        using var carts = new DemoTableWriter(connection, transaction, "Cart", "id", "buyerId", "createdAt", "updatedAt");
        using var cartItems = new DemoTableWriter(connection, transaction, "CartItem", "id", "cartId", "productId", "quantity", "createdAt", "updatedAt");
        using var wishlists = new DemoTableWriter(connection, transaction, "Wishlist", "id", "buyerId", "createdAt", "updatedAt");
        using var wishlistItems = new DemoTableWriter(connection, transaction, "WishlistItem", "id", "wishlistId", "productId", "createdAt");

        var sellers = DemoSellers.Create(random, options.Sellers);
        var catalogue = DemoProducts.Write(random, options, sellers, until, products);
        new DemoActivity(random, catalogue, until).Write(
            options.Buyers, new DemoActivityTables(orders, orderItems, carts, cartItems, wishlists, wishlistItems), cancellationToken);
        transaction.Commit();

        return new DemoShopCounts(products.Rows, sellers.Length, options.Buyers, orders.Rows, orderItems.Rows, cartItems.Rows, wishlistItems.Rows);
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Using the existing demo shop at {Path}")]
    private static partial void LogExisting(ILogger logger, string path);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Another process created the demo shop at {Path} first; using it")]
    private static partial void LogCreatedElsewhere(ILogger logger, string path);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information,
        Message = "Created the demo shop at {Path} in {ElapsedMs} ms: {Products} products, {Buyers} buyers, {Orders} orders " +
                  "with {OrderItems} items, {CartItems} cart items, {WishlistItems} wishlist items (seed {Seed})")]
    private static partial void LogCreated(ILogger logger, string path, long elapsedMs, int products, int buyers, int orders,
        int orderItems, int cartItems, int wishlistItems, int seed);
}
