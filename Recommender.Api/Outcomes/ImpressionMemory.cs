using System.Runtime.InteropServices;
using Recommender.Api.Serving;
using Recommender.Training.Data;

namespace Recommender.Api.Outcomes;

/// <summary>An outcome credited to a shown product: the list, source and variant that showed it.</summary>
public readonly record struct AttributedOutcome(string List, string Source, string Variant, InteractionKind Outcome, double Revenue);

/// <summary>
/// The products recently returned to each buyer, in memory only (the request path writes no
/// database): per product shown, 12 bytes (product, time in seconds, list, source, variant, which
/// outcomes it already earned). At most <see cref="AttributionOptions.MaxPerBuyer"/> per buyer
/// (their oldest go first) and <see cref="AttributionOptions.MaxImpressions"/> in all (the buyers
/// served longest ago go first, whole). One lock: a request holds it for the few appends of one
/// list, the change reader for the look-ups of one batch.
/// <para>
/// It also keeps the day's tallies per variant that <see cref="Experiments.ExperimentStatistics"/>
/// reads: the unit is a buyer-day (a buyer exposed to a variant on a UTC day), with its impressions
/// and attributed revenue, and whether it converted (an attributed order), summed with the squares
/// and cross products a ratio's variance needs. Tallies are handed to the roll-up and reset
/// (<see cref="TakeTallies"/>), so what is held is bounded by days × variants.
/// </para>
/// </summary>
public sealed class ImpressionMemory
{
    /// <summary>Times are kept as seconds since this, in an int: good until 2088.</summary>
    private static readonly DateTime Epoch = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly string[] Lists = ["recommendations", "similar", "trending"];
    public static readonly string[] Sources = [ListSource.Personalized, ListSource.Similar, ListSource.Trending, ListSource.Popular, ListSource.Newest, "other"];

    private readonly Lock _lock = new();
    private readonly int _maxPerBuyer;
    private readonly int _maxImpressions;
    private readonly int _windowSeconds;
    // Keyed by a 64-bit stable hash of the buyer id, not the id: the request's string is not kept
    // alive (~70 bytes a buyer). Two ids colliding (about 1 in 10^7 with a million buyers held)
    // would share one buyer's showings.
    private readonly Dictionary<ulong, Buyer> _buyers = [];
    private readonly Dictionary<string, int> _productIndex = new(StringComparer.Ordinal);
    private readonly List<string> _products = [];
    private readonly List<string> _variants = [];
    private Dictionary<(int Day, string Variant), DayTally> _tallies = [];
    private Buyer? _newest;
    private Buyer? _oldest;
    private long _impressions;

    public ImpressionMemory(AttributionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxPerBuyer = options.MaxPerBuyer;
        _maxImpressions = options.MaxImpressions;
        _windowSeconds = (int)Math.Ceiling(options.Window.TotalSeconds);
    }

    /// <summary>Products remembered now, over every buyer.</summary>
    public long Impressions { get { lock (_lock) return _impressions; } }

    /// <summary>Buyers remembered now.</summary>
    public int Buyers { get { lock (_lock) return _buyers.Count; } }

    /// <summary>
    /// Remembers a list returned to <paramref name="buyerId"/>: each product with the source that
    /// picked it. <paramref name="sources"/> holds one source per product, in order.
    /// </summary>
    public void Remember(string buyerId, string list, string variant, IReadOnlyList<string> productIds, IReadOnlyList<string> sources, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(buyerId);
        ArgumentNullException.ThrowIfNull(productIds);
        ArgumentNullException.ThrowIfNull(sources);
        var shownAt = SecondsOf(now.UtcDateTime);
        var listIndex = (byte)Math.Max(0, Array.IndexOf(Lists, list));
        lock (_lock)
        {
            var variantIndex = Intern(variant);
            var key = StableHash.Of(buyerId);
            if (!_buyers.TryGetValue(key, out var buyer))
            {
                // Sized for the first list: most buyers are shown one or two.
                buyer = new Buyer(key, Math.Clamp(productIds.Count, 1, _maxPerBuyer));
                _buyers.Add(key, buyer);
            }
            else
            {
                Unlink(buyer);
            }
            LinkNewest(buyer);

            for (var n = 0; n < productIds.Count; n++)
            {
                if (!_productIndex.TryGetValue(productIds[n], out var product))
                {
                    product = _products.Count;
                    _products.Add(productIds[n]);
                    _productIndex.Add(productIds[n], product);
                }
                if (buyer.Append(new Impression(product, shownAt, listIndex, SourceIndex(sources[n]), variantIndex), _maxPerBuyer))
                    _impressions++;
            }
            TallyImpression(buyer, shownAt / 86_400, variantIndex, productIds.Count);

            while (_impressions > _maxImpressions && _oldest is { } oldest && oldest != buyer)
                Forget(oldest);
        }
    }

    /// <summary>
    /// Credits the changed buyers' current interactions to what was shown to them: an interaction
    /// for a product shown to the same buyer at most the window before it (on the shop's
    /// <c>createdAt</c>) counts once, for the latest such showing, and never again for that showing
    /// or an earlier one (a buyer's rows are all re-read at every change of theirs). Orders come
    /// with their revenue; the change reads return only orders in counted statuses, so a cancelled
    /// order is never seen.
    /// </summary>
    public List<AttributedOutcome> Attribute(IEnumerable<ShopInteraction> interactions)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        var credited = new List<AttributedOutcome>();
        lock (_lock)
        {
            if (_buyers.Count == 0) return credited;
            foreach (var interaction in interactions)
            {
                if (!_buyers.TryGetValue(StableHash.Of(interaction.BuyerId), out var buyer) ||
                    !_productIndex.TryGetValue(interaction.ProductId, out var product))
                    continue;
                var at = SecondsOf(interaction.CreatedAt);
                var flag = (byte)(1 << (int)interaction.Kind);
                if (buyer.Credit(product, at, _windowSeconds, flag) is not { } shown) continue;
                var variant = _variants[shown.Variant];
                credited.Add(new AttributedOutcome(Lists[shown.List], Sources[shown.Source], variant, interaction.Kind,
                    interaction.Kind == InteractionKind.Order ? interaction.Revenue : 0));
                TallyOutcome(buyer, shown.ShownAt / 86_400, shown.Variant, interaction.Kind, interaction.Kind == InteractionKind.Order ? interaction.Revenue : 0);
            }
        }
        return credited;
    }

    /// <summary>The tallies since the last call, by UTC day and variant, and starts new ones: what the roll-up adds.</summary>
    public IReadOnlyDictionary<(int Day, string Variant), DayTally> TakeTallies()
    {
        lock (_lock)
        {
            var taken = _tallies;
            _tallies = [];
            return taken;
        }
    }

    /// <summary>The tallies not yet taken, copied.</summary>
    public IReadOnlyDictionary<(int Day, string Variant), DayTally> PeekTallies()
    {
        lock (_lock)
            return _tallies.ToDictionary(t => t.Key, t => t.Value.Copy());
    }

    /// <summary>Puts back tallies a failed roll-up could not store, so they are added next time.</summary>
    public void Restore(IReadOnlyDictionary<(int Day, string Variant), DayTally> tallies)
    {
        ArgumentNullException.ThrowIfNull(tallies);
        lock (_lock)
            foreach (var (key, tally) in tallies)
                TallyFor(key.Day, key.Variant).Add(tally);
    }

    /// <summary>The UTC day number (days since 1970-01-01) of a time.</summary>
    public static int DayOf(DateTimeOffset time) => (int)(time.ToUnixTimeSeconds() / 86_400);

    private void TallyImpression(Buyer buyer, int shownDay, byte variant, int products)
    {
        var day = shownDay + EpochDay;
        ref var unit = ref buyer.UnitFor(day, variant, out var isNew);
        var tally = TallyFor(day, _variants[variant]);
        if (isNew) tally.Units++;
        tally.Impressions++;
        tally.ProductsShown += products;
        // (x + 1)² − x² and (x + 1)·y − x·y, kept as sums over units.
        tally.SumImpressionsSquared += 2L * unit.Impressions + 1;
        tally.SumImpressionsRevenue += unit.Revenue;
        unit.Impressions++;
    }

    private void TallyOutcome(Buyer buyer, int shownDay, byte variant, InteractionKind kind, double revenue)
    {
        var day = shownDay + EpochDay;
        ref var unit = ref buyer.UnitFor(day, variant, out var isNew);
        var tally = TallyFor(day, _variants[variant]);
        // The unit's own impressions were tallied when they were shown; one forgotten since is a new unit without them.
        if (isNew) tally.Units++;
        switch (kind)
        {
            case InteractionKind.Cart: tally.Carts++; return;
            case InteractionKind.Wishlist: tally.Wishlists++; return;
        }
        tally.Orders++;
        if (!unit.Converted)
        {
            unit.Converted = true;
            tally.ConvertedUnits++;
        }
        tally.Revenue += revenue;
        tally.SumRevenueSquared += 2 * unit.Revenue * revenue + revenue * revenue;
        tally.SumImpressionsRevenue += unit.Impressions * revenue;
        unit.Revenue += revenue;
    }

    private static readonly int EpochDay = (int)((Epoch - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerDay);

    private DayTally TallyFor(int day, string variant)
    {
        if (!_tallies.TryGetValue((day, variant), out var tally))
            _tallies[(day, variant)] = tally = new DayTally();
        return tally;
    }

    private byte Intern(string variant)
    {
        var index = _variants.IndexOf(variant);
        if (index >= 0) return (byte)index;
        if (_variants.Count == byte.MaxValue) throw new InvalidOperationException("More than 255 variants in one process.");
        _variants.Add(variant);
        return (byte)(_variants.Count - 1);
    }

    private static byte SourceIndex(string source) => source switch
    {
        ListSource.Personalized => 0,
        ListSource.Similar => 1,
        ListSource.Trending => 2,
        ListSource.Popular => 3,
        ListSource.Newest => 4,
        _ => 5,
    };

    private static int SecondsOf(DateTime utc) =>
        (int)Math.Clamp((utc - Epoch).Ticks / TimeSpan.TicksPerSecond, 0, int.MaxValue);

    private void Forget(Buyer buyer)
    {
        Unlink(buyer);
        _buyers.Remove(buyer.Key);
        _impressions -= buyer.Count;
    }

    private void LinkNewest(Buyer buyer)
    {
        buyer.Older = _newest;
        buyer.Newer = null;
        if (_newest is not null) _newest.Newer = buyer;
        _newest = buyer;
        _oldest ??= buyer;
    }

    private void Unlink(Buyer buyer)
    {
        if (buyer.Newer is not null) buyer.Newer.Older = buyer.Older;
        else _newest = buyer.Older;
        if (buyer.Older is not null) buyer.Older.Newer = buyer.Newer;
        else _oldest = buyer.Newer;
        buyer.Newer = buyer.Older = null;
    }

    /// <summary>One product shown: 12 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Impression(int product, int shownAt, byte list, byte source, byte variant)
    {
        public readonly int Product = product;
        public readonly int ShownAt = shownAt;
        public readonly byte List = list;
        public readonly byte Source = source;
        public readonly byte Variant = variant;
        /// <summary>Bit 1 &lt;&lt; <see cref="InteractionKind"/> per outcome already credited to this showing.</summary>
        public byte Credited;
    }

    /// <summary>A buyer-day in a variant: the unit of the experiment's statistics.</summary>
    private struct Unit
    {
        public int Day;
        public byte Variant;
        public bool Converted;
        public int Impressions;
        public double Revenue;
    }

    /// <summary>One buyer: a ring of their latest showings, oldest first from <see cref="_head"/>, and a place in the recency list.</summary>
    private sealed class Buyer(ulong key, int capacity)
    {
        private Impression[] _items = new Impression[capacity];
        private int _head;
        // The latest unit is kept inline (most buyers have one), earlier days of the window in an array.
        private Unit _latest;
        private Unit[]? _earlier;

        public ulong Key { get; } = key;
        public int Count { get; private set; }
        public Buyer? Newer { get; set; }
        public Buyer? Older { get; set; }

        /// <summary>Adds a showing, dropping the oldest at the cap; true when the count grew.</summary>
        public bool Append(Impression impression, int max)
        {
            if (Count == _items.Length && Count < max)
            {
                var grown = new Impression[Math.Min(max, _items.Length * 2)];
                for (var n = 0; n < Count; n++) grown[n] = _items[(_head + n) % _items.Length];
                _items = grown;
                _head = 0;
            }
            if (Count < _items.Length)
            {
                _items[(_head + Count) % _items.Length] = impression;
                Count++;
                return true;
            }
            _items[_head] = impression;
            _head = (_head + 1) % _items.Length;
            return false;
        }

        /// <summary>
        /// The latest showing of <paramref name="product"/> at most <paramref name="window"/> seconds
        /// before <paramref name="at"/>, marked with <paramref name="flag"/> with every earlier one in
        /// the window; null when there is none or the latest already earned this outcome.
        /// </summary>
        public Impression? Credit(int product, int at, int window, byte flag)
        {
            var latest = -1;
            for (var n = Count - 1; n >= 0; n--)
            {
                ref var shown = ref _items[(_head + n) % _items.Length];
                if (shown.Product != product || shown.ShownAt > at || at - shown.ShownAt > window) continue;
                latest = n;
                break;
            }
            if (latest < 0) return null;
            var credited = _items[(_head + latest) % _items.Length];
            if ((credited.Credited & flag) != 0) return null;
            for (var n = latest; n >= 0; n--)
            {
                ref var shown = ref _items[(_head + n) % _items.Length];
                if (shown.Product == product && at - shown.ShownAt <= window) shown.Credited |= flag;
            }
            return credited;
        }

        /// <summary>
        /// The buyer's unit for a day and variant, made when missing. The latest and three before it
        /// are kept: an outcome is credited to the day its showing was, within the window.
        /// </summary>
        public ref Unit UnitFor(int day, byte variant, out bool isNew)
        {
            isNew = false;
            if (_latest.Day == day && _latest.Variant == variant && _latest.Day != 0) return ref _latest;
            if (_earlier is not null)
                for (var n = 0; n < _earlier.Length; n++)
                    if (_earlier[n].Day == day && _earlier[n].Variant == variant)
                        return ref _earlier[n];
            isNew = true;
            if (_latest.Day != 0)
                _earlier = [.. (_earlier ?? []).TakeLast(2), _latest];
            _latest = new Unit { Day = day, Variant = variant };
            return ref _latest;
        }
    }
}

/// <summary>
/// One UTC day of one variant: buyer-days exposed (units) and converted, lists served (impressions),
/// products shown, outcomes credited, revenue, and over units the sums of impressions², revenue²
/// and impressions×revenue, so revenue per impression gets a variance. Every field adds up over
/// replicas and over the roll-up's increments.
/// </summary>
public sealed class DayTally
{
    public long Units { get; set; }
    public long ConvertedUnits { get; set; }
    public long Impressions { get; set; }
    public long ProductsShown { get; set; }
    public long Orders { get; set; }
    public long Carts { get; set; }
    public long Wishlists { get; set; }
    public double Revenue { get; set; }
    public double SumImpressionsSquared { get; set; }
    public double SumRevenueSquared { get; set; }
    public double SumImpressionsRevenue { get; set; }

    public void Add(DayTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Units += other.Units;
        ConvertedUnits += other.ConvertedUnits;
        Impressions += other.Impressions;
        ProductsShown += other.ProductsShown;
        Orders += other.Orders;
        Carts += other.Carts;
        Wishlists += other.Wishlists;
        Revenue += other.Revenue;
        SumImpressionsSquared += other.SumImpressionsSquared;
        SumRevenueSquared += other.SumRevenueSquared;
        SumImpressionsRevenue += other.SumImpressionsRevenue;
    }

    public DayTally Copy()
    {
        var copy = new DayTally();
        copy.Add(this);
        return copy;
    }
}
