using Recommender.Training.Data;

namespace Recommender.Api.RealTime.Replication;

/// <summary>The six tables whose rows name a buyer, directly or through their parent.</summary>
public enum ShopTable
{
    Order,
    OrderItem,
    Cart,
    CartItem,
    Wishlist,
    WishlistItem,
}

/// <summary>
/// Which buyer each order, order item, cart, cart item, wishlist and wishlist item belongs to.
/// A deleted row reaches logical replication as its primary key alone (unless the table has
/// REPLICA IDENTITY FULL), so this is how a deletion finds its buyer. Compact: a row is a 64-bit
/// hash of its table and id (not the id string) and a 32-bit index into the distinct buyers, so
/// a million rows take tens of megabytes. Two ids would need equal 64-bit hashes to be confused
/// (about one chance in 10^7 at 2 M rows), and then only a deletion would re-read the wrong
/// buyer until the next model swap re-reads the held ones. Used by one thread.
/// </summary>
public sealed class ShopKeyMap
{
    private readonly Dictionary<ulong, int> _rows = [];
    private readonly Dictionary<string, int> _buyerIndex = new(StringComparer.Ordinal);
    private readonly List<string> _buyers = [];

    public int Rows => _rows.Count;

    public int Buyers => _buyers.Count;

    /// <summary>Roughly what the map holds in memory: the rows' entries and the buyer ids.</summary>
    public long EstimatedBytes =>
        // Dictionary<ulong, int>: a 24-byte entry and a 4-byte bucket per row (capacity ≈ count).
        28L * _rows.Count
        // Each buyer id once: the string (22 bytes + 2 a char, ~25 chars) and its index entry.
        + _buyers.Sum(b => 22L + 2 * b.Length + 8 + 24 + 4);

    public void Remember(ShopTable table, string id, string buyer) => _rows[Key(table, id)] = IndexOf(buyer);

    /// <summary>The buyer of a row the map holds, or null.</summary>
    public string? BuyerOf(ShopTable table, string id) => _rows.TryGetValue(Key(table, id), out var buyer) ? _buyers[buyer] : null;

    /// <summary>Forgets a deleted row; returns its buyer, or null when the map did not hold it.</summary>
    public string? Forget(ShopTable table, string id) => _rows.Remove(Key(table, id), out var buyer) ? _buyers[buyer] : null;

    private int IndexOf(string buyer)
    {
        if (_buyerIndex.TryGetValue(buyer, out var index)) return index;
        index = _buyers.Count;
        _buyers.Add(buyer);
        _buyerIndex[buyer] = index;
        return index;
    }

    private static ulong Key(ShopTable table, string id) => StableHash.Mix(StableHash.Of(id) + (ulong)table);
}
