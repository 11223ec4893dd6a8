using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Recommender.Training.Data;

public sealed partial class SqliteShopDatabase
{
    // The same reads as PostgreSQL's (see PostgresShopDatabase.Changes.cs). SQLite has no
    // hashtext, so a 32-bit stable hash is registered on the connection; its sums fit in 64 bits.
    // TIMESTAMP(3) columns hold ISO-8601 UTC text, which compares in time order.
    private const string ClockSql = """SELECT strftime('%Y-%m-%dT%H:%M:%f', 'now')""";

    private const string FingerprintsSql = """
        SELECT 0, shop_hash(ci."cartId") & 1023, count(*), sum(shop_hash(ci."id" || ' ' || ci."productId"))
        FROM "CartItem" ci GROUP BY 2
        UNION ALL
        SELECT 1, shop_hash(wi."wishlistId") & 1023, count(*), sum(shop_hash(wi."id" || ' ' || wi."productId"))
        FROM "WishlistItem" wi GROUP BY 2
        """;

    private const string ChangedBuyersSql = """
        SELECT o."buyerId" FROM "Order" o WHERE o."updatedAt" > @since
        UNION SELECT o."buyerId" FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId" WHERE oi."createdAt" > @since
        """;

    // The buyers of every cart and wishlist in the buckets that moved (all buckets on the first read).
    private const string BucketMembersSql = """
        SELECT 0, shop_hash(c."id") & 1023, c."buyerId" FROM "Cart" c WHERE shop_hash(c."id") & 1023 IN (SELECT value FROM json_each(@cartBuckets))
        UNION ALL
        SELECT 1, shop_hash(w."id") & 1023, w."buyerId" FROM "Wishlist" w WHERE shop_hash(w."id") & 1023 IN (SELECT value FROM json_each(@wishlistBuckets))
        """;

    private const string FirstReadChangedBuyersSql = ChangedBuyersSql + """

        UNION SELECT c."buyerId" FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId" WHERE ci."createdAt" > @since OR ci."updatedAt" > @since
        UNION SELECT w."buyerId" FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId" WHERE wi."createdAt" > @since
        """;

    private const string BuyerInteractionsSql = """
        SELECT o."buyerId", oi."productId", oi."createdAt", 0, oi."price" * oi."quantity"
        FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId"
        WHERE o."buyerId" IN (SELECT value FROM json_each(@buyers)) AND o."status" IN (SELECT value FROM json_each(@statuses))
        UNION ALL
        SELECT c."buyerId", ci."productId", ci."createdAt", 1, 0
        FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId"
        WHERE c."buyerId" IN (SELECT value FROM json_each(@buyers))
        UNION ALL
        SELECT w."buyerId", wi."productId", wi."createdAt", 2, 0
        FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId"
        WHERE w."buyerId" IN (SELECT value FROM json_each(@buyers))
        """;

    public async Task<ShopChanges> ReadChangesAsync(
        ShopChangeCursor cursor, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        connection.CreateFunction("shop_hash", (string text) => (long)unchecked((int)StableHash.Of(text)), isDeterministic: true);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        return await ShopChangeReader.ReadAsync(new SqliteDialect(connection, transaction), cursor, countedOrderStatuses, cancellationToken);
    }

    public async Task<IReadOnlyList<ShopInteraction>> ReadBuyersAsync(
        IReadOnlyCollection<string> buyers, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        if (buyers.Count == 0) return [];
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        return await ShopChangeReader.ReadInteractionsOfAsync(new SqliteDialect(connection, transaction), buyers, countedOrderStatuses, cancellationToken);
    }

    private sealed class SqliteDialect(SqliteConnection connection, SqliteTransaction transaction) : ChangeDialect
    {
        public override string ClockSql => SqliteShopDatabase.ClockSql;
        public override string FingerprintsSql => SqliteShopDatabase.FingerprintsSql;
        public override string ChangedBuyersSql => SqliteShopDatabase.ChangedBuyersSql;
        public override string FirstReadChangedBuyersSql => SqliteShopDatabase.FirstReadChangedBuyersSql;
        public override string BucketMembersSql => SqliteShopDatabase.BucketMembersSql;
        public override string BuyerInteractionsSql => SqliteShopDatabase.BuyerInteractionsSql;

        public override DbCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            return command;
        }

        public override DateTime Clock(object? value) => ParseTimestamp((string)value!);

        public override void AddTime(DbCommand command, string name, DateTime utc) =>
            ((SqliteCommand)command).Parameters.AddWithValue("@" + name, utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));

        // SQLite has no array parameters: lists travel as JSON and are opened with json_each.
        public override void AddList<T>(DbCommand command, string name, T[] values) =>
            ((SqliteCommand)command).Parameters.AddWithValue("@" + name, JsonSerializer.Serialize(values));

        public override DateTime ReadTime(DbDataReader reader, int column) => ParseTimestamp(reader.GetString(column));
    }
}
