using System.Text.Json.Nodes;

namespace Recommender.Api.Demo;

/// <summary>What the buyers' activity needs to know of a product once its row is written.</summary>
/// <param name="Popularity">Zipf weight by rank inside the category: 1, 1/2, 1/3, …; 0 for drafts.</param>
/// <param name="Listed">Buyers can see it (not a draft), so it can be ordered or wishlisted.</param>
/// <param name="Sellable">Active and in stock now, so it can sit in a cart.</param>
internal sealed record DemoProduct(string Id, int Category, double Popularity, DateTime CreatedAt, double SalePrice, bool Listed, bool Sellable);

/// <summary>
/// Writes the demo shop's "Product" rows: every column of the Prisma table, filled the way a
/// real crafts marketplace fills it (optional columns null where they don't apply).
/// </summary>
internal static class DemoProducts
{
    private static readonly string[] ApparelSizes = ["XS", "S", "M", "L", "XL", "XXL"];

    /// <summary>The "Product" columns in the order of the PostgreSQL DDL.</summary>
    public static readonly string[] Columns =
    [
        "id", "name", "description", "price", "wholesalePrice", "minOrderQuantity", "availableQuantity",
        "images", "isDraft", "status", "stockStatus", "rating", "reviewCount", "dimensions", "material",
        "artistName", "certifications", "rarity", "label", "techniques", "color", "fabricType",
        "fabricWeight", "fitType", "discount", "deliveryCost", "certificateIssueDate",
        "galleryCertificateName", "sellerId", "categoryId", "pickupAddressId", "createdAt", "updatedAt",
        "attributes", "thumbnail", "documents",
    ];

    private static readonly string[] GiTagged =
        ["Banarasi", "Kanjeevaram", "Chanderi", "Paithani", "Pashmina", "Kani", "Madhubani", "Pattachitra", "Bidri", "Dhokra"];

    private static readonly string[] Galleries =
        ["Kala Bhavan Gallery", "Crafts Council Registry", "Dastkar Collective", "Lalit Kala Archive"];

    public static DemoProduct[] Write(Random random, DemoShopOptions options, DemoSeller[] sellers, DateTime until, DemoTableWriter table)
    {
        var categories = DemoCatalogue.Categories;
        var shares = DemoRandom.Cumulative(categories.Select(c => c.Share));
        // Every category gets one product first, then the rest follow the categories' shares.
        var categoryOf = Enumerable.Range(0, options.Products)
            .Select(p => p < categories.Length ? p : random.PickWeighted(shares)).ToArray();
        var rank = RankWithinCategories(random, categoryOf, categories.Length);
        var names = categories.Select(c => NameParts(random, c)).ToArray();
        var namesUsed = new int[categories.Length];
        var sellersOf = Enumerable.Range(0, categories.Length)
            .Select(c => sellers.Where(s => s.Categories.Contains(c)).DefaultIfEmpty(sellers[c % sellers.Length]).ToArray()).ToArray();
        var width = Math.Max(4, options.Products.ToString().Length);

        var products = new DemoProduct[options.Products];
        for (var p = 0; p < options.Products; p++)
        {
            var category = categories[categoryOf[p]];
            var (adjective, material, noun) = names[categoryOf[p]][namesUsed[categoryOf[p]] % names[categoryOf[p]].Length];
            var color = random.Chance(0.95) ? random.Pick(DemoCatalogue.Colors) : null;
            // Past the vocabulary's combinations, a colour keeps names apart.
            var name = namesUsed[categoryOf[p]]++ < names[categoryOf[p]].Length || color is null
                ? $"{adjective} {material} {noun}"
                : $"{color} {adjective} {material} {noun}";
            var id = $"prod-{(p + 1).ToString($"D{width}")}";
            var seller = random.Pick(sellersOf[categoryOf[p]]);

            var statusDraw = random.NextDouble();
            var status = statusDraw < 0.015 ? "DRAFT" : statusDraw < 0.025 ? "INACTIVE" : statusDraw < 0.03 ? "ARCHIVED" : "ACTIVE";
            var stockDraw = random.NextDouble();
            var stockStatus = stockDraw < 0.025 ? "OUT_OF_STOCK" : stockDraw < 0.09 ? "LOW_STOCK" : "IN_STOCK";
            var isDraft = status == "DRAFT";
            var popularity = isDraft ? 0.0 : 1.0 / (rank[p] + 1);

            // Most of the catalogue predates the activity window; some arrive during it, drafts lately.
            var createdAt = isDraft ? random.Between(until.AddDays(-30), until)
                : random.Chance(0.85) ? random.Between(until.AddDays(-540), until.AddDays(-180))
                : random.Between(until.AddDays(-170), until.AddDays(-3));
            var updatedAt = random.Between(createdAt, until);

            var price = Math.Max(99, Math.Round(random.LogUniform(category.MinPrice, category.MaxPrice) / 50) * 50 - 1);
            double discount = random.Chance(0.3) ? random.Pick([5, 10, 15, 20, 25]) : 0;
            var techniques = random.Chance(0.9) ? PickDistinct(random, category.Techniques, random.Next(1, 3)) : null;
            var rarity = category.IsArtwork ? (random.NextDouble() switch { < 0.6 => "Common", < 0.9 => "Limited Edition", _ => "One of a Kind" }) : null;
            var certified = rarity is not null and not "Common" && random.Chance(0.6);
            var certificateDate = certified ? random.Between(createdAt.AddDays(-200), createdAt) : (DateTime?)null;
            var reviewCount = isDraft ? 0 : random.Poisson(1 + 60 * popularity);
            var fabricWeight = category.IsApparel ? random.Pick(DemoCatalogue.FabricWeights) : null;
            var fitType = category.FitTypes is { } fits ? random.Pick(fits) : null;
            var artistName = !category.IsApparel || random.Chance(0.5) ? seller.ArtistName : null;

            var row = new Dictionary<string, object?>
            {
                ["id"] = id,
                ["name"] = name,
                ["description"] = Description(category, name, artistName, techniques),
                ["price"] = price,
                ["wholesalePrice"] = random.Chance(0.35) ? Math.Round(price * 0.6) : 0.0,
                ["minOrderQuantity"] = random.Chance(0.92) ? 1 : random.Next(2, 6),
                ["availableQuantity"] = stockStatus switch { "OUT_OF_STOCK" => 0, "LOW_STOCK" => random.Next(1, 6), _ => random.Next(6, 121) },
                ["images"] = new JsonArray(Enumerable.Range(1, random.Next(1, 5)).Select(i => (JsonNode)$"/images/products/{id}/{i}.jpg").ToArray()).ToJsonString(),
                ["isDraft"] = isDraft,
                ["status"] = status,
                ["stockStatus"] = stockStatus,
                ["rating"] = reviewCount == 0 ? 0.0 : Math.Round(Math.Clamp(4.3 + 0.5 * Gaussian(random), 2.5, 5.0), 1),
                ["reviewCount"] = reviewCount,
                ["dimensions"] = random.Chance(0.85) ? Dimensions(random, category) : null,
                ["material"] = material,
                ["artistName"] = artistName,
                ["certifications"] = Certifications(random, category, adjective, material),
                ["rarity"] = rarity,
                ["label"] = Label(status, rank[p], createdAt, until, discount),
                ["techniques"] = techniques is null ? null : new JsonArray(techniques.Select(t => (JsonNode)t).ToArray()).ToJsonString(),
                ["color"] = color,
                ["fabricType"] = category.IsApparel ? material : null,
                ["fabricWeight"] = fabricWeight,
                ["fitType"] = fitType,
                ["discount"] = discount,
                ["deliveryCost"] = price >= 1999 ? 0.0 : random.Pick([40.0, 60.0, 80.0]),
                ["certificateIssueDate"] = certificateDate is { } date ? DemoRandom.Iso(date) : null,
                ["galleryCertificateName"] = certified ? $"{random.Pick(Galleries)} Certificate of Authenticity" : null,
                ["sellerId"] = seller.Id,
                ["categoryId"] = category.Id,
                ["pickupAddressId"] = seller.PickupAddressId,
                ["createdAt"] = DemoRandom.Iso(createdAt),
                ["updatedAt"] = DemoRandom.Iso(updatedAt),
                ["attributes"] = random.Chance(0.9) ? Attributes(random, category, material, color, techniques, fabricWeight, fitType) : null,
                ["thumbnail"] = random.Chance(0.8) ? $"/images/products/{id}/thumb.jpg" : null,
                ["documents"] = certified ? $$"""[{"name":"Certificate of Authenticity","url":"/documents/products/{{id}}/certificate.pdf"}]""" : null,
            };
            table.Insert(Columns.Select(c => row[c]).ToArray());

            products[p] = new DemoProduct(id, categoryOf[p], popularity, createdAt, Math.Round(price * (1 - discount / 100), 2),
                Listed: !isDraft, Sellable: status == "ACTIVE" && stockStatus != "OUT_OF_STOCK");
        }
        return products;
    }

    /// <summary>A random popularity order inside each category: rank 0 is the category's bestseller.</summary>
    private static int[] RankWithinCategories(Random random, int[] categoryOf, int categoryCount)
    {
        var rank = new int[categoryOf.Length];
        for (var c = 0; c < categoryCount; c++)
        {
            var members = Enumerable.Range(0, categoryOf.Length).Where(p => categoryOf[p] == c).ToArray();
            random.Shuffle(members);
            for (var r = 0; r < members.Length; r++)
                rank[members[r]] = r;
        }
        return rank;
    }

    private static (string Adjective, string Material, string Noun)[] NameParts(Random random, DemoCategory category)
    {
        var parts = (from a in category.Adjectives from m in category.Materials from n in category.Nouns select (a, m, n)).ToArray();
        random.Shuffle(parts);
        return parts;
    }

    private static string[] PickDistinct(Random random, string[] items, int count)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return copy[..Math.Min(count, copy.Length)];
    }

    private static string Description(DemoCategory category, string name, string? artistName, string[]? techniques)
    {
        var maker = artistName is null ? "" : $" by {artistName}";
        var how = techniques is null ? "" : $", using {techniques[0].ToLowerInvariant()}";
        return $"{name}, handmade{maker}{how}. From our {category.Name} collection.";
    }

    private static string? Label(string status, int rank, DateTime createdAt, DateTime until, double discount) =>
        status != "ACTIVE" ? null
        : rank < 3 ? "Bestseller"
        : createdAt > until.AddDays(-30) ? "New"
        : discount >= 20 ? "Sale"
        : null;

    private static string? Certifications(Random random, DemoCategory category, string adjective, string material)
    {
        var marks = new JsonArray();
        if (Array.IndexOf(GiTagged, adjective) >= 0) marks.Add("GI Tag");
        if (category.IsApparel && material is "Silk" or "Tussar") marks.Add("Silk Mark");
        if (category.IsApparel && random.Chance(0.4)) marks.Add("Handloom Mark");
        if (random.Chance(0.05)) marks.Add("Fair Trade");
        return marks.Count == 0 ? null : marks.ToJsonString();
    }

    private static string Dimensions(Random random, DemoCategory category)
    {
        if (category.Id == "cat-sarees")
            return new JsonObject { ["length"] = 5.5, ["width"] = 1.1, ["unit"] = "m" }.ToJsonString();
        if (category.IsApparel)
            return new JsonObject { ["length"] = random.Next(60, 250), ["width"] = random.Next(40, 150), ["unit"] = "cm" }.ToJsonString();
        return new JsonObject
        {
            ["length"] = random.Next(5, 80), ["width"] = random.Next(5, 60), ["height"] = random.Next(1, 50),
            ["unit"] = "cm", ["weightGrams"] = random.Next(50, 5000),
        }.ToJsonString();
    }

    private static string Attributes(Random random, DemoCategory category, string material, string? color, string[]? techniques, string? fabricWeight, string? fitType)
    {
        var attributes = new JsonObject { ["Material"] = material, ["Handmade"] = true };
        if (color is not null) attributes["Color"] = color;
        if (techniques is not null) attributes["Technique"] = techniques[0];
        if (fabricWeight is not null) attributes["Fabric Weight"] = fabricWeight;
        if (fitType is not null)
        {
            attributes["Fit Type"] = fitType;
            attributes["Sizes"] = new JsonArray(ApparelSizes[random.Next(0, 2)..random.Next(4, 7)].Select(s => (JsonNode)s).ToArray());
        }
        attributes["Care"] = category.IsApparel ? random.Pick(["Dry clean only", "Gentle hand wash", "Machine wash cold"]) : random.Pick(["Wipe with a dry cloth", "Hand wash", "Keep away from direct sunlight"]);
        return attributes.ToJsonString();
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
