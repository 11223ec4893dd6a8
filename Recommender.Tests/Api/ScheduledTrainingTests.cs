using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.Scheduling;
using Recommender.Api.Serving;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Api;

/// <summary>Training through the service: at start-up, only when something changed, and failures that keep the model serving.</summary>
public sealed class ScheduledTrainingTests : IDisposable
{
    private readonly RecommenderApiFactory _factory = new(trainOnSchedule: true);

    public ScheduledTrainingTests()
    {
        // Two tastes: buyers 0-9 buy mugs, buyers 10-19 buy scarves; each leaves one item of their taste untouched.
        for (var i = 0; i < 5; i++)
        {
            _factory.Shop.AddProduct($"mug-{i}");
            _factory.Shop.AddProduct($"scarf-{i}");
        }
        for (var buyer = 0; buyer < 20; buyer++)
        {
            var kind = buyer < 10 ? "mug" : "scarf";
            for (var i = 0; i < 5; i++)
                if (i != buyer % 5)
                    _factory.Shop.Add($"buyer-{buyer}", $"{kind}-{i}", (InteractionKind)(i % 3));
        }
    }

    public void Dispose() => _factory.Dispose();

    private ModelTrainingService Training => _factory.Services.GetRequiredService<ModelTrainingService>();
    private ServingState State => _factory.Services.GetRequiredService<ServingState>();

    [Fact]
    public async Task The_first_training_runs_at_start_up_and_recommends_by_taste()
    {
        var client = await _factory.CreateReadyClientAsync();

        var body = (await client.GetFromJsonAsync<JsonObject>("/recommendations/buyer-0?top_k=1"))!;

        Assert.Equal("personalized", body["source"]!.GetValue<string>());
        Assert.Equal("mug-0", body["recommended_products"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_schedule_trains_again_once_the_interval_has_passed_on_the_service_clock()
    {
        // Real time's start-up read would count among the shop's reads: only trainings read here.
        _factory.Settings["Recommender:RealTime:Enabled"] = "false";
        await _factory.CreateReadyClientAsync();
        var first = State.Model!.Version;
        var reads = _factory.Shop.InteractionReads;
        _factory.Shop.Add("buyer-0", "mug-0", InteractionKind.Cart);

        Assert.Equal(first, State.Model!.Version);

        // The interval is an hour (RecommenderApiFactory): on the system clock this test would time out.
        _factory.Clock.Advance(TimeSpan.FromHours(1));
        await Eventually.HoldsAsync(() => State.Model!.Version == first + 1, "the scheduled training to publish version 2");
        Assert.Equal(reads + 1, _factory.Shop.InteractionReads);
    }

    [Fact]
    public async Task A_training_with_unchanged_data_publishes_nothing_and_a_change_publishes_a_new_version()
    {
        await _factory.CreateReadyClientAsync();
        var first = State.Model!.Version;

        Assert.Equal(TrainingOutcome.Unchanged, await Training.TrainAsync(CancellationToken.None));
        Assert.Equal(first, State.Model!.Version);

        _factory.Shop.Add("buyer-0", "mug-0", InteractionKind.Cart);
        Assert.Equal(TrainingOutcome.Published, await Training.TrainAsync(CancellationToken.None));
        Assert.Equal(first + 1, State.Model!.Version);

        _factory.Shop.RemoveInteractions(row => row.BuyerId == "buyer-0" && row.ProductId == "mug-0");
        Assert.Equal(TrainingOutcome.Published, await Training.TrainAsync(CancellationToken.None));
        Assert.Equal(first + 2, State.Model!.Version);
        Assert.Equal(3, Directory.GetFiles(_factory.ModelsDirectory, "model-*.zip").Length);
    }

    [Fact]
    public async Task A_failed_training_keeps_the_current_model_serving()
    {
        var client = await _factory.CreateReadyClientAsync();
        var before = State.Model!.Version;
        _factory.Shop.Failure = new InvalidOperationException("the database went away");

        await Assert.ThrowsAsync<InvalidOperationException>(() => Training.TrainAsync(CancellationToken.None));
        var response = await client.GetAsync("/recommendations/buyer-3?top_k=2");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, State.Model!.Version);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/ready")).StatusCode);
    }
}
