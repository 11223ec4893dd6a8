using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recommender.Tests.Infrastructure;

namespace Recommender.Tests.Api;

/// <summary>The whole service over a Prisma-style PostgreSQL shop created by the test.</summary>
public sealed class PostgresServiceTests
{
    private static readonly DateTime At = new(2025, 3, 22, 4, 18, 12, 293, DateTimeKind.Utc);

    [PostgresFact]
    public async Task The_service_trains_on_a_postgres_shop_and_returns_full_product_rows()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        string[] products = ["p1", "p2", "p3", "p4", "p5", "p6"];
        foreach (var product in products)
            await shop.InsertProductAsync(product);
        await shop.ExecuteAsync("""UPDATE "Product" SET "stockStatus" = 'OUT_OF_STOCK' WHERE "id" = 'p6'""");
        for (var buyer = 0; buyer < 12; buyer++)
        {
            await shop.InsertOrderAsync($"o{buyer}", $"b{buyer}", "DELIVERED", At, "p1", "p2", "p6");
            await shop.AddToCartAsync($"b{buyer}", buyer % 2 == 0 ? "p3" : "p4", At);
        }
        await shop.InsertOrderAsync("cancelled", "b0", "CANCELLED", At, "p5");

        using var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false);
        factory.Settings["DATABASE_URL"] = shop.ConnectionString;
        // Too small a shop for selection to tell models apart; this test is about the data path.
        factory.Settings["Recommender:Training:Algorithm"] = "itemknn";
        var client = await factory.CreateReadyClientAsync();

        var body = (await client.GetFromJsonAsync<JsonObject>("/recommendations/b0?top_k=10"))!;
        var rows = body["recommended_products"]!.AsArray().Select(p => p!.AsObject()).ToArray();
        var ids = rows.Select(p => p["id"]!.GetValue<string>()).ToArray();

        Assert.Equal("personalized+newest", body["source"]!.GetValue<string>());
        // b0 has p1, p2, p6 ordered and p3 in the cart; p6 is out of stock; p5 was only in a
        // cancelled order, so no counted interaction puts it in the model: only newest shows it.
        Assert.Equal(["p4", "p5"], ids);
        Assert.All(rows, row => Assert.Equal(36, row.Count));
        Assert.Equal(JsonValueKind.Array, rows[0]["images"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, rows[0]["price"]!.GetValueKind());
        Assert.Equal(JsonValueKind.False, rows[0]["isDraft"]!.GetValueKind());
        Assert.Equal(JsonValueKind.String, rows[0]["createdAt"]!.GetValueKind());
    }
}
