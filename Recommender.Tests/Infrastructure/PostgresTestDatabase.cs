using Dapper;
using Npgsql;

namespace Recommender.Tests.Infrastructure;

/// <summary>
/// A shop of its own for one test: a fresh schema named <c>t_&lt;guid&gt;</c> holding the Prisma
/// tables and enums of <c>Fixtures/shop-schema.postgres.sql</c>, dropped with everything in it
/// on dispose. <see cref="DataSource"/> and <see cref="ConnectionString"/> carry
/// <c>SearchPath=&lt;schema&gt;</c>, so production SQL with unqualified table names reads this shop.
/// Use it as <c>await using var shop = await PostgresTestDatabase.CreateAsync();</c>.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private const string SchemaResource = "shop-schema.postgres.sql";

    // One pool for creating and dropping schemas, shared by every test in the run.
    private static readonly Lazy<NpgsqlDataSource> Admin =
        new(() => NpgsqlDataSource.Create(PostgresTestEnvironment.RequireConnectionString()));

    private PostgresTestDatabase(string schema, string connectionString, NpgsqlDataSource dataSource)
    {
        Schema = schema;
        ConnectionString = connectionString;
        DataSource = dataSource;
    }

    /// <summary>The schema's name: lower case, so it needs no quoting in a search path.</summary>
    public string Schema { get; }

    /// <summary>An Npgsql connection string to this shop, for code that takes a string.</summary>
    public string ConnectionString { get; }

    /// <summary>Connections whose search path is this shop's schema.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var baseConnectionString = PostgresTestEnvironment.RequireConnectionString();
        var schema = $"t_{Guid.NewGuid():N}";
        await using (var create = Admin.Value.CreateCommand($"CREATE SCHEMA \"{schema}\""))
            await create.ExecuteNonQueryAsync();

        var connectionString = new NpgsqlConnectionStringBuilder(baseConnectionString) { SearchPath = schema }.ConnectionString;
        var database = new PostgresTestDatabase(schema, connectionString, NpgsqlDataSource.Create(connectionString));
        try
        {
            // The DDL names no schema, so its types and tables land in the first one on the
            // search path: this test's.
            await database.ExecuteAsync(await ReadSchemaDdlAsync());
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return database;
    }

    /// <summary>Runs SQL against this shop (several statements when there are no parameters).</summary>
    public async Task ExecuteAsync(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(sql, parameters);
    }

    public async Task<T> QuerySingleAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<T>(sql, parameters);
    }

    /// <summary>A product with only the required columns set; the rest take their defaults.</summary>
    public Task InsertProductAsync(string id, string sellerId = "seller-1", double price = 10.0) =>
        ExecuteAsync(
            """
            INSERT INTO "Product" ("id", "name", "price", "images", "status", "sellerId", "updatedAt")
            VALUES (@id, @name, @price, @images, 'ACTIVE', @sellerId, @updatedAt)
            """,
            new { id, name = $"Product {id}", price, images = new[] { $"{id}.png" }, sellerId, updatedAt = Stored(DateTime.UtcNow) });

    /// <summary>An order of <paramref name="buyerId"/> with one item per product id, all created at <paramref name="createdAt"/>.</summary>
    public async Task InsertOrderAsync(string orderId, string buyerId, string status, DateTime createdAt, params string[] productIds)
    {
        var at = Stored(createdAt);
        await ExecuteAsync(
            """
            INSERT INTO "Order" ("id", "buyerId", "status", "createdAt", "updatedAt")
            VALUES (@orderId, @buyerId, @status::"OrderStatus", @at, @at)
            """,
            new { orderId, buyerId, status, at });
        for (var i = 0; i < productIds.Length; i++)
        {
            await ExecuteAsync(
                """
                INSERT INTO "OrderItem" ("id", "orderId", "productId", "quantity", "price", "createdAt")
                VALUES (@id, @orderId, @productId, 1, 10.0, @at)
                """,
                new { id = $"{orderId}-item-{i}", orderId, productId = productIds[i], at });
        }
    }

    /// <summary>Puts a product in the buyer's cart, creating the cart on first use; returns the item's id.</summary>
    public async Task<string> AddToCartAsync(string buyerId, string productId, DateTime createdAt)
    {
        var at = Stored(createdAt);
        var itemId = NewId();
        await ExecuteAsync(
            """
            INSERT INTO "Cart" ("id", "buyerId", "createdAt", "updatedAt") VALUES (@cartId, @buyerId, @at, @at)
            ON CONFLICT ("buyerId") DO NOTHING;
            INSERT INTO "CartItem" ("id", "cartId", "productId", "quantity", "createdAt", "updatedAt")
            SELECT @itemId, c."id", @productId, 1, @at, @at FROM "Cart" c WHERE c."buyerId" = @buyerId;
            """,
            new { cartId = $"cart-{buyerId}", buyerId, itemId, productId, at });
        return itemId;
    }

    /// <summary>Puts a product on the buyer's wishlist, creating the wishlist on first use; returns the item's id.</summary>
    public async Task<string> AddToWishlistAsync(string buyerId, string productId, DateTime createdAt)
    {
        var at = Stored(createdAt);
        var itemId = NewId();
        await ExecuteAsync(
            """
            INSERT INTO "Wishlist" ("id", "buyerId", "createdAt", "updatedAt") VALUES (@wishlistId, @buyerId, @at, @at)
            ON CONFLICT ("buyerId") DO NOTHING;
            INSERT INTO "WishlistItem" ("id", "wishlistId", "productId", "createdAt")
            SELECT @itemId, w."id", @productId, @at FROM "Wishlist" w WHERE w."buyerId" = @buyerId;
            """,
            new { wishlistId = $"wishlist-{buyerId}", buyerId, itemId, productId, at });
        return itemId;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await DropSchemaAsync(Schema);
    }

    /// <summary>
    /// Drops a schema and everything in it. A stopped replica's Quartz threads may still be
    /// finishing a database call (its shutdown is bounded, not awaited to the end), and
    /// <c>DROP ... CASCADE</c> locks table after table: PostgreSQL may break the deadlock by failing
    /// the drop, which is then simply run again.
    /// </summary>
    public static async Task DropSchemaAsync(string schema)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = Admin.Value.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    /// <summary>
    /// Prisma keeps UTC in TIMESTAMP(3) without time zone. Npgsql writes a UTC DateTime as
    /// timestamptz, which the server would shift by its own time zone; an unspecified kind is
    /// written as a plain timestamp, unchanged.
    /// </summary>
    private static DateTime Stored(DateTime utc) =>
        DateTime.SpecifyKind(utc.Kind == DateTimeKind.Local ? utc.ToUniversalTime() : utc, DateTimeKind.Unspecified);

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static async Task<string> ReadSchemaDdlAsync()
    {
        await using var stream = typeof(PostgresTestDatabase).Assembly.GetManifestResourceStream(SchemaResource)
            ?? throw new InvalidOperationException($"The embedded resource {SchemaResource} is missing.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
