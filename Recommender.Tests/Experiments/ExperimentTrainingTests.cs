using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.Experiments;
using Recommender.Api.Scheduling;
using Recommender.Api.Serving;
using Recommender.Tests.Api;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Experiments;

/// <summary>
/// An experiment's models follow its settings: configuring, changing or removing variants retrains
/// even when the shop has not changed, keeping them does not, and a model without a buyer's variant
/// serves them as <c>default</c>.
/// </summary>
public sealed class ExperimentTrainingTests : IDisposable
{
    private readonly string _models = Directory.CreateTempSubdirectory("recommender-experiment-models-").FullName;

    public void Dispose() => Directory.Delete(_models, recursive: true);

    private RecommenderApiFactory Service(params (string Name, string Algorithm)[] variants)
    {
        var factory = new RecommenderApiFactory(trainOnSchedule: true, modelsDirectory: _models);
        for (var p = 0; p < 6; p++) factory.Shop.AddProduct($"p{p}");
        for (var b = 0; b < 12; b++)
            for (var i = 0; i < 3; i++)
                factory.Shop.Add($"b{b}", $"p{(b + i) % 6}", InteractionKind.Order, createdAt: new DateTime(2025, 1, 1, 0, b, i, DateTimeKind.Utc));
        factory.Settings["Recommender:RealTime:Enabled"] = "false";
        factory.Settings["Recommender:Training:Algorithm"] = "itemknn";
        factory.Settings["Recommender:Training:HoldoutEvaluation"] = "false";
        for (var n = 0; n < variants.Length; n++)
        {
            factory.Settings[$"Recommender:Experiments:Variants:{n}:Name"] = variants[n].Name;
            factory.Settings[$"Recommender:Experiments:Variants:{n}:Algorithm"] = variants[n].Algorithm;
            factory.Settings[$"Recommender:Experiments:Variants:{n}:Share"] = (1.0 / variants.Length).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return factory;
    }

    /// <summary>The model serving once one newer than <paramref name="after"/> is (the start-up training's; ready comes earlier, with the stored model).</summary>
    private static async Task<(long Version, string[] Variants)> ServingAsync(RecommenderApiFactory factory, long after = 0)
    {
        await factory.CreateReadyClientAsync();
        var state = factory.Services.GetRequiredService<ServingState>();
        await Eventually.HoldsAsync(() => state.Model!.Version > after, $"a model newer than {after}");
        var model = state.Model!;
        return (model.Version, [.. model.Variants.Keys.Order(StringComparer.Ordinal)]);
    }

    [Fact]
    public async Task Configuring_changing_and_removing_an_experiment_retrains_and_keeping_it_does_not()
    {
        long version;
        using (var plain = Service())
            (version, _) = await ServingAsync(plain);

        using (var configured = Service(("a", "default"), ("b", "popularity")))
        {
            var serving = await ServingAsync(configured, after: version);
            Assert.Equal(["b"], serving.Variants);      // "a" serves the default model: nothing more to fit
            version = serving.Version;
            Assert.Equal(TrainingOutcome.Unchanged, await configured.Services.GetRequiredService<ModelTrainingService>().TrainAsync(CancellationToken.None));
        }

        using (var changed = Service(("a", "default"), ("b", "svd")))
        {
            var serving = await ServingAsync(changed, after: version);
            Assert.Equal("svd", changed.Services.GetRequiredService<ServingState>().Model!.FittedFor("b").Algorithm);
            version = serving.Version;
        }

        using var removed = Service();
        var after = await ServingAsync(removed, after: version);
        Assert.Empty(after.Variants);
        var client = removed.CreateClient();
        var body = (await client.GetFromJsonAsync<JsonObject>("/recommendations/b1?top_k=2"))!;
        Assert.Equal(ExperimentOptions.Default, body["variant"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_trained_before_the_experiment_serves_its_buyers_as_default_until_it_has_their_variant()
    {
        using var factory = Service(("a", "popularity"), ("b", "svd"));
        factory.Settings["Recommender:TrainOnSchedule"] = "false";
        using (var trainer = Service())
            await ServingAsync(trainer);                // publishes a model without variants into the shared directory
        var client = await factory.CreateReadyClientAsync();
        var assignment = factory.Services.GetRequiredService<ExperimentAssignment>();

        var body = (await client.GetFromJsonAsync<JsonObject>("/recommendations/b1?top_k=2"))!;

        Assert.NotEqual(ExperimentOptions.Default, assignment.VariantOf("b1"));
        Assert.Equal(ExperimentOptions.Default, body["variant"]!.GetValue<string>());
    }
}
