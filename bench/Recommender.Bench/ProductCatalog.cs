using System.Text.Json.Nodes;

namespace Recommender.Bench;

/// <summary>A "Product" row to load. JSON columns are already serialised.</summary>
internal sealed record ShopProduct(
    string Id, string Name, string Description, double Price, double WholesalePrice,
    int AvailableQuantity, string[] Images, double Rating, int ReviewCount, string DimensionsJson,
    string Material, string Color, double Discount, double DeliveryCost, string SellerId,
    string CategoryId, DateTime CreatedAt, string AttributesJson, string Thumbnail);

/// <summary>
/// Invents a plausible product for every item of the dataset. The dataset has ids only, so names,
/// prices and attributes are drawn from small vocabularies with a per-item seeded RNG: the same
/// seed gives the same catalogue whatever order the items are met in. Every product is ACTIVE and
/// IN_STOCK so that the service may recommend any of them.
/// </summary>
internal static class ProductCatalog
{
    public const int SellerCount = 40;

    /// <summary>Products exist before the first interaction (<see cref="ShopPlan.FirstInteraction"/>).</summary>
    private static readonly DateTime FirstListing = new(2021, 6, 1, 0, 0, 0, DateTimeKind.Unspecified);

    private static readonly (string Id, string Name, string[] Nouns)[] Categories =
    [
        ("cat-skin-care", "Skin Care", ["Face Serum", "Night Cream", "Cleansing Gel", "Toner", "Eye Cream"]),
        ("cat-hair-care", "Hair Care", ["Shampoo", "Conditioner", "Hair Oil", "Styling Gel", "Hair Mask"]),
        ("cat-makeup", "Makeup", ["Lipstick", "Mascara", "Foundation", "Eyeliner", "Blush Palette"]),
        ("cat-fragrance", "Fragrance", ["Eau de Parfum", "Body Mist", "Cologne", "Scented Oil"]),
        ("cat-bath-body", "Bath & Body", ["Body Lotion", "Shower Gel", "Bath Salts", "Hand Cream", "Body Scrub"]),
        ("cat-nails", "Nails", ["Nail Polish", "Cuticle Oil", "Nail File Set", "Top Coat"]),
        ("cat-tools", "Tools & Accessories", ["Makeup Brush Set", "Hair Dryer", "Facial Roller", "Tweezers"]),
        ("cat-outdoor", "Outdoor", ["Trail Backpack", "Water Bottle", "Camping Lantern", "Trekking Poles"]),
        ("cat-fitness", "Fitness", ["Yoga Mat", "Resistance Bands", "Jump Rope", "Dumbbell Pair", "Foam Roller"]),
        ("cat-apparel", "Sports Apparel", ["Running Shirt", "Training Shorts", "Compression Socks", "Rain Jacket"]),
    ];

    private static readonly string[] Brands =
        ["Aurora", "Bloom & Co", "Cedar Lane", "Dune", "Ember", "Fjord", "Golden Hour", "Harbor", "Iris", "Juniper",
         "Kestrel", "Lumen", "Meadow", "Nordic Peak", "Opal", "Pine Ridge", "Quartz", "Rosewood", "Sierra", "Tidal"];

    private static readonly string[] Adjectives =
        ["Classic", "Daily", "Gentle", "Hydrating", "Lightweight", "Original", "Pro", "Pure", "Sensitive", "Ultra"];

    private static readonly string[] Colors = ["black", "white", "rose", "navy", "sage", "amber", "clear", "grey"];
    private static readonly string[] Materials = ["glass", "aluminium", "recycled plastic", "cotton", "nylon", "bamboo"];
    private static readonly string[] Sizes = ["30 ml", "50 ml", "100 ml", "250 ml", "S", "M", "L", "one size"];

    /// <param name="interactionCounts">item id → how many users interacted with it (its review count).</param>
    public static List<ShopProduct> Build(IReadOnlyDictionary<int, int> interactionCounts, int seed)
    {
        var products = new List<ShopProduct>(interactionCounts.Count);
        foreach (var (item, count) in interactionCounts.OrderBy(kv => kv.Key))
            products.Add(Invent(item, count, seed));
        return products;
    }

    public static string ProductId(int item) => $"p{item}";

    private static ShopProduct Invent(int item, int interactions, int seed)
    {
        var rng = new Random(unchecked(seed * 7_919 + item * 104_729));
        var category = Categories[rng.Next(Categories.Length)];
        var noun = category.Nouns[rng.Next(category.Nouns.Length)];
        var name = $"{Brands[rng.Next(Brands.Length)]} {Adjectives[rng.Next(Adjectives.Length)]} {noun}";

        // Log-uniform between 4 and 150, ending in .99 like shop prices do.
        var price = Math.Floor(Math.Exp(Math.Log(4) + rng.NextDouble() * (Math.Log(150) - Math.Log(4)))) + 0.99;
        var color = Colors[rng.Next(Colors.Length)];
        var material = Materials[rng.Next(Materials.Length)];
        var images = new[]
        {
            $"https://images.example.com/products/p{item}/1.jpg",
            $"https://images.example.com/products/p{item}/2.jpg",
        };
        var dimensions = new JsonObject
        {
            ["length"] = rng.Next(5, 40), ["width"] = rng.Next(3, 25), ["height"] = rng.Next(2, 20), ["unit"] = "cm",
        };
        var attributes = new JsonObject
        {
            ["Color"] = color, ["Material"] = material, ["Size"] = Sizes[rng.Next(Sizes.Length)], ["Type"] = noun,
        };

        return new ShopProduct(
            Id: ProductId(item),
            Name: name,
            Description: $"{name} in {color} ({category.Name}). Generated from Amazon item {item} for benchmarking.",
            Price: price,
            WholesalePrice: Math.Round(price * 0.6, 2),
            AvailableQuantity: rng.Next(5, 500),
            Images: images,
            Rating: Math.Round(3.0 + rng.NextDouble() * 2.0, 1),
            ReviewCount: interactions,
            DimensionsJson: dimensions.ToJsonString(),
            Material: material,
            Color: color,
            Discount: rng.Next(4) * 5.0,
            DeliveryCost: rng.Next(3) == 0 ? 0.0 : 4.99,
            SellerId: $"seller-{item % SellerCount + 1:D2}",
            CategoryId: category.Id,
            CreatedAt: FirstListing.AddMinutes(rng.Next(180 * 24 * 60)),
            AttributesJson: attributes.ToJsonString(),
            Thumbnail: images[0]);
    }
}
