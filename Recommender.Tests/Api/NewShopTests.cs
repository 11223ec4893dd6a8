using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Recommender.Api.Demo;
using Recommender.Tests.Infrastructure;

namespace Recommender.Tests.Api;

/// <summary>
/// The first days of every shop, on SQLite and on PostgreSQL: tables with no rows, products and no
/// interactions, one buyer with one order, two buyers. The service must become ready at its first
/// training and answer every list from what exists.
/// </summary>
public sealed class NewShopTests
{
    private static readonly DateTime Day = new(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>The writes a test makes to a shop, on either database.</summary>
    private interface ITestShop : IAsyncDisposable
    {
        Task AddProductAsync(string id, DateTime createdAt);
        Task AddOrderAsync(string orderId, string buyerId, DateTime createdAt, params string[] productIds);
        void Configure(RecommenderApiFactory factory);
    }

    public enum Stage { Empty, ProductsOnly, OneBuyerOneOrder, TwoBuyers }

    public static TheoryData<Stage> Stages => new(Enum.GetValues<Stage>());

    [Theory]
    [MemberData(nameof(Stages))]
    public Task A_new_sqlite_shop_is_served_from_what_it_has(Stage stage) => ServesAsync(stage, new SqliteShop());

    [PostgresTheory]
    [MemberData(nameof(Stages))]
    public async Task A_new_postgres_shop_is_served_from_what_it_has(Stage stage) =>
        await ServesAsync(stage, new PostgresShop(await PostgresTestDatabase.CreateAsync()));

    private static async Task ServesAsync(Stage stage, ITestShop shop)
    {
        await using var _ = shop;
        if (stage != Stage.Empty)
        {
            // p1 is the oldest listing, p4 the newest.
            for (var n = 1; n <= 4; n++)
                await shop.AddProductAsync($"p{n}", Day.AddDays(n));
        }
        if (stage >= Stage.OneBuyerOneOrder) await shop.AddOrderAsync("o1", "b1", Day.AddDays(10), "p1");
        if (stage >= Stage.TwoBuyers) await shop.AddOrderAsync("o2", "b2", Day.AddDays(11), "p1", "p2");

        using var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false);
        shop.Configure(factory);
        // Ready at the first training (at start-up), not after some later one.
        var client = await factory.CreateReadyClientAsync();

        var trending = await ListAsync(client, "/products/trending?top_k=10", "trending_products");
        var forB1 = await ListAsync(client, "/recommendations/b1?top_k=10", "recommended_products");
        var forStranger = await ListAsync(client, "/recommendations/nobody?top_k=10", "recommended_products");
        switch (stage)
        {
            case Stage.Empty:
                Assert.Empty(trending.Ids);
                Assert.Empty(forB1.Ids);
                Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/products/p1/similar")).StatusCode);
                break;
            case Stage.ProductsOnly:
                Assert.Equal("newest", trending.Source);
                Assert.Equal(["p4", "p3", "p2", "p1"], trending.Ids);
                Assert.Equal("newest", forB1.Source);
                Assert.Equal(["p4", "p3", "p2", "p1"], forB1.Ids);
                var similar = await ListAsync(client, "/products/p2/similar?top_k=10", "similar_products");
                Assert.Equal("newest", similar.Source);
                Assert.Equal(["p4", "p3", "p1"], similar.Ids);
                break;
            case Stage.OneBuyerOneOrder:
                Assert.Equal("trending+newest", trending.Source);
                Assert.Equal(["p1", "p4", "p3", "p2"], trending.Ids);
                Assert.Equal(["p4", "p3", "p2"], forB1.Ids);             // what b1 ordered is left out
                Assert.Equal(["p1", "p4", "p3", "p2"], forStranger.Ids);
                break;
            case Stage.TwoBuyers:
                Assert.Equal(["p1", "p2", "p4", "p3"], trending.Ids);
                Assert.Equal("p2", forB1.Ids[0]);                         // bought with p1 by b2
                Assert.Equal(["p2", "p4", "p3"], forB1.Ids);
                var withP1 = await ListAsync(client, "/products/p1/similar?top_k=10", "similar_products");
                Assert.Equal("p2", withP1.Ids[0]);
                break;
        }
    }

    private static async Task<(string Source, string[] Ids)> ListAsync(HttpClient client, string url, string listName)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var ids = body[listName]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray();
        return (body["source"]!.GetValue<string>(), ids);
    }

    /// <summary>A Prisma-schema SQLite file at the factory's demo shop path, so the service reads it instead of generating the demo.</summary>
    private sealed class SqliteShop : ITestShop
    {
        private readonly List<(string Sql, object?[] Values)> _writes = [];

        public Task AddProductAsync(string id, DateTime createdAt)
        {
            _writes.Add(("""INSERT INTO "Product" ("id", "name", "price", "status", "sellerId", "createdAt", "updatedAt") VALUES ($0, $1, 10, 'ACTIVE', 'seller-1', $2, $2)""",
                [id, $"Product {id}", DemoRandom.Iso(createdAt)]));
            return Task.CompletedTask;
        }

        public Task AddOrderAsync(string orderId, string buyerId, DateTime createdAt, params string[] productIds)
        {
            _writes.Add(("""INSERT INTO "Order" ("id", "buyerId", "status", "createdAt", "updatedAt") VALUES ($0, $1, 'DELIVERED', $2, $2)""",
                [orderId, buyerId, DemoRandom.Iso(createdAt)]));
            for (var i = 0; i < productIds.Length; i++)
                _writes.Add(("""INSERT INTO "OrderItem" ("id", "orderId", "productId", "price", "createdAt") VALUES ($0, $1, $2, 10, $3)""",
                    [$"{orderId}-{i}", orderId, productIds[i], DemoRandom.Iso(createdAt)]));
            return Task.CompletedTask;
        }

        public void Configure(RecommenderApiFactory factory)
        {
            var path = Path.Combine(factory.ModelsDirectory, "demo", "shop.db");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                foreach (var (sql, values) in _writes.Prepend((DemoShopSchema.Ddl, [])))
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    for (var i = 0; i < values.Length; i++) command.Parameters.AddWithValue($"${i}", values[i]);
                    command.ExecuteNonQuery();
                }
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;     // the file goes with the factory's directory
    }

    private sealed class PostgresShop(PostgresTestDatabase database) : ITestShop
    {
        public async Task AddProductAsync(string id, DateTime createdAt)
        {
            await database.InsertProductAsync(id);
            await database.ExecuteAsync("""UPDATE "Product" SET "createdAt" = @createdAt WHERE "id" = @id""",
                new { id, createdAt = DateTime.SpecifyKind(createdAt, DateTimeKind.Unspecified) });
        }

        public Task AddOrderAsync(string orderId, string buyerId, DateTime createdAt, params string[] productIds) =>
            database.InsertOrderAsync(orderId, buyerId, "DELIVERED", createdAt, productIds);

        public void Configure(RecommenderApiFactory factory) => factory.Settings["DATABASE_URL"] = database.ConnectionString;

        public ValueTask DisposeAsync() => database.DisposeAsync();
    }
}
