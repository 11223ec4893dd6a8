namespace Recommender.Bench;

internal enum OrderStatus { Delivered, Cancelled }

internal readonly record struct OrderRow(string Id, string BuyerId, OrderStatus Status, DateTime CreatedAt, DateTime UpdatedAt);
internal readonly record struct OrderItemRow(string Id, string OrderId, string ProductId, int Quantity, double Price, DateTime CreatedAt);
internal readonly record struct CartRow(string Id, string BuyerId, DateTime CreatedAt, DateTime UpdatedAt);
internal readonly record struct CartItemRow(string Id, string CartId, string ProductId, int Quantity, DateTime CreatedAt);
internal readonly record struct WishlistRow(string Id, string BuyerId, DateTime CreatedAt, DateTime UpdatedAt);
internal readonly record struct WishlistItemRow(string Id, string WishlistId, string ProductId, DateTime CreatedAt);

/// <summary>
/// Turns each user's chronological item sequence into shop activity, keeping the order of the
/// sequence in the <c>createdAt</c> timestamps:
/// <list type="bullet">
/// <item>the last ~<see cref="CartShare"/> of the sequence is still in the buyer's cart;</item>
/// <item>of the rest, each item is on the wishlist with probability <see cref="WishlistShare"/>,
/// and the others are bought in orders of 1–3 consecutive items, DELIVERED, or CANCELLED with
/// probability <see cref="CancelledShare"/>.</item>
/// </list>
/// A buyer gets a Cart or Wishlist row only when it holds something (one of each at most, as the
/// unique indexes on "buyerId" require). Each user has their own seeded RNG, so a user's shop
/// history does not depend on the other lines of the file.
/// </summary>
internal sealed class ShopPlan
{
    public const double CartShare = 0.10;
    public const double WishlistShare = 0.10;
    public const double CancelledShare = 0.05;

    /// <summary>Users start interacting within two years of this date.</summary>
    public static readonly DateTime FirstInteraction = new(2022, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    public List<OrderRow> Orders { get; } = [];
    public List<OrderItemRow> OrderItems { get; } = [];
    public List<CartRow> Carts { get; } = [];
    public List<CartItemRow> CartItems { get; } = [];
    public List<WishlistRow> Wishlists { get; } = [];
    public List<WishlistItemRow> WishlistItems { get; } = [];

    public static string BuyerId(int user) => $"u{user}";

    public static ShopPlan Build(IEnumerable<AmazonUser> users, IReadOnlyDictionary<string, double> prices, int seed)
    {
        var plan = new ShopPlan();
        foreach (var user in users)
            plan.Add(user, prices, new Random(unchecked(seed * 1_000_003 + user.Id)));
        return plan;
    }

    private void Add(AmazonUser user, IReadOnlyDictionary<string, double> prices, Random rng)
    {
        var buyer = BuyerId(user.Id);
        var items = user.Items;
        var clock = FirstInteraction.AddMinutes(rng.Next(730 * 24 * 60));

        // Expected cart size is CartShare of the sequence: the fraction is rounded up at random.
        var exactCart = items.Length * CartShare;
        var cartCount = (int)exactCart + (rng.NextDouble() < exactCart - (int)exactCart ? 1 : 0);
        cartCount = Math.Min(cartCount, items.Length - 1);

        OrderRow? order = null;
        var leftInOrder = 0;
        var orderNumber = 0;
        WishlistRow? wishlist = null;
        for (var position = 0; position < items.Length - cartCount; position++)
        {
            var product = ProductCatalog.ProductId(items[position]);
            if (rng.NextDouble() < WishlistShare)
            {
                clock = NextSession(clock, rng);
                wishlist ??= new WishlistRow($"w{user.Id}", buyer, clock, clock);
                wishlist = wishlist.Value with { UpdatedAt = clock };
                WishlistItems.Add(new WishlistItemRow($"wi{user.Id}-{position}", wishlist.Value.Id, product, clock));
                leftInOrder = 0;                       // an order never spans a wishlist visit
                continue;
            }

            if (leftInOrder == 0)
            {
                clock = NextSession(clock, rng);
                var status = rng.NextDouble() < CancelledShare ? OrderStatus.Cancelled : OrderStatus.Delivered;
                var closedAfter = status == OrderStatus.Cancelled ? TimeSpan.FromHours(rng.Next(1, 48)) : TimeSpan.FromDays(rng.Next(2, 10));
                order = new OrderRow($"o{user.Id}-{++orderNumber}", buyer, status, clock, clock + closedAfter);
                Orders.Add(order.Value);
                leftInOrder = rng.Next(1, 4);
            }
            else
            {
                clock = clock.AddSeconds(rng.Next(5, 120));  // the next line of the same checkout
            }
            var quantity = rng.Next(10) == 0 ? 2 : 1;
            OrderItems.Add(new OrderItemRow($"oi{user.Id}-{position}", order!.Value.Id, product, quantity, prices[product], clock));
            leftInOrder--;
        }
        if (wishlist is { } w) Wishlists.Add(w);

        if (cartCount == 0) return;
        var cartId = $"c{user.Id}";
        DateTime cartCreated = default;
        for (var position = items.Length - cartCount; position < items.Length; position++)
        {
            clock = NextSession(clock, rng);
            if (cartCreated == default) cartCreated = clock;
            CartItems.Add(new CartItemRow($"ci{user.Id}-{position}", cartId, ProductCatalog.ProductId(items[position]), 1, clock));
        }
        Carts.Add(new CartRow(cartId, buyer, cartCreated, clock));
    }

    /// <summary>The buyer comes back between an hour and a week later; times are whole seconds.</summary>
    private static DateTime NextSession(DateTime clock, Random rng) => clock.AddSeconds(rng.Next(3_600, 7 * 24 * 3_600));
}
