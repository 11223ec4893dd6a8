using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Recommender.Api.Catalog;
using Recommender.Api.Scheduling;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Tests.Api;

/// <summary>
/// The faults a production service meets, each injected: the database down at start-up or lost
/// while serving, a full disk, and a shutdown in the middle of a training. Where a training is
/// retried, the test moves the service's clock one interval (1 s here) at a time.
/// </summary>
public sealed class FaultToleranceTests : IDisposable
{
    private static readonly string[] Products = ["p1", "p2", "p3", "p4"];
    private readonly string _models = Directory.CreateTempSubdirectory("recommender-faults-").FullName;

    public void Dispose() => Directory.Delete(_models, recursive: true);

    private static RecommenderModel Model(long version) => TestModels.WithScores(version, ["alice"], Products, [4, 3, 2, 1]);

    private static RecommenderApiFactory WithShop(RecommenderApiFactory factory)
    {
        foreach (var product in Products)
            factory.Shop.AddProduct(product);
        for (var buyer = 0; buyer < 8; buyer++)
            factory.Shop.Add($"buyer-{buyer}", Products[buyer % 4]).Add($"buyer-{buyer}", Products[(buyer + 1) % 4]);
        return factory;
    }

    private static async Task<long> ServingVersionAsync(HttpClient client)
    {
        var response = await client.GetAsync("/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["model_version"]!.GetValue<long>();
    }

    private static readonly TimeSpan TrainingInterval = TimeSpan.FromSeconds(1);

    /// <summary>Lets one training interval pass on the service's clock and waits until <paramref name="what"/> holds.</summary>
    private static async Task AfterOneIntervalAsync(RecommenderApiFactory factory, Func<Task<bool>> condition, string what)
    {
        Assert.False(await condition(), $"{what} before the service's clock moved");
        factory.Clock.Advance(TrainingInterval);
        await Eventually.HoldsAsync(condition, what);
    }

    [Fact]
    public async Task A_restart_while_the_database_is_down_serves_the_saved_model_and_products_then_trains_when_it_returns()
    {
        // A first run with the database up leaves a model and a product snapshot behind.
        using (var before = WithShop(new RecommenderApiFactory(modelsDirectory: _models)))
        {
            new ModelStore(_models, keep: 5).Publish(Model(1));
            await before.CreateReadyClientAsync();
            await Eventually.HoldsAsync(() => File.Exists(Path.Combine(_models, CatalogSnapshot.FileName)), "the product snapshot to be saved");
        }

        using var restarted = WithShop(new RecommenderApiFactory(trainOnSchedule: true, modelsDirectory: _models));
        restarted.Settings["Recommender:TrainingIntervalSeconds"] = "1";
        restarted.Shop.Failure = new InvalidOperationException("connection refused");
        var client = await restarted.CreateReadyClientAsync();

        var body = (await client.GetFromJsonAsync<JsonObject>("/recommendations/alice?top_k=2"))!;
        Assert.Equal(1, body["model_version"]!.GetValue<long>());
        Assert.Equal(["p1", "p2"], body["recommended_products"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()));
        Assert.Equal("Product p1", body["recommended_products"]![0]!["name"]!.GetValue<string>());
        await Eventually.HoldsAsync(() => restarted.Shop.InteractionReads >= 1, "the training at start-up to be tried");
        await AfterOneIntervalAsync(restarted, () => Task.FromResult(restarted.Shop.InteractionReads >= 2), "the training to be retried");
        Assert.Equal(1, await ServingVersionAsync(client));

        restarted.Shop.Failure = null;
        await AfterOneIntervalAsync(restarted, async () => await ServingVersionAsync(client) == 2, "a model to be trained once the database is back");
    }

    [Fact]
    public async Task A_restart_with_an_unreachable_postgres_serves_the_saved_model_and_products()
    {
        var store = new ModelStore(_models, keep: 5);
        store.Publish(Model(3));
        var products = new InMemoryShopDatabase();
        foreach (var product in Products) products.AddProduct(product);
        new CatalogSnapshot(_models).Write(await ProductCatalog.ReadAsync(products, TimeProvider.System, CancellationToken.None));

        // Nothing listens on port 1: every connection is refused, as when the server is down.
        using var factory = new RecommenderApiFactory(trainOnSchedule: true, inMemoryShop: false, modelsDirectory: _models);
        factory.Settings["DATABASE_URL"] = "Host=127.0.0.1;Port=1;Database=shop;Username=shop;Password=shop;Timeout=2";
        var client = await factory.CreateReadyClientAsync();

        var body = (await client.GetFromJsonAsync<JsonObject>("/recommendations/alice?top_k=1"))!;
        Assert.Equal(3, body["model_version"]!.GetValue<long>());
        Assert.Equal("p1", body["recommended_products"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Losing_the_database_while_serving_keeps_the_model_and_readiness_and_training_resumes_when_it_returns()
    {
        using var factory = WithShop(new RecommenderApiFactory(trainOnSchedule: true, modelsDirectory: _models));
        factory.Settings["Recommender:TrainingIntervalSeconds"] = "1";
        var client = await factory.CreateReadyClientAsync();
        var first = await ServingVersionAsync(client);

        factory.Shop.Failure = new InvalidOperationException("the database went away");
        var reads = factory.Shop.InteractionReads;
        await AfterOneIntervalAsync(factory, () => Task.FromResult(factory.Shop.InteractionReads >= reads + 1), "a training to fail");
        await AfterOneIntervalAsync(factory, () => Task.FromResult(factory.Shop.InteractionReads >= reads + 2), "a second training to fail");
        Assert.Equal(first, await ServingVersionAsync(client));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/recommendations/buyer-1?top_k=2")).StatusCode);

        factory.Shop.Add("buyer-1", "p4", InteractionKind.Cart);
        factory.Shop.Failure = null;
        await AfterOneIntervalAsync(factory, async () => await ServingVersionAsync(client) > first, "training to resume");
    }

    [Fact]
    public async Task A_full_disk_fails_the_training_cleanly_and_the_current_model_keeps_serving()
    {
        var disk = new FullDisk();
        using var factory = WithShop(new RecommenderApiFactory(modelsDirectory: _models));
        factory.TestServices = services =>
        {
            services.RemoveAll<ModelStore>();
            services.AddSingleton(new ModelStore(_models, keep: 5, disk.Create));
        };
        new ModelStore(_models, keep: 5).Publish(Model(1));
        var client = await factory.CreateReadyClientAsync();
        var training = factory.Services.GetRequiredService<ModelTrainingService>();

        disk.IsFull = true;
        var error = await Assert.ThrowsAsync<IOException>(() => training.TrainAsync(CancellationToken.None));

        Assert.Contains("No space left", error.Message);
        Assert.Equal(1, await ServingVersionAsync(client));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/recommendations/alice?top_k=2")).StatusCode);
        Assert.Equal([ModelStore.FileNameOf(1)], Directory.GetFiles(_models, "*model-*").Select(Path.GetFileName));

        disk.IsFull = false;
        Assert.Equal(TrainingOutcome.Published, await training.TrainAsync(CancellationToken.None));
        Assert.Equal(2, await ServingVersionAsync(client));
    }

    [Fact]
    public async Task A_shutdown_during_training_cancels_it_promptly_and_publishes_nothing()
    {
        var factory = WithShop(new RecommenderApiFactory(trainOnSchedule: true, modelsDirectory: _models));
        // Far more sweeps than could finish: only a cancellation ends this fit.
        factory.Settings["Recommender:Training:Algorithm"] = "als";
        factory.Settings["Recommender:Training:Als:Iterations"] = "100000000";
        factory.Settings["Recommender:Training:Als:Factors"] = "32";
        _ = factory.Services;   // starts the host, and with it the first training
        await Eventually.HoldsAsync(() => factory.Shop.InteractionReads >= 1, "the training to start");

        // Were the fit not cancelled, this would not end for hours; the limit only bounds that hang.
        var stopped = factory.DisposeAsync().AsTask();
        await Eventually.HoldsAsync(() => stopped.IsCompleted, "the shutdown to cancel the training");
        await stopped;

        Assert.Empty(Directory.GetFiles(_models, "*model-*"));
    }
}
