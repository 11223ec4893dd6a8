using System.Text.Json;
using Npgsql;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Data;

public sealed class PostgresShopDatabaseTests
{
    private static readonly string[] CountedStatuses = new InteractionWeights().CountedOrderStatuses;
    private static readonly DateTime March22 = new(2025, 3, 22, 4, 18, 12, 293, DateTimeKind.Utc);

    // Every column of "Product" in SHOP_SCHEMA.md, in table order.
    private static readonly string[] ProductColumns =
    [
        "id", "name", "description", "price", "wholesalePrice", "minOrderQuantity", "availableQuantity",
        "images", "isDraft", "status", "stockStatus", "rating", "reviewCount", "dimensions", "material",
        "artistName", "certifications", "rarity", "label", "techniques", "color", "fabricType",
        "fabricWeight", "fitType", "discount", "deliveryCost", "certificateIssueDate",
        "galleryCertificateName", "sellerId", "categoryId", "pickupAddressId", "createdAt", "updatedAt",
        "attributes", "thumbnail", "documents",
    ];

    [PostgresFact]
    public async Task Order_items_are_read_as_order_interactions_with_buyer_product_and_utc_time()
    {
        await using var shop = await ShopWithProductsAsync("p1", "p2");
        await shop.InsertOrderAsync("o1", "buyer-1", "DELIVERED", March22, "p1", "p2");

        var interactions = await ReadInteractionsAsync(shop, CountedStatuses);

        Assert.Equal(
            [
                new ShopInteraction("buyer-1", "p1", InteractionKind.Order, March22),
                new ShopInteraction("buyer-1", "p2", InteractionKind.Order, March22),
            ],
            interactions.OrderBy(i => i.ProductId));
        Assert.All(interactions, i => Assert.Equal(DateTimeKind.Utc, i.CreatedAt.Kind));
    }

    [PostgresFact]
    public async Task Items_of_cancelled_orders_do_not_count_by_default()
    {
        await using var shop = await ShopWithProductsAsync("p1", "p2", "p3", "p4", "p5");
        await shop.InsertOrderAsync("o-pending", "buyer-1", "PENDING", March22, "p1");
        await shop.InsertOrderAsync("o-confirmed", "buyer-1", "CONFIRMED", March22, "p2");
        await shop.InsertOrderAsync("o-shipped", "buyer-1", "SHIPPED", March22, "p3");
        await shop.InsertOrderAsync("o-delivered", "buyer-1", "DELIVERED", March22, "p4");
        await shop.InsertOrderAsync("o-cancelled", "buyer-1", "CANCELLED", March22, "p5");

        var interactions = await ReadInteractionsAsync(shop, CountedStatuses);

        Assert.Equal(["p1", "p2", "p3", "p4"], interactions.Select(i => i.ProductId).Order());
    }

    [PostgresTheory]
    [InlineData("DELIVERED", "p-delivered")]
    [InlineData("CANCELLED", "p-cancelled")]
    [InlineData("PENDING,CANCELLED", "p-cancelled,p-pending")]
    [InlineData("", "")]
    public async Task Only_items_of_orders_with_the_given_statuses_are_read(string statuses, string expectedProducts)
    {
        await using var shop = await ShopWithProductsAsync("p-pending", "p-delivered", "p-cancelled");
        await shop.InsertOrderAsync("o-pending", "buyer-1", "PENDING", March22, "p-pending");
        await shop.InsertOrderAsync("o-delivered", "buyer-1", "DELIVERED", March22, "p-delivered");
        await shop.InsertOrderAsync("o-cancelled", "buyer-1", "CANCELLED", March22, "p-cancelled");

        var interactions = await ReadInteractionsAsync(shop, statuses.Split(',', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(expectedProducts.Split(',', StringSplitOptions.RemoveEmptyEntries), interactions.Select(i => i.ProductId).Order());
    }

    [PostgresFact]
    public async Task Cart_and_wishlist_items_are_read_with_their_own_kind_and_utc_time()
    {
        await using var shop = await ShopWithProductsAsync("p1", "p2");
        var inCart = March22.AddDays(1);
        var onWishlist = March22.AddDays(2);
        await shop.AddToCartAsync("buyer-1", "p1", inCart);
        await shop.AddToWishlistAsync("buyer-2", "p2", onWishlist);

        var interactions = await ReadInteractionsAsync(shop, CountedStatuses);

        Assert.Equal(
            [
                new ShopInteraction("buyer-1", "p1", InteractionKind.Cart, inCart),
                new ShopInteraction("buyer-2", "p2", InteractionKind.Wishlist, onWishlist),
            ],
            interactions.OrderBy(i => i.Kind));
        Assert.All(interactions, i => Assert.Equal(DateTimeKind.Utc, i.CreatedAt.Kind));
    }

    [PostgresFact]
    public async Task Several_interactions_of_one_buyer_with_one_product_come_back_as_separate_rows()
    {
        await using var shop = await ShopWithProductsAsync("p1");
        await shop.InsertOrderAsync("o1", "buyer-1", "DELIVERED", March22, "p1");
        await shop.InsertOrderAsync("o2", "buyer-1", "SHIPPED", March22.AddHours(1), "p1");
        await shop.AddToCartAsync("buyer-1", "p1", March22);
        await shop.AddToCartAsync("buyer-1", "p1", March22);
        await shop.AddToWishlistAsync("buyer-1", "p1", March22);

        var interactions = await ReadInteractionsAsync(shop, CountedStatuses);

        Assert.Equal(5, interactions.Count);
        Assert.All(interactions, i => Assert.Equal(("buyer-1", "p1"), (i.BuyerId, i.ProductId)));
        Assert.Equal(
            [InteractionKind.Order, InteractionKind.Order, InteractionKind.Cart, InteractionKind.Cart, InteractionKind.Wishlist],
            interactions.Select(i => i.Kind).Order());
    }

    [PostgresFact]
    public async Task Rows_deleted_between_two_reads_are_gone_in_the_second_read()
    {
        await using var shop = await ShopWithProductsAsync("p1", "p2", "p3");
        await shop.InsertOrderAsync("o1", "buyer-1", "DELIVERED", March22, "p1");
        var cartItem = await shop.AddToCartAsync("buyer-1", "p2", March22);
        await shop.AddToCartAsync("buyer-1", "p3", March22);
        var wishlistItem = await shop.AddToWishlistAsync("buyer-1", "p3", March22);
        Assert.Equal(4, (await ReadInteractionsAsync(shop, CountedStatuses)).Count);

        await shop.ExecuteAsync("""DELETE FROM "Order" WHERE "id" = 'o1'""");   // its items go by cascade
        await shop.ExecuteAsync("""DELETE FROM "CartItem" WHERE "id" = @cartItem""", new { cartItem });
        await shop.ExecuteAsync("""DELETE FROM "WishlistItem" WHERE "id" = @wishlistItem""", new { wishlistItem });
        var interactions = await ReadInteractionsAsync(shop, CountedStatuses);

        Assert.Equal([new ShopInteraction("buyer-1", "p3", InteractionKind.Cart, March22)], interactions);
    }

    [PostgresFact]
    public async Task The_change_reads_return_an_order_items_revenue_and_never_a_cancelled_order()
    {
        await using var shop = await ShopWithProductsAsync("p1", "p2");
        await shop.InsertOrderAsync("o1", "buyer-1", "PENDING", March22, "p1");
        await shop.InsertOrderAsync("o2", "buyer-1", "CANCELLED", March22, "p2");
        await shop.ExecuteAsync("""UPDATE "OrderItem" SET "quantity" = 3, "price" = 12.5 WHERE "orderId" = 'o1'""");
        await shop.AddToCartAsync("buyer-1", "p2", March22);

        var rows = await new PostgresShopDatabase(shop.DataSource).ReadBuyersAsync(["buyer-1"], CountedStatuses, CancellationToken.None);

        Assert.Equal(
            [new ShopInteraction("buyer-1", "p1", InteractionKind.Order, March22, 37.5), new ShopInteraction("buyer-1", "p2", InteractionKind.Cart, March22)],
            rows.OrderBy(r => r.Kind));
    }

    [PostgresFact]
    public async Task Products_come_back_with_every_column_under_its_own_name()
    {
        await using var shop = await ShopWithProductsAsync("p1", "p2");

        var products = await ReadProductsAsync(shop);

        Assert.Equal(["p1", "p2"], products.Select(p => p.Id).Order());
        Assert.All(products, p => Assert.Equal(ProductColumns, Keys(p)));
    }

    [PostgresFact]
    public async Task Product_columns_have_the_json_type_of_their_sql_type()
    {
        await using var shop = await ShopWithProductsAsync("bare");
        await InsertFullProductAsync(shop, "full");

        var products = (await ReadProductsAsync(shop)).ToDictionary(p => p.Id, p => JsonDocument.Parse(p.Json).RootElement);
        var full = products["full"];
        var bare = products["bare"];

        Assert.Equal("Hand-block printed kurta", full.GetProperty("name").GetString());
        Assert.Equal(2000.5, full.GetProperty("price").GetDouble());
        Assert.Equal(12, full.GetProperty("availableQuantity").GetInt32());
        Assert.Equal(["image.png", "back.png"], Strings(full.GetProperty("images")));
        Assert.Equal(JsonValueKind.True, full.GetProperty("isDraft").ValueKind);
        Assert.Equal(JsonValueKind.False, bare.GetProperty("isDraft").ValueKind);
        Assert.Equal("ACTIVE", full.GetProperty("status").GetString());
        Assert.Equal("LOW_STOCK", full.GetProperty("stockStatus").GetString());
        Assert.Equal(4.5, full.GetProperty("rating").GetDouble());
        Assert.Equal(30, full.GetProperty("dimensions").GetProperty("height").GetInt32());
        Assert.Equal(["GI", "Handloom Mark"], Strings(full.GetProperty("certifications")));
        Assert.Equal(["block print"], Strings(full.GetProperty("techniques")));
        Assert.Equal("2024-01-02T03:04:05.678", full.GetProperty("certificateIssueDate").GetString());
        Assert.Equal("2025-03-22T04:18:12.293", full.GetProperty("createdAt").GetString());
        Assert.Equal("nylon", full.GetProperty("attributes").GetProperty("Material").GetString());
        Assert.Equal(JsonValueKind.Array, full.GetProperty("documents").ValueKind);
        Assert.Equal("", full.GetProperty("categoryId").GetString());

        foreach (var column in (string[])["dimensions", "material", "certifications", "techniques", "certificateIssueDate", "attributes", "documents", "categoryId"])
            Assert.Equal(JsonValueKind.Null, bare.GetProperty(column).ValueKind);
        foreach (var column in (string[])["price", "wholesalePrice", "minOrderQuantity", "availableQuantity", "rating", "reviewCount", "discount", "deliveryCost"])
            Assert.Equal(JsonValueKind.Number, bare.GetProperty(column).ValueKind);
    }

    [PostgresFact]
    public async Task The_fields_the_service_filters_on_are_read_from_the_product()
    {
        await using var shop = await ShopWithProductsAsync();
        await InsertFullProductAsync(shop, "full");

        var product = Assert.Single(await ReadProductsAsync(shop));

        Assert.Equal(("full", true, "ACTIVE", "LOW_STOCK", 2000.5, "", "seller-9"),
            (product.Id, product.IsDraft, product.Status, product.StockStatus, product.Price, product.CategoryId, product.SellerId));
    }

    [PostgresFact]
    public async Task A_column_added_to_Product_appears_without_a_code_change()
    {
        await using var shop = await ShopWithProductsAsync("p1");
        await shop.ExecuteAsync("""ALTER TABLE "Product" ADD COLUMN "countryOfOrigin" TEXT NOT NULL DEFAULT 'IN'""");

        var product = Assert.Single(await ReadProductsAsync(shop));

        Assert.Equal([.. ProductColumns, "countryOfOrigin"], Keys(product));
        Assert.Equal("IN", JsonDocument.Parse(product.Json).RootElement.GetProperty("countryOfOrigin").GetString());
    }

    // The test's own connections can write (they built the shop); the reader's cannot. A view
    // standing in for a table reports the transaction the reader's query ran in.
    [PostgresFact]
    public async Task Product_reads_run_in_a_read_only_repeatable_read_transaction()
    {
        await using var shop = await ShopWithProductsAsync();
        Assert.Equal("off", await shop.QuerySingleAsync<string>("SELECT current_setting('transaction_read_only')"));
        await shop.ExecuteAsync("""
            DROP TABLE "Product" CASCADE;
            CREATE VIEW "Product" AS SELECT 'probe' AS "id",
                current_setting('transaction_read_only') AS "readOnly",
                current_setting('transaction_isolation') AS "isolation";
            """);

        var probe = JsonDocument.Parse(Assert.Single(await ReadProductsAsync(shop)).Json).RootElement;

        Assert.Equal("on", probe.GetProperty("readOnly").GetString());
        Assert.Equal("repeatable read", probe.GetProperty("isolation").GetString());
    }

    [PostgresFact]
    public async Task Interaction_reads_run_in_a_read_only_repeatable_read_transaction()
    {
        await using var shop = await ShopWithProductsAsync("p1");
        await shop.AddToCartAsync("buyer-1", "p1", March22);
        await shop.ExecuteAsync("""
            DROP TABLE "CartItem" CASCADE;
            CREATE VIEW "CartItem" AS SELECT c."id" || '-probe' AS "id", c."id" AS "cartId", c."createdAt",
                current_setting('transaction_read_only') || '/' || current_setting('transaction_isolation') AS "productId"
            FROM "Cart" c;
            """);

        var probe = Assert.Single(await ReadInteractionsAsync(shop, CountedStatuses));

        Assert.Equal("on/repeatable read", probe.ProductId);
    }

    [PostgresFact]
    public async Task A_prisma_database_url_with_a_schema_reads_the_shop_in_that_schema()
    {
        await using var shop = await ShopWithProductsAsync("p1");
        await shop.AddToCartAsync("buyer-1", "p1", March22);
        var test = new NpgsqlConnectionStringBuilder(shop.ConnectionString);
        var databaseUrl = $"postgresql://{Uri.EscapeDataString(test.Username ?? "")}:{Uri.EscapeDataString(test.Password ?? "")}" +
            $"@{test.Host}:{test.Port}/{Uri.EscapeDataString(test.Database ?? "")}?schema={shop.Schema}&connection_limit=1";

        await using var dataSource = NpgsqlDataSource.Create(ShopConnectionString.ToNpgsql(databaseUrl));
        var database = new PostgresShopDatabase(dataSource);

        Assert.Equal("p1", Assert.Single(await database.ReadProductsAsync(CancellationToken.None).ToListAsync()).Id);
        Assert.Equal("buyer-1", Assert.Single(await database.ReadInteractionsAsync(CountedStatuses, CancellationToken.None).ToListAsync()).BuyerId);
    }

    private static async Task<PostgresTestDatabase> ShopWithProductsAsync(params string[] productIds)
    {
        var shop = await PostgresTestDatabase.CreateAsync();
        foreach (var id in productIds)
            await shop.InsertProductAsync(id);
        return shop;
    }

    private static Task InsertFullProductAsync(PostgresTestDatabase shop, string id) =>
        shop.ExecuteAsync(
            """
            INSERT INTO "Product" VALUES (
                @id, 'Hand-block printed kurta', 'Cotton', 2000.5, 1500, 2, 12, @images, true, 'ACTIVE', 'LOW_STOCK',
                4.5, 7, @dimensions::jsonb, 'cotton', 'A. Artist', @certifications, 'rare', 'new', @techniques,
                'indigo', 'cotton', '200g', 'regular', 4, 40, @certificateIssueDate, 'Gallery', 'seller-9', '',
                'pickup-1', @createdAt, @createdAt, @attributes::jsonb, 'thumb.png', @documents::jsonb)
            """,
            new
            {
                id,
                images = new[] { "image.png", "back.png" },
                dimensions = """{"height": 30, "width": 20}""",
                certifications = new[] { "GI", "Handloom Mark" },
                techniques = new[] { "block print" },
                certificateIssueDate = new DateTime(2024, 1, 2, 3, 4, 5, 678, DateTimeKind.Unspecified),
                createdAt = DateTime.SpecifyKind(March22, DateTimeKind.Unspecified),
                attributes = """{"Fit Type": "fine", "Material": "nylon"}""",
                documents = """[{"name": "certificate.pdf"}]""",
            });

    private static async Task<List<ShopInteraction>> ReadInteractionsAsync(PostgresTestDatabase shop, IReadOnlyCollection<string> statuses) =>
        await new PostgresShopDatabase(shop.DataSource).ReadInteractionsAsync(statuses, CancellationToken.None).ToListAsync();

    private static async Task<List<ProductRow>> ReadProductsAsync(PostgresTestDatabase shop) =>
        await new PostgresShopDatabase(shop.DataSource).ReadProductsAsync(CancellationToken.None).ToListAsync();

    private static string[] Keys(ProductRow product) =>
        [.. JsonDocument.Parse(product.Json).RootElement.EnumerateObject().Select(p => p.Name)];

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString() ?? "<null>")];
}
