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
/// REPLICA IDENTITY FULL), so this is how a deletion finds its buyer.
/// Compact: a row is a 64-bit hash of its table and id (not the id string) and a 32-bit index
/// into the distinct buyers. The rows loaded at start-up sit in two sorted arrays (12 bytes a
/// row, found by binary search); only rows inserted later go into a dictionary. Two ids would
/// need equal 64-bit hashes to be confused (about one chance in 10^6 at 4 M rows), and then only
/// a deletion would re-read the wrong buyer until the next model swap re-reads the held ones.
/// Used by one thread.
/// </summary>
public sealed class ShopKeyMap
{
    private const int Deleted = -1;

    private ulong[] _loadedKeys = [];
    private int[] _loadedBuyers = [];
    private int _loadedLive;
    private List<(ulong Key, int Buyer)>? _loading = [];
    private readonly Dictionary<ulong, int> _added = [];
    private readonly Dictionary<string, int> _buyerIndex = new(StringComparer.Ordinal);
    private readonly List<string> _buyers = [];

    public int Rows => _loadedLive + (_loading?.Count ?? 0) + _added.Count;

    public int Buyers => _buyers.Count;

    /// <summary>Roughly what the map holds in memory: the rows and the buyer ids.</summary>
    public long EstimatedBytes =>
        12L * _loadedKeys.Length
        // Dictionary<ulong, int>: a 24-byte entry and a 4-byte bucket per slot of its capacity.
        + 28L * _added.EnsureCapacity(0)
        // Each buyer id once: the string (22 bytes + 2 a char), its list slot and its index entry.
        + _buyers.Sum(b => 22L + 2 * b.Length + 8 + 28);

    /// <summary>A row of the start-up load; <see cref="EndLoad"/> once they are all in.</summary>
    public void Load(ShopTable table, string id, string buyer)
    {
        if (_loading is null) throw new InvalidOperationException("The key map was loaded already.");
        _loading.Add((Key(table, id), IndexOf(buyer)));
    }

    /// <summary>Sorts the loaded rows into the compact arrays.</summary>
    public void EndLoad()
    {
        if (_loading is null) return;
        _loading.Sort((a, b) => a.Key.CompareTo(b.Key));
        var keys = new List<ulong>(_loading.Count);
        var buyers = new List<int>(_loading.Count);
        foreach (var (key, buyer) in _loading)
        {
            if (keys.Count > 0 && keys[^1] == key) buyers[^1] = buyer; // a repeated id: the last wins
            else
            {
                keys.Add(key);
                buyers.Add(buyer);
            }
        }
        _loadedKeys = [.. keys];
        _loadedBuyers = [.. buyers];
        _loadedLive = _loadedKeys.Length;
        _loading = null;
        _buyers.TrimExcess();
    }

    public void Remember(ShopTable table, string id, string buyer)
    {
        EndLoad();
        var key = Key(table, id);
        var buyerIndex = IndexOf(buyer);
        var at = Array.BinarySearch(_loadedKeys, key);
        if (at < 0)
        {
            _added[key] = buyerIndex;
            return;
        }
        if (_loadedBuyers[at] == Deleted) _loadedLive++;
        _loadedBuyers[at] = buyerIndex;
    }

    /// <summary>The buyer of a row the map holds, or null.</summary>
    public string? BuyerOf(ShopTable table, string id)
    {
        EndLoad();
        var key = Key(table, id);
        var at = Array.BinarySearch(_loadedKeys, key);
        if (at >= 0) return _loadedBuyers[at] == Deleted ? null : _buyers[_loadedBuyers[at]];
        return _added.TryGetValue(key, out var buyer) ? _buyers[buyer] : null;
    }

    /// <summary>Forgets a deleted row; returns its buyer, or null when the map did not hold it.</summary>
    public string? Forget(ShopTable table, string id)
    {
        EndLoad();
        var key = Key(table, id);
        var at = Array.BinarySearch(_loadedKeys, key);
        if (at >= 0)
        {
            var buyer = _loadedBuyers[at];
            if (buyer == Deleted) return null;
            _loadedBuyers[at] = Deleted;
            _loadedLive--;
            return _buyers[buyer];
        }
        return _added.Remove(key, out var added) ? _buyers[added] : null;
    }

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
