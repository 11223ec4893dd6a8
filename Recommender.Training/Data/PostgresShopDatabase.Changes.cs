using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Recommender.Training.Data;

public sealed partial class PostgresShopDatabase
{
    // now() is the transaction's start, taken with its snapshot: rows committed after it are
    // read by the next poll. TIMESTAMP(3) columns hold UTC without a zone, so compare in UTC.
    private const string ClockSql = """SELECT now() AT TIME ZONE 'UTC'""";

    // Deletions leave no row, so every cart and wishlist is hashed into a bucket by its id and
    // each bucket fingerprinted: 2 × 1024 rows however many items there are.
    private const string FingerprintsSql = """
        SELECT 0, hashtext(ci."cartId") & 1023, count(*), sum(hashtext(ci."id" || ' ' || ci."productId"))
        FROM "CartItem" ci GROUP BY 2
        UNION ALL
        SELECT 1, hashtext(wi."wishlistId") & 1023, count(*), sum(hashtext(wi."id" || ' ' || wi."productId"))
        FROM "WishlistItem" wi GROUP BY 2
        """;

    // Orders by time: a new order or item, or an order whose status changed (updatedAt).
    // Carts and wishlists by fingerprint (BucketMembersSql); on the first read by time, since
    // there are no fingerprints yet to compare.
    private const string ChangedBuyersSql = """
        SELECT o."buyerId" FROM "Order" o WHERE o."updatedAt" > @since
        UNION SELECT o."buyerId" FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId" WHERE oi."createdAt" > @since
        """;

    // The buyers of every cart and wishlist in the buckets that moved (all buckets on the first read).
    private const string BucketMembersSql = """
        SELECT 0, hashtext(c."id") & 1023, c."buyerId" FROM "Cart" c WHERE hashtext(c."id") & 1023 = ANY(@cartBuckets)
        UNION ALL
        SELECT 1, hashtext(w."id") & 1023, w."buyerId" FROM "Wishlist" w WHERE hashtext(w."id") & 1023 = ANY(@wishlistBuckets)
        """;

    private const string FirstReadChangedBuyersSql = ChangedBuyersSql + """

        UNION SELECT c."buyerId" FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId" WHERE ci."createdAt" > @since OR ci."updatedAt" > @since
        UNION SELECT w."buyerId" FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId" WHERE wi."createdAt" > @since
        """;

    private const string BuyerInteractionsSql = """
        SELECT o."buyerId", oi."productId", oi."createdAt", 0, oi."price" * oi."quantity"
        FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId"
        WHERE o."buyerId" = ANY(@buyers) AND o."status"::text = ANY(@statuses)
        UNION ALL
        SELECT c."buyerId", ci."productId", ci."createdAt", 1, 0
        FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId"
        WHERE c."buyerId" = ANY(@buyers)
        UNION ALL
        SELECT w."buyerId", wi."productId", wi."createdAt", 2, 0
        FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId"
        WHERE w."buyerId" = ANY(@buyers)
        """;

    public async Task<ShopChanges> ReadChangesAsync(
        ShopChangeCursor cursor, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadOnlyAsync(connection, cancellationToken);
        return await ShopChangeReader.ReadAsync(new PostgresDialect(connection, transaction), cursor, countedOrderStatuses, cancellationToken);
    }

    public async Task<IReadOnlyList<ShopInteraction>> ReadBuyersAsync(
        IReadOnlyCollection<string> buyers, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        if (buyers.Count == 0) return [];
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadOnlyAsync(connection, cancellationToken);
        return await ShopChangeReader.ReadInteractionsOfAsync(new PostgresDialect(connection, transaction), buyers, countedOrderStatuses, cancellationToken);
    }

    private sealed class PostgresDialect(NpgsqlConnection connection, NpgsqlTransaction transaction) : ChangeDialect
    {
        public override string ClockSql => PostgresShopDatabase.ClockSql;
        public override string FingerprintsSql => PostgresShopDatabase.FingerprintsSql;
        public override string ChangedBuyersSql => PostgresShopDatabase.ChangedBuyersSql;
        public override string FirstReadChangedBuyersSql => PostgresShopDatabase.FirstReadChangedBuyersSql;
        public override string BucketMembersSql => PostgresShopDatabase.BucketMembersSql;
        public override string BuyerInteractionsSql => PostgresShopDatabase.BuyerInteractionsSql;

        public override DbCommand Command(string sql) => new NpgsqlCommand(sql, connection, transaction);

        public override DateTime Clock(object? value) => DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc);

        public override void AddTime(DbCommand command, string name, DateTime utc) =>
            command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Timestamp) { Value = DateTime.SpecifyKind(utc, DateTimeKind.Unspecified) });

        public override void AddList<T>(DbCommand command, string name, T[] values) =>
            command.Parameters.Add(new NpgsqlParameter<T[]>(name, values));

        public override DateTime ReadTime(DbDataReader reader, int column) => DateTime.SpecifyKind(reader.GetDateTime(column), DateTimeKind.Utc);
    }
}
