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
/// <param name="Members">The buyers whose cart or wishlist was in each bucket at the previous read.</param>
public sealed record ShopChangeCursor(DateTime Since, long[]? CartBuckets = null, long[]? WishlistBuckets = null, BucketMembers? Members = null)
{
    public const int Buckets = 1024;

    /// <summary>One number per bucket from its row count and its sum of 32-bit row hashes.</summary>
    public static long Fingerprint(long rows, long hashSum) => unchecked(hashSum * 1_000_003 + rows);

    /// <summary>The buckets whose fingerprint differs between two reads; all of them when there is no earlier read.</summary>
    public static int[] Moved(long[]? before, long[] now)
    {
        if (before is null) return [.. Enumerable.Range(0, Buckets)];
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
    int RowsRead,
    BucketMembers? Members = null)
{
    /// <summary>The cursor for the next read: from <see cref="ReadAt"/> less an overlap, so rows committed late with an earlier time are still seen.</summary>
    public ShopChangeCursor Next(TimeSpan overlap) => new(ReadAt - overlap, CartBuckets, WishlistBuckets, Members);
}

/// <summary>
/// Which buyers' carts and wishlists hash to each bucket. A deleted "Cart" or "Wishlist" row
/// takes its buyer id with it, so the buyers of a bucket that moved are its members before the
/// change as well as after: that is how a buyer whose whole cart was deleted is still found.
/// Immutable: each read makes a new one from the buckets that moved.
/// </summary>
public sealed class BucketMembers
{
    private readonly string[][] _carts;
    private readonly string[][] _wishlists;

    private BucketMembers(string[][] carts, string[][] wishlists)
    {
        _carts = carts;
        _wishlists = wishlists;
    }

    public static BucketMembers Empty { get; } = new(Fresh(), Fresh());

    /// <summary>
    /// The members after a read that re-listed the moved buckets (<paramref name="current"/>:
    /// kind 0 cart, 1 wishlist). Every buyer in a moved bucket, before or after, is added to
    /// <paramref name="changed"/> unless <paramref name="countAsChanged"/> is false (the first read).
    /// </summary>
    public BucketMembers Update(int[] movedCarts, int[] movedWishlists, IEnumerable<(int Kind, int Bucket, string Buyer)> current,
        ISet<string> changed, bool countAsChanged)
    {
        var carts = (string[][])_carts.Clone();
        var wishlists = (string[][])_wishlists.Clone();
        var listed = current.ToLookup(m => (m.Kind, m.Bucket), m => m.Buyer);
        Replace(carts, movedCarts, 0);
        Replace(wishlists, movedWishlists, 1);
        return new BucketMembers(carts, wishlists);

        void Replace(string[][] members, int[] moved, int kind)
        {
            foreach (var bucket in moved)
            {
                var now = listed[(kind, bucket)].ToArray();
                if (countAsChanged)
                {
                    changed.UnionWith(members[bucket]);
                    changed.UnionWith(now);
                }
                members[bucket] = now;
            }
        }
    }

    private static string[][] Fresh() => Enumerable.Range(0, ShopChangeCursor.Buckets).Select(_ => Array.Empty<string>()).ToArray();
}
