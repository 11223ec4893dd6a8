using System.Text.Json;
using Microsoft.Data.Sqlite;
using Recommender.Api.Demo;
using Recommender.Training.Data;

namespace Recommender.Tests.Demo;

/// <summary>What the default demo shop holds, read back through <see cref="SqliteShopDatabase"/>.</summary>
public sealed class DemoShopTests(DemoShopFixture shop) : IClassFixture<DemoShopFixture>
{
    private static readonly string[] CountedStatuses = new InteractionWeights().CountedOrderStatuses;

    [Fact]
    public void The_shop_has_the_requested_number_of_products_and_buyers()
    {
        Assert.Equal(shop.Options.Products, shop.Products.Count);
        Assert.Equal(shop.Options.Products, shop.Products.Select(p => p.Id).Distinct().Count());
        Assert.Equal("prod-0001", shop.Products.Select(p => p.Id).Order().First());
        Assert.Equal(12, shop.Products.Select(p => p.CategoryId).Distinct().Count());
        var buyers = shop.Interactions.Select(i => i.BuyerId).Distinct().ToList();
        Assert.InRange(buyers.Count, shop.Options.Buyers * 0.8, shop.Options.Buyers);
        Assert.All(buyers, b => Assert.Matches("^buyer-[0-9]{4}$", b));
    }

    [Fact]
    public void Every_product_has_every_column_of_the_postgres_ddl_in_order_with_its_json_type()
    {
        var columns = PostgresDdl.Tables()["Product"];
        var enums = PostgresDdl.Enums();
        Assert.Equal(36, columns.Count);
        foreach (var product in shop.Products)
        {
            using var json = JsonDocument.Parse(product.Json);
            var properties = json.RootElement.EnumerateObject().ToList();
            Assert.Equal(columns.Select(c => c.Name), properties.Select(p => p.Name));
            foreach (var (column, value) in columns.Zip(properties.Select(p => p.Value)))
                AssertJsonType(column, value.Clone(), enums);
        }
    }

    [Fact]
    public void Optional_columns_are_filled_where_they_apply_and_null_elsewhere()
    {
        var columns = PostgresDdl.Tables()["Product"];
        var documents = shop.Products.Select(p => JsonDocument.Parse(p.Json).RootElement).ToList();
        foreach (var column in columns)
        {
            var kinds = documents.Select(d => d.GetProperty(column.Name).ValueKind).ToList();
            Assert.Contains(kinds, k => k != JsonValueKind.Null);
            if (!column.NotNull && column.Name is not ("images" or "material" or "sellerId" or "categoryId"))
                Assert.Contains(JsonValueKind.Null, kinds);
        }
        Assert.All(documents, d => Assert.NotEmpty(d.GetProperty("images").EnumerateArray()));
    }

    [Fact]
    public void The_sqlite_tables_have_the_columns_and_declared_types_of_the_postgres_ddl()
    {
        using var connection = new SqliteConnection($"Data Source={shop.Path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        foreach (var (table, columns) in PostgresDdl.Tables())
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"""SELECT name, type, "notnull" FROM pragma_table_info('{table}')""";
            using var reader = command.ExecuteReader();
            var actual = new List<string>();
            while (reader.Read())
                actual.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetInt64(2)}");
            // The declared type is what the reader turns into a JSON type; enums are TEXT in SQLite.
            Assert.Equal(columns.Select(c => $"{c.Name} {(c.Type.StartsWith('"') ? "TEXT" : c.Type)} {(c.NotNull ? 1 : 0)}"), actual);
        }
    }

    [Fact]
    public void Interactions_of_all_three_kinds_are_read_by_the_thousand()
    {
        var byKind = shop.Interactions.GroupBy(i => i.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(byKind[InteractionKind.Order], 5_000, 30_000);
        Assert.InRange(byKind[InteractionKind.Cart], 2_000, 20_000);
        Assert.InRange(byKind[InteractionKind.Wishlist], 2_000, 20_000);
        Assert.InRange(shop.Interactions.Count, 20_000, 60_000);
        Assert.InRange(shop.Scalar("""SELECT COUNT(*) FROM "Order" """), 2_000, 10_000);
    }

    [Fact]
    public async Task Cancelled_orders_are_not_read_when_they_are_not_counted()
    {
        var database = new SqliteShopDatabase(shop.Path);
        var counted = await database.ReadInteractionsAsync(CountedStatuses, CancellationToken.None)
            .CountAsync(i => i.Kind == InteractionKind.Order);
        var cancelled = await database.ReadInteractionsAsync(["CANCELLED"], CancellationToken.None)
            .CountAsync(i => i.Kind == InteractionKind.Order);

        Assert.InRange(cancelled, 100, counted / 5);
        Assert.Equal(shop.Interactions.Count(i => i.Kind == InteractionKind.Order), counted + cancelled);
        Assert.Equal(cancelled, shop.Scalar("""
            SELECT COUNT(*) FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId" WHERE o."status" = 'CANCELLED'
            """));
    }

    [Fact]
    public void Every_order_status_occurs_and_recent_orders_are_not_yet_delivered()
    {
        foreach (var status in DemoShopFixture.AllOrderStatuses)
            Assert.True(shop.Scalar($"""SELECT COUNT(*) FROM "Order" WHERE "status" = '{status}'""") > 0, status);
        Assert.Equal(0, shop.Scalar("""SELECT COUNT(*) FROM "Order" WHERE "status" = 'DELIVERED' AND "createdAt" > '2025-05-25'"""));
    }

    [Fact]
    public void A_few_products_are_drafts_inactive_or_out_of_stock()
    {
        var unsellable = shop.Products.Count(p => p.IsDraft || p.Status != "ACTIVE" || p.StockStatus == "OUT_OF_STOCK");
        Assert.InRange(unsellable, shop.Products.Count * 0.03, shop.Products.Count * 0.10);
        Assert.Contains(shop.Products, p => p.IsDraft && p.Status == "DRAFT");
        Assert.Contains(shop.Products, p => p.Status == "INACTIVE");
        Assert.Contains(shop.Products, p => p.StockStatus == "OUT_OF_STOCK");
        Assert.All(shop.Products.Where(p => p.IsDraft), p => Assert.Equal("DRAFT", p.Status));
    }

    [Fact]
    public void Drafts_are_never_touched_and_carts_hold_only_sellable_products()
    {
        var byId = shop.Products.ToDictionary(p => p.Id);
        Assert.DoesNotContain(shop.Interactions, i => byId[i.ProductId].IsDraft);
        Assert.All(shop.Interactions.Where(i => i.Kind == InteractionKind.Cart), i =>
            Assert.True(byId[i.ProductId].Status == "ACTIVE" && byId[i.ProductId].StockStatus != "OUT_OF_STOCK", i.ProductId));
    }

    [Fact]
    public void Showcase_buyers_draw_every_interaction_from_their_favourite_categories()
    {
        var categoryOf = shop.Products.ToDictionary(p => p.Id, p => p.CategoryId);
        foreach (var buyer in DemoShop.ShowcaseBuyers)
        {
            var theirs = shop.Interactions.Where(i => i.BuyerId == buyer.Id).ToList();
            Assert.True(theirs.Count >= 10, $"{buyer.Id} has {theirs.Count} interactions");
            Assert.All(theirs, i => Assert.Contains(categoryOf[i.ProductId], buyer.CategoryIds));
            Assert.Equal(3, theirs.Select(i => i.Kind).Distinct().Count());
        }
    }

    [Fact]
    public void Buyers_keep_mostly_to_a_few_categories()
    {
        var categoryOf = shop.Products.ToDictionary(p => p.Id, p => p.CategoryId);
        var topThreeShares = shop.Interactions.GroupBy(i => i.BuyerId).Where(g => g.Count() >= 8)
            .Select(g => g.GroupBy(i => categoryOf[i.ProductId]).Select(c => c.Count()).OrderDescending().Take(3).Sum() / (double)g.Count())
            .ToList();
        Assert.True(topThreeShares.Count > 300);
        // With no taste at all, three of twelve categories would hold about a third.
        Assert.InRange(topThreeShares.Average(), 0.8, 1.0);
    }

    [Fact]
    public void Popularity_has_a_head_and_a_long_tail()
    {
        var counts = shop.Interactions.GroupBy(i => i.ProductId).Select(g => g.Count()).OrderDescending().ToList();
        var topTenth = counts.Take(shop.Products.Count / 10).Sum() / (double)shop.Interactions.Count;
        Assert.InRange(topTenth, 0.35, 0.8);
        Assert.True(counts.Count > shop.Products.Count * 0.6, $"only {counts.Count} products were ever touched");
    }

    [Fact]
    public void Interactions_spread_over_the_half_year_before_the_shop_date()
    {
        var times = shop.Interactions.Select(i => i.CreatedAt).ToList();
        Assert.All(times, t => Assert.Equal(DateTimeKind.Utc, t.Kind));
        Assert.InRange(times.Min(), DemoShopFixture.Until.AddDays(-180), DemoShopFixture.Until.AddDays(-150));
        Assert.InRange(times.Max(), DemoShopFixture.Until.AddDays(-3), DemoShopFixture.Until);
        // A growing shop: the last month is busier than the first.
        Assert.True(times.Count(t => t > DemoShopFixture.Until.AddDays(-30)) > times.Count(t => t < DemoShopFixture.Until.AddDays(-150)));
    }

    [Fact]
    public void Carts_and_wishlists_are_one_per_buyer_and_hold_a_product_once()
    {
        Assert.Equal(0, shop.Scalar("""SELECT COUNT(*) FROM (SELECT 1 FROM "CartItem" GROUP BY "cartId", "productId" HAVING COUNT(*) > 1)"""));
        Assert.Equal(0, shop.Scalar("""SELECT COUNT(*) FROM (SELECT 1 FROM "WishlistItem" GROUP BY "wishlistId", "productId" HAVING COUNT(*) > 1)"""));
        Assert.Equal(0, shop.Scalar("""SELECT COUNT(*) FROM (SELECT 1 FROM "OrderItem" GROUP BY "orderId", "productId" HAVING COUNT(*) > 1)"""));
        Assert.Equal(shop.Scalar("""SELECT COUNT(*) FROM "Cart" """), shop.Scalar("""SELECT COUNT(DISTINCT "buyerId") FROM "Cart" """));
        Assert.Equal(0, shop.Scalar("""SELECT COUNT(*) FROM "Order" o WHERE NOT EXISTS (SELECT 1 FROM "OrderItem" oi WHERE oi."orderId" = o."id")"""));
    }

    [Fact]
    public void Foreign_keys_hold()
    {
        Assert.Equal(0, shop.Scalar("SELECT COUNT(*) FROM pragma_foreign_key_check"));
    }

    private static void AssertJsonType(DdlColumn column, JsonElement value, IReadOnlyDictionary<string, string[]> enums)
    {
        var where = $"column {column.Name} ({column.Type}) = {value.GetRawText()}";
        if (value.ValueKind == JsonValueKind.Null)
        {
            Assert.False(column.NotNull, where);
            return;
        }
        switch (column.Type)
        {
            case var t when t.EndsWith("[]", StringComparison.Ordinal):
                Assert.Equal(JsonValueKind.Array, value.ValueKind);
                Assert.All(value.EnumerateArray(), e => Assert.Equal(JsonValueKind.String, e.ValueKind));
                break;
            case "JSONB":
                Assert.True(value.ValueKind is JsonValueKind.Object or JsonValueKind.Array, where);
                break;
            case "BOOLEAN":
                Assert.True(value.ValueKind is JsonValueKind.True or JsonValueKind.False, where);
                break;
            case "INTEGER":
                Assert.True(value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0, where);
                break;
            case "DOUBLE PRECISION":
                Assert.True(value.ValueKind == JsonValueKind.Number && value.GetDouble() >= 0, where);
                break;
            case "TIMESTAMP(3)":
                Assert.Equal(JsonValueKind.String, value.ValueKind);
                Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$", value.GetString());
                break;
            case var t when t.StartsWith('"'):
                Assert.Contains(value.GetString(), enums[t.Trim('"')]);
                break;
            default:
                Assert.Equal(JsonValueKind.String, value.ValueKind);
                break;
        }
    }
}
