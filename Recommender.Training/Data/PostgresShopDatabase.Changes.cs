using System.Data;
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
        SELECT o."buyerId", oi."productId", oi."createdAt", 0
        FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId"
        WHERE o."buyerId" = ANY(@buyers) AND o."status"::text = ANY(@statuses)
        UNION ALL
        SELECT c."buyerId", ci."productId", ci."createdAt", 1
        FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId"
        WHERE c."buyerId" = ANY(@buyers)
        UNION ALL
        SELECT w."buyerId", wi."productId", wi."createdAt", 2
        FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId"
        WHERE w."buyerId" = ANY(@buyers)
        """;

    public async Task<ShopChanges> ReadChangesAsync(
        ShopChangeCursor cursor, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadOnlyAsync(connection, cancellationToken);

        DateTime readAt;
        await using (var clock = new NpgsqlCommand(ClockSql, connection, transaction))
            readAt = DateTime.SpecifyKind((DateTime)(await clock.ExecuteScalarAsync(cancellationToken))!, DateTimeKind.Utc);

        var carts = new long[ShopChangeCursor.Buckets];
        var wishlists = new long[ShopChangeCursor.Buckets];
        var rows = 1;
        await using (var command = new NpgsqlCommand(FingerprintsSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var buckets = reader.GetInt32(0) == 0 ? carts : wishlists;
                buckets[reader.GetInt32(1)] = ShopChangeCursor.Fingerprint(reader.GetInt64(2), reader.GetInt64(3));
                rows++;
            }
        }

        var changed = new HashSet<string>(StringComparer.Ordinal);
        var sql = cursor.CartBuckets is null ? FirstReadChangedBuyersSql : ChangedBuyersSql;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.Timestamp) { Value = DateTime.SpecifyKind(cursor.Since, DateTimeKind.Unspecified) });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                changed.Add(reader.GetString(0));
            rows += changed.Count;
        }

        var movedCarts = ShopChangeCursor.Moved(cursor.CartBuckets, carts);
        var movedWishlists = ShopChangeCursor.Moved(cursor.WishlistBuckets, wishlists);
        var current = new List<(int Kind, int Bucket, string Buyer)>();
        await using (var command = new NpgsqlCommand(BucketMembersSql, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<int[]>("cartBuckets", movedCarts));
            command.Parameters.Add(new NpgsqlParameter<int[]>("wishlistBuckets", movedWishlists));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                current.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2)));
            rows += current.Count;
        }
        var members = (cursor.Members ?? BucketMembers.Empty)
            .Update(movedCarts, movedWishlists, current, changed, countAsChanged: cursor.CartBuckets is not null);
        var buyers = changed.ToList();

        var interactions = new List<ShopInteraction>();
        if (buyers.Count > 0)
        {
            await using var command = new NpgsqlCommand(BuyerInteractionsSql, connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<string[]>("buyers", [.. buyers]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("statuses", [.. countedOrderStatuses]));
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                // Sequential access: columns in order.
                var buyer = reader.GetString(0);
                var product = reader.GetString(1);
                var createdAt = DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc);
                interactions.Add(new ShopInteraction(buyer, product, (InteractionKind)reader.GetInt32(3), createdAt));
            }
        }
        rows += interactions.Count;
        return new ShopChanges(readAt, carts, wishlists, buyers, interactions, rows, members);
    }
}
