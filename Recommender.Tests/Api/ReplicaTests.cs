using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recommender.Api.Catalog;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>
/// Two replicas of the service on one PostgreSQL shop (<c>Cluster:Enabled</c>): one training per
/// interval between them, and both serving the version it published.
/// </summary>
public sealed class ReplicaTests
{
    private static readonly DateTime At = new(2025, 3, 22, 4, 18, 12, DateTimeKind.Utc);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private static RecommenderApiFactory Replica(PostgresTestDatabase shop, string serviceSchema)
    {
        // Real time: the two schedulers meet only in the database, each on its own timer.
        var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, realClock: true);
        factory.Settings["DATABASE_URL"] = shop.ConnectionString;
        factory.Settings["Recommender:Cluster:Enabled"] = "true";
        factory.Settings["Recommender:Cluster:Schema"] = serviceSchema;
        factory.Settings["Recommender:Cluster:CheckinIntervalSeconds"] = "1";
        factory.Settings["Recommender:TrainingIntervalSeconds"] = Interval.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Recommender:KeepModels"] = "1000";
        return factory;
    }

    private static async Task<long> ServingVersionAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/health"))!["model_version"]?.GetValue<long>() ?? 0;

    [PostgresFact]
    public async Task Two_replicas_train_once_per_interval_between_them_and_serve_the_same_version()
    {
        await using var shop = await PostgresTestDatabase.CreateAsync();
        var serviceSchema = $"{shop.Schema}_service";
        try
        {
            for (var p = 1; p <= 6; p++)
                await shop.InsertProductAsync($"p{p}");
            for (var buyer = 0; buyer < 12; buyer++)
                await shop.InsertOrderAsync($"o{buyer}", $"b{buyer}", "DELIVERED", At, "p1", buyer % 2 == 0 ? "p2" : "p3");

            using var first = Replica(shop, serviceSchema);
            using var second = Replica(shop, serviceSchema);
            var clients = await Task.WhenAll(
                first.CreateReadyClientAsync(TimeSpan.FromSeconds(60)),
                second.CreateReadyClientAsync(TimeSpan.FromSeconds(60)));

            // The shop changes all the time, so every training has something new to publish.
            var before = await shop.QuerySingleAsync<long>($"SELECT count(*) FROM {serviceSchema}.models");
            var window = Stopwatch.StartNew();
            var changes = 0;
            var published = await Eventually.ReturnsAsync(async () =>
            {
                await shop.AddToCartAsync($"b{changes % 12}", $"p{changes % 6 + 1}", At.AddMinutes(changes));
                changes++;
                return await shop.QuerySingleAsync<long>($"SELECT count(*) FROM {serviceSchema}.models") - before;
            }, count => count >= 5, "five trainings between the two replicas");
            var elapsed = window.Elapsed;

            // One training per interval between them: the one running when the window opened, then
            // at most one per interval that began in it. A slow machine only widens the window and
            // the bound with it. Each replica training on its own would make about twice as many.
            Assert.InRange(published, 5, 2 + (long)(elapsed / Interval));
            var newest = await shop.QuerySingleAsync<long>($"SELECT max(version) FROM {serviceSchema}.models");
            var serving = await Eventually.ReturnsAsync(() => Task.WhenAll(clients.Select(ServingVersionAsync)),
                versions => versions.All(v => v >= newest), $"both replicas to serve version {newest}");
            Assert.All(serving, version => Assert.True(version >= newest, $"a replica serves {version}, not {newest}"));

            // The service wrote only its own schema: Quartz's tables and the models are there, none among the shop's.
            Assert.Equal(0, await shop.QuerySingleAsync<long>(
                "SELECT count(*) FROM pg_tables WHERE schemaname = @schema AND tablename NOT IN ('Product','Order','OrderItem','Cart','CartItem','Wishlist','WishlistItem')",
                new { schema = shop.Schema }));
            Assert.True(await shop.QuerySingleAsync<long>(
                "SELECT count(*) FROM pg_tables WHERE schemaname = @schema AND tablename LIKE 'qrtz\\_%'", new { schema = serviceSchema }) > 5);
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(serviceSchema);
        }
    }

    [Fact]
    public async Task A_replica_started_while_the_database_is_down_serves_its_local_copy()
    {
        var models = Directory.CreateTempSubdirectory("recommender-replica-").FullName;
        try
        {
            new ModelStore(models, keep: 5).Publish(TestModels.WithScores(7, ["alice"], ["p1", "p2"], [2, 1]));
            var products = new InMemoryShopDatabase().AddProduct("p1").AddProduct("p2");
            new CatalogSnapshot(models).Write(await ProductCatalog.ReadAsync(products, TimeProvider.System, CancellationToken.None));

            // Nothing listens on port 1: the schedule cannot start, the model table cannot be read.
            using var replica = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, modelsDirectory: models);
            replica.Settings["DATABASE_URL"] = "Host=127.0.0.1;Port=1;Database=shop;Username=shop;Password=shop";
            replica.Settings["Recommender:Cluster:Enabled"] = "true";
            var client = await replica.CreateReadyClientAsync();

            var body = (await client.GetFromJsonAsync<JsonObject>("/recommendations/alice?top_k=1"))!;
            Assert.Equal(7, body["model_version"]!.GetValue<long>());
            Assert.Equal("p1", body["recommended_products"]![0]!["id"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }
}
