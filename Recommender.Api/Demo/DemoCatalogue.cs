namespace Recommender.Api.Demo;

/// <summary>
/// One category of the demo shop and the words its product names and details are made of:
/// a name is "adjective material noun", e.g. "Hand-thrown Stoneware Vase".
/// </summary>
/// <param name="Share">How much of the catalogue (and of buyers' attention) the category gets, relative to the others.</param>
/// <param name="MinPrice">Cheapest price, in rupees; prices are spread log-uniformly up to <paramref name="MaxPrice"/>.</param>
/// <param name="IsApparel">Whether products carry fabric type and weight (and fit, for garments).</param>
/// <param name="IsArtwork">Whether products carry rarity and, sometimes, a gallery certificate.</param>
internal sealed record DemoCategory(
    string Id,
    string Name,
    double Share,
    double MinPrice,
    double MaxPrice,
    string[] Adjectives,
    string[] Materials,
    string[] Nouns,
    string[] Techniques,
    bool IsApparel = false,
    bool IsArtwork = false,
    string[]? FitTypes = null);

/// <summary>The fixed vocabulary of the demo shop: twelve crafts and fashion categories.</summary>
internal static class DemoCatalogue
{
    public static readonly DemoCategory[] Categories =
    [
        new("cat-pottery", "Pottery", 1.3, 350, 4500,
            ["Hand-thrown", "Speckled", "Rustic", "Matte", "Glazed", "Ash-fired"],
            ["Stoneware", "Terracotta", "Porcelain", "Earthenware"],
            ["Mug", "Bowl", "Vase", "Planter", "Teapot", "Serving Platter", "Pitcher"],
            ["Wheel-throwing", "Raku firing", "Slip trailing", "Sgraffito"]),
        new("cat-handwoven-textiles", "Handwoven Textiles", 1.0, 600, 9000,
            ["Handloom", "Ikat", "Striped", "Textured", "Natural-dyed", "Jacquard"],
            ["Cotton", "Jute", "Wool", "Khadi"],
            ["Throw", "Table Runner", "Cushion Cover", "Bedspread", "Rug", "Towel Set"],
            ["Pit-loom weaving", "Ikat dyeing", "Natural dyeing", "Jamdani"],
            IsApparel: true),
        new("cat-jewelry", "Jewelry", 1.2, 450, 25000,
            ["Filigree", "Oxidised", "Hammered", "Beaded", "Temple", "Enamelled"],
            ["Silver", "Brass", "Copper", "Gold-plated"],
            ["Jhumka Earrings", "Choker", "Bangle", "Ring", "Pendant", "Anklet", "Nose Pin"],
            ["Filigree", "Kundan setting", "Meenakari", "Repoussé"],
            IsArtwork: true),
        new("cat-leather-goods", "Leather Goods", 0.8, 700, 12000,
            ["Hand-stitched", "Embossed", "Vegetable-tanned", "Distressed", "Tooled"],
            ["Full-grain Leather", "Buffalo Leather", "Suede", "Goat Leather"],
            ["Wallet", "Belt", "Journal Cover", "Card Holder", "Kolhapuri Sandals", "Passport Sleeve"],
            ["Saddle stitching", "Hand tooling", "Edge burnishing"]),
        new("cat-woodwork", "Woodwork", 0.9, 400, 18000,
            ["Hand-carved", "Lacquered", "Inlaid", "Turned", "Live-edge"],
            ["Sheesham", "Teak", "Mango Wood", "Walnut", "Rosewood"],
            ["Serving Board", "Jewelry Box", "Wall Panel", "Stool", "Spice Box", "Bookend Pair"],
            ["Hand carving", "Lathe turning", "Marquetry", "Channapatna lacquer"],
            IsArtwork: true),
        new("cat-paintings", "Paintings", 0.7, 1500, 90000,
            ["Madhubani", "Pattachitra", "Gond", "Warli", "Miniature", "Abstract"],
            ["Canvas", "Handmade Paper", "Silk", "Tussar Cloth"],
            ["Tree of Life", "Village Scene", "Peacock Study", "Krishna Leela", "Fish Pair", "Festival Procession"],
            ["Natural pigments", "Acrylic", "Gouache", "Ink line work"],
            IsArtwork: true),
        new("cat-sarees", "Sarees", 1.4, 1800, 60000,
            ["Banarasi", "Kanjeevaram", "Chanderi", "Bandhani", "Block-printed", "Paithani"],
            ["Silk", "Cotton", "Tussar", "Georgette", "Linen"],
            ["Saree", "Saree with Blouse Piece", "Wedding Saree", "Festive Saree"],
            ["Zari weaving", "Bandhani tie-dye", "Hand-block printing", "Kantha embroidery"],
            IsApparel: true),
        new("cat-kurtas", "Kurtas", 1.3, 700, 7000,
            ["Chikankari", "Block-printed", "Pintucked", "Embroidered", "Mirror-work", "Ajrakh"],
            ["Cotton", "Linen", "Mulmul", "Silk Blend", "Khadi"],
            ["Kurta", "Long Kurta", "Kurta Set", "Short Kurti", "Angrakha"],
            ["Chikankari embroidery", "Ajrakh printing", "Hand-block printing", "Mirror work"],
            IsApparel: true, FitTypes: ["Regular", "Relaxed", "Slim", "A-line"]),
        new("cat-scarves-shawls", "Scarves & Shawls", 0.9, 500, 30000,
            ["Hand-spun", "Kani", "Embroidered", "Tie-dyed", "Reversible", "Fringed"],
            ["Wool", "Pashmina", "Silk", "Cotton", "Modal"],
            ["Shawl", "Stole", "Scarf", "Dupatta", "Muffler"],
            ["Kani weaving", "Sozni embroidery", "Shibori", "Bandhani tie-dye"],
            IsApparel: true),
        new("cat-home-decor", "Home Decor", 1.1, 300, 15000,
            ["Dhokra", "Mirror-work", "Macramé", "Hand-painted", "Bidri", "Papier-mâché"],
            ["Brass", "Bell Metal", "Cotton Rope", "Papier-mâché", "Marble"],
            ["Wall Hanging", "Diya Set", "Figurine", "Lantern", "Wall Mirror", "Decorative Plate"],
            ["Lost-wax casting", "Bidri inlay", "Macramé knotting", "Hand painting"]),
        new("cat-candles", "Candles", 0.8, 250, 2500,
            ["Scented", "Hand-poured", "Layered", "Botanical", "Twisted", "Smokeless"],
            ["Soy Wax", "Beeswax", "Coconut Wax", "Palm Wax"],
            ["Jar Candle", "Pillar Candle", "Tealight Set", "Taper Pair", "Votive Set", "Travel Tin"],
            ["Hand pouring", "Botanical embedding", "Dip making"]),
        new("cat-bags", "Bags", 1.0, 450, 14000,
            ["Embroidered", "Block-printed", "Woven", "Patchwork", "Beaded", "Quilted"],
            ["Canvas", "Jute", "Leather", "Cotton", "Recycled Sari Silk"],
            ["Tote", "Sling Bag", "Clutch", "Potli", "Backpack", "Laptop Sleeve"],
            ["Hand embroidery", "Patchwork", "Hand-block printing", "Beadwork"]),
    ];

    public static readonly string[] Colors =
    [
        "Indigo", "Ivory", "Terracotta Red", "Mustard", "Forest Green", "Charcoal", "Rust",
        "Teal", "Maroon", "Saffron", "Dusty Pink", "Sand", "Black", "Peacock Blue", "Olive",
    ];

    public static readonly string[] FabricWeights = ["Light (80 gsm)", "Medium (150 gsm)", "Heavy (250 gsm)"];

    public static readonly string[] Rarities = ["Common", "Limited Edition", "One of a Kind"];

    /// <summary>First and last names of the makers; a seller is one artisan or a small studio.</summary>
    public static readonly string[] FirstNames =
    [
        "Meera", "Arjun", "Lakshmi", "Ravi", "Fatima", "Kabir", "Ananya", "Imran", "Priya", "Suresh",
        "Nandini", "Vikram", "Zoya", "Harish", "Devika", "Mohan", "Tara", "Anil", "Sunita", "Farhan",
    ];

    public static readonly string[] LastNames =
    [
        "Kumar", "Sharma", "Iyer", "Das", "Khan", "Patel", "Reddy", "Bose", "Nair", "Mehta",
        "Ansari", "Rao", "Singh", "Joshi", "Chatterjee",
    ];

    public static int IndexOf(string categoryId) =>
        Array.FindIndex(Categories, c => c.Id == categoryId) is var i and >= 0
            ? i
            : throw new ArgumentException($"No demo category has the id '{categoryId}'.", nameof(categoryId));
}
