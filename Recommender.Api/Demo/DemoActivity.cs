namespace Recommender.Api.Demo;

/// <summary>The interaction tables the buyers' activity is written to, one prepared insert each.</summary>
internal sealed record DemoActivityTables(
    DemoTableWriter Orders, DemoTableWriter OrderItems,
    DemoTableWriter Carts, DemoTableWriter CartItems,
    DemoTableWriter Wishlists, DemoTableWriter WishlistItems);

/// <summary>
/// Writes what the demo buyers did. Each buyer has one to three favourite categories and draws
/// most products from them, by popularity inside the category (Zipf), so that the matrix has
/// the structure a recommender should find: taste clusters plus a popular head and a long tail.
/// </summary>
internal sealed class DemoActivity
{
    /// <summary>How long the shop's activity spans, ending at the shop's "until".</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(180);

    private static readonly double[] ItemsPerOrder = DemoRandom.Cumulative([0.5, 0.28, 0.14, 0.08]);

    private readonly Random _random;
    private readonly DemoProduct[] _products;
    private readonly DateTime _until;
    private readonly double[] _categoryShares;
    private readonly int[][] _members;
    private readonly double[][] _popularity;

    public DemoActivity(Random random, DemoProduct[] products, DateTime until)
    {
        _random = random;
        _products = products;
        _until = until;
        var categories = DemoCatalogue.Categories;
        _categoryShares = DemoRandom.Cumulative(categories.Select(c => c.Share));
        _members = Enumerable.Range(0, categories.Length)
            .Select(c => Enumerable.Range(0, _products.Length).Where(p => _products[p].Category == c).ToArray()).ToArray();
        _popularity = _members.Select(m => DemoRandom.Cumulative(m.Select(p => _products[p].Popularity))).ToArray();
    }

    public void Write(int buyers, DemoActivityTables tables, CancellationToken cancellationToken)
    {
        var width = Math.Max(4, buyers.ToString().Length);
        var orderNumber = 0;
        for (var b = 0; b < buyers; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var number = (b + 1).ToString($"D{width}");
            var taste = b < DemoShop.ShowcaseBuyers.Count ? ShowcaseTaste(DemoShop.ShowcaseBuyers[b]) : RandomTaste();
            var ordered = new HashSet<int>();

            var orders = b < DemoShop.ShowcaseBuyers.Count ? 6 : _random.Poisson(1.6 * taste.Activity);
            var orderTimes = Enumerable.Range(0, orders).Select(_ => _random.Recent(_until, Window)).Order().ToArray();
            foreach (var placedAt in orderTimes)
                WriteOrder(tables, $"order-{++orderNumber:D5}", $"buyer-{number}", placedAt, taste, ordered);

            if (b < DemoShop.ShowcaseBuyers.Count || _random.Chance(0.6))
                WriteCart(tables, number, taste, Math.Min(10, 1 + _random.Poisson(1.5 * taste.Activity)), ordered);
            if (b < DemoShop.ShowcaseBuyers.Count || _random.Chance(0.5))
                WriteWishlist(tables, number, taste, Math.Min(25, 1 + _random.Poisson(3 * taste.Activity)));
        }
    }

    private void WriteOrder(DemoActivityTables tables, string orderId, string buyerId, DateTime placedAt, Taste taste, HashSet<int> ordered)
    {
        var age = _until - placedAt;
        var status = _random.Chance(0.07) ? "CANCELLED"
            : age < TimeSpan.FromDays(2) ? "PENDING"
            : age < TimeSpan.FromDays(5) ? "CONFIRMED"
            : age < TimeSpan.FromDays(12) ? "SHIPPED"
            : "DELIVERED";
        var updatedAt = _random.Between(placedAt, Min(_until, placedAt.AddDays(10)));
        var inOrder = new HashSet<int>();
        var count = 1 + _random.PickWeighted(ItemsPerOrder);
        for (var i = 0; i < count; i++)
        {
            var p = PickProduct(taste, placedAt, inOrder, product => product.Listed);
            if (p < 0) continue;
            if (inOrder.Count == 1)
                tables.Orders.Insert(orderId, buyerId, status, DemoRandom.Iso(placedAt), DemoRandom.Iso(updatedAt));
            ordered.Add(p);
            var quantity = _random.NextDouble() switch { < 0.85 => 1, < 0.97 => 2, _ => 3 };
            tables.OrderItems.Insert($"{orderId}-item-{inOrder.Count}", orderId, _products[p].Id, quantity, _products[p].SalePrice, DemoRandom.Iso(placedAt));
        }
    }

    private void WriteCart(DemoActivityTables tables, string number, Taste taste, int count, HashSet<int> ordered)
    {
        // A cart holds what the buyer means to buy next: recent, for sale now, not bought already.
        var times = Enumerable.Range(0, count).Select(_ => _random.Recent(_until, TimeSpan.FromDays(30))).Order().ToArray();
        var cartId = $"cart-{number}";
        var inCart = new HashSet<int>(ordered);
        var written = 0;
        foreach (var addedAt in times)
        {
            var p = PickProduct(taste, addedAt, inCart, product => product.Sellable);
            if (p < 0) continue;
            if (written++ == 0)
                tables.Carts.Insert(cartId, $"buyer-{number}", DemoRandom.Iso(addedAt), DemoRandom.Iso(times[^1]));
            var changedAt = _random.Chance(0.2) ? _random.Between(addedAt, times[^1]) : addedAt;
            tables.CartItems.Insert($"{cartId}-item-{written}", cartId, _products[p].Id, _random.Chance(0.85) ? 1 : 2,
                DemoRandom.Iso(addedAt), DemoRandom.Iso(changedAt));
        }
    }

    private void WriteWishlist(DemoActivityTables tables, string number, Taste taste, int count)
    {
        var times = Enumerable.Range(0, count).Select(_ => _random.Recent(_until, Window)).Order().ToArray();
        var wishlistId = $"wishlist-{number}";
        var inWishlist = new HashSet<int>();
        foreach (var addedAt in times)
        {
            // Out-of-stock _products may be wished for; only drafts are invisible.
            var p = PickProduct(taste, addedAt, inWishlist, product => product.Listed);
            if (p < 0) continue;
            if (inWishlist.Count == 1)
                tables.Wishlists.Insert(wishlistId, $"buyer-{number}", DemoRandom.Iso(addedAt), DemoRandom.Iso(times[^1]));
            tables.WishlistItems.Insert($"{wishlistId}-item-{inWishlist.Count}", wishlistId, _products[p].Id, DemoRandom.Iso(addedAt));
        }
    }

    /// <summary>
    /// A product the buyer would pick at <paramref name="at"/>: from a favourite category with the
    /// taste's loyalty, else from anywhere; by popularity; one that existed then and is not in
    /// <paramref name="taken"/> (which it joins). −1 when several tries find none.
    /// </summary>
    private int PickProduct(Taste taste, DateTime at, HashSet<int> taken, Func<DemoProduct, bool> allowed)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            var category = _random.Chance(taste.Loyalty)
                ? taste.Favourites[_random.PickWeighted(taste.FavouriteWeights)]
                : _random.PickWeighted(_categoryShares);
            if (_members[category].Length == 0)
                continue;
            var p = _members[category][_random.PickWeighted(_popularity[category])];
            if (_products[p].CreatedAt <= at && allowed(_products[p]) && taken.Add(p))
                return p;
        }
        return -1;
    }

    private Taste RandomTaste()
    {
        var count = _random.NextDouble() switch { < 0.45 => 1, < 0.85 => 2, _ => 3 };
        var favourites = new List<int>();
        while (favourites.Count < count)
        {
            var c = _random.PickWeighted(_categoryShares);
            if (!favourites.Contains(c)) favourites.Add(c);
        }
        var activity = Math.Exp(0.7 * DemoProducts.Gaussian(_random));
        return new Taste([.. favourites], Loyalty: 0.75 + 0.2 * _random.NextDouble(), activity);
    }

    private static Taste ShowcaseTaste(DemoBuyer buyer) =>
        new([.. buyer.CategoryIds.Select(DemoCatalogue.IndexOf)], Loyalty: 1.0, Activity: 1.5);

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <param name="Loyalty">The share of picks drawn from the favourite categories.</param>
    /// <param name="Activity">Scales how much the buyer orders, carts and wishes; log-normal.</param>
    private sealed record Taste(int[] Favourites, double Loyalty, double Activity)
    {
        /// <summary>The first favourite weighs most: 1, 0.6, 0.4.</summary>
        public double[] FavouriteWeights { get; } = DemoRandom.Cumulative(new[] { 1.0, 0.6, 0.4 }.Take(Favourites.Length));
    }
}
