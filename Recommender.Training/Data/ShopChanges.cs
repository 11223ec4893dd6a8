namespace Recommender.Training.Data;

/// <summary>
/// Where the previous read of changes left off: a time on the database's own clock, and a
/// fingerprint of every bucket of carts and wishlists. Deleted rows leave nothing to find by
/// time, so carts and wishlists are hashed into <see cref="Buckets"/> buckets by their id and
/// each bucket fingerprinted (row count and a sum of row hashes); a bucket whose fingerprint
/// moved holds a cart or wishlist that gained, lost or changed an item.
/// </summary>
/// <param name="Since">Rows created or updated after this (UTC, database clock) are new.</param>
/// <param name="CartBuckets">The cart fingerprints of the previous read; null on the first read.</param>
/// <param name="WishlistBuckets">The wishlist fingerprints of the previous read; null on the first read.</param>
public sealed record ShopChangeCursor(DateTime Since, long[]? CartBuckets = null, long[]? WishlistBuckets = null)
{
    public const int Buckets = 1024;

    /// <summary>One number per bucket from its row count and its sum of 32-bit row hashes.</summary>
    public static long Fingerprint(long rows, long hashSum) => unchecked(hashSum * 1_000_003 + rows);

    /// <summary>The buckets whose fingerprint differs between two reads; none when there is no earlier read.</summary>
    public static int[] Moved(long[]? before, long[] now)
    {
        if (before is null) return [];
        var moved = new List<int>();
        for (var b = 0; b < now.Length; b++)
            if (before[b] != now[b]) moved.Add(b);
        return [.. moved];
    }
}

/// <summary>
/// What changed in the shop since a <see cref="ShopChangeCursor"/>: the buyers whose orders,
/// cart or wishlist changed, and every current interaction of those buyers (counted orders,
/// cart, wishlist), so a buyer's state can be replaced whole. A listed buyer with no rows has none.
/// </summary>
/// <param name="ReadAt">The database's clock when the read's snapshot was taken (UTC).</param>
/// <param name="RowsRead">Rows the reads returned, fingerprints included: what one poll costs the wire.</param>
public sealed record ShopChanges(
    DateTime ReadAt,
    long[] CartBuckets,
    long[] WishlistBuckets,
    IReadOnlyCollection<string> Buyers,
    IReadOnlyList<ShopInteraction> Interactions,
    int RowsRead)
{
    /// <summary>The cursor for the next read: from <see cref="ReadAt"/> less an overlap, so rows committed late with an earlier time are still seen.</summary>
    public ShopChangeCursor Next(TimeSpan overlap) => new(ReadAt - overlap, CartBuckets, WishlistBuckets);
}
