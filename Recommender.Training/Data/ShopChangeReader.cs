using System.Data;
using System.Data.Common;

namespace Recommender.Training.Data;

/// <summary>
/// What a database must supply to read changes: the six queries in its own SQL, and how it binds
/// a time and a list and reads a time back. <see cref="ShopChangeReader"/> does the rest, the
/// same for every database.
/// </summary>
internal abstract class ChangeDialect
{
    /// <summary>One row: the database's own clock, UTC.</summary>
    public abstract string ClockSql { get; }

    /// <summary>Rows (kind 0 cart / 1 wishlist, bucket, row count, sum of row hashes).</summary>
    public abstract string FingerprintsSql { get; }

    /// <summary>Buyers with an order or order item newer than @since.</summary>
    public abstract string ChangedBuyersSql { get; }

    /// <summary>As <see cref="ChangedBuyersSql"/>, plus cart and wishlist items newer than @since.</summary>
    public abstract string FirstReadChangedBuyersSql { get; }

    /// <summary>Rows (kind, bucket, buyer) of the carts in @cartBuckets and wishlists in @wishlistBuckets.</summary>
    public abstract string BucketMembersSql { get; }

    /// <summary>Rows (buyer, product, createdAt, kind, revenue: an order item's price × quantity, else 0) of @buyers: counted orders (@statuses), carts, wishlists.</summary>
    public abstract string BuyerInteractionsSql { get; }

    public abstract DbCommand Command(string sql);
    public abstract DateTime Clock(object? value);
    public abstract void AddTime(DbCommand command, string name, DateTime utc);
    public abstract void AddList<T>(DbCommand command, string name, T[] values);
    public abstract DateTime ReadTime(DbDataReader reader, int column);
}

/// <summary>
/// One read of what changed since a <see cref="ShopChangeCursor"/>, in the dialect's open
/// read-only transaction: the clock, the bucket fingerprints, the buyers changed by time or by a
/// moved bucket (its members before and after), then those buyers' current interactions.
/// </summary>
internal static class ShopChangeReader
{
    public static async Task<ShopChanges> ReadAsync(
        ChangeDialect dialect, ShopChangeCursor cursor, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        DateTime readAt;
        await using (var clock = dialect.Command(dialect.ClockSql))
            readAt = dialect.Clock(await clock.ExecuteScalarAsync(cancellationToken));

        var carts = new long[ShopChangeCursor.Buckets];
        var wishlists = new long[ShopChangeCursor.Buckets];
        var rows = 1;
        await using (var command = dialect.Command(dialect.FingerprintsSql))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var buckets = reader.GetInt32(0) == 0 ? carts : wishlists;
                buckets[reader.GetInt32(1)] = ShopChangeCursor.Fingerprint(reader.GetInt64(2), reader.GetInt64(3));
                rows++;
            }
        }

        var firstRead = cursor.CartBuckets is null;
        var changed = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = dialect.Command(firstRead ? dialect.FirstReadChangedBuyersSql : dialect.ChangedBuyersSql))
        {
            dialect.AddTime(command, "since", cursor.Since);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                changed.Add(reader.GetString(0));
            rows += changed.Count;
        }

        var movedCarts = ShopChangeCursor.Moved(cursor.CartBuckets, carts);
        var movedWishlists = ShopChangeCursor.Moved(cursor.WishlistBuckets, wishlists);
        var current = new List<(int Kind, int Bucket, string Buyer)>();
        await using (var command = dialect.Command(dialect.BucketMembersSql))
        {
            dialect.AddList(command, "cartBuckets", movedCarts);
            dialect.AddList(command, "wishlistBuckets", movedWishlists);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                current.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2)));
            rows += current.Count;
        }
        // The first read only learns who is where: nothing has moved relative to it yet.
        var members = (cursor.Members ?? BucketMembers.Empty)
            .Update(movedCarts, movedWishlists, current, changed, countAsChanged: !firstRead);
        var buyers = changed.ToList();

        var interactions = buyers.Count > 0
            ? await ReadInteractionsOfAsync(dialect, buyers, countedOrderStatuses, cancellationToken)
            : [];
        rows += interactions.Count;
        return new ShopChanges(readAt, carts, wishlists, buyers, interactions, rows, members);
    }

    /// <summary>Every current interaction (counted orders, carts, wishlists) of <paramref name="buyers"/>: one query.</summary>
    public static async Task<List<ShopInteraction>> ReadInteractionsOfAsync(
        ChangeDialect dialect, IReadOnlyCollection<string> buyers, IReadOnlyCollection<string> countedOrderStatuses, CancellationToken cancellationToken)
    {
        var interactions = new List<ShopInteraction>();
        await using var command = dialect.Command(dialect.BuyerInteractionsSql);
        dialect.AddList(command, "buyers", buyers.ToArray());
        dialect.AddList(command, "statuses", countedOrderStatuses.ToArray());
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Sequential access: columns in order.
            var buyer = reader.GetString(0);
            var product = reader.GetString(1);
            var createdAt = dialect.ReadTime(reader, 2);
            var kind = (InteractionKind)reader.GetInt32(3);
            var revenue = reader.IsDBNull(4) ? 0 : Convert.ToDouble(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture);
            interactions.Add(new ShopInteraction(buyer, product, kind, createdAt, revenue));
        }
        return interactions;
    }
}
