using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.ModelVersions;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>
/// New model versions replace the serving one while requests run, and bad files never do. The
/// models directory is looked at when the service's clock passes <c>ModelPollSeconds</c>.
/// </summary>
public sealed class HotReloadTests : IDisposable
{
    private static readonly string[] Products = ["p1", "p2", "p3", "p4"];
    private readonly RecommenderApiFactory _factory = new();
    private readonly ModelStore _store;

    public HotReloadTests()
    {
        foreach (var product in Products)
            _factory.Shop.AddProduct(product);
        _store = new ModelStore(_factory.ModelsDirectory, keep: 10);
    }

    public void Dispose() => _factory.Dispose();

    private static readonly TimeSpan Poll = RecommenderApiFactory.PollInterval;

    /// <summary>Version 1 and every odd version prefer p1; even versions prefer p4.</summary>
    private static RecommenderModel Model(long version) =>
        TestModels.WithScores(version, ["alice"], Products, version % 2 == 1 ? [4, 3, 2, 1] : [1, 2, 3, 4]);

    private static async Task<(long Version, string First)> AskAsync(HttpClient client)
    {
        var response = await client.GetAsync("/recommendations/alice?top_k=2");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (body["model_version"]!.GetValue<long>(), body["recommended_products"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_model_version_is_picked_up_while_requests_run_and_none_fails()
    {
        _store.Publish(Model(1));
        var client = await _factory.CreateReadyClientAsync();
        using var stop = new CancellationTokenSource();
        var answers = new System.Collections.Concurrent.ConcurrentBag<(long Version, string First)>();

        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                answers.Add(await AskAsync(client));
        })).ToArray();

        await Eventually.HoldsAsync(() => answers.Count(a => a.Version == 1) >= 20, "answers from version 1");
        _store.Publish(Model(2));
        // Published is not served: the directory is looked at on the next poll.
        Assert.Equal((1, "p1"), await AskAsync(client));

        _factory.Clock.Advance(Poll);
        await Eventually.HoldsAsync(() => answers.Count(a => a.Version == 2) >= 20, "answers from version 2");
        await stop.CancelAsync();
        await Task.WhenAll(load);      // rethrows any failed request

        Assert.Contains(answers, a => a.Version == 1);
        Assert.Contains(answers, a => a.Version == 2);
        // Every answer was computed wholly by one model: never version 2 with version 1's ranking.
        Assert.All(answers, a => Assert.Equal(a.Version == 1 ? "p1" : "p4", a.First));
        Assert.Equal((2, "p4"), await AskAsync(client));
    }

    [Fact]
    public async Task A_corrupt_or_truncated_model_file_is_skipped_and_the_current_model_keeps_serving()
    {
        _store.Publish(Model(1));
        var client = await _factory.CreateReadyClientAsync();

        var valid = new MemoryStream();
        ModelArtifact.Write(Model(2), valid);
        await File.WriteAllBytesAsync(Path.Combine(_factory.ModelsDirectory, ModelStore.FileNameOf(2)), valid.ToArray()[..(int)(valid.Length / 2)]);
        await File.WriteAllTextAsync(Path.Combine(_factory.ModelsDirectory, ModelStore.FileNameOf(3)), "not a zip");
        // Polls come and go with the bad files there, each a look the reloader refuses.
        var reloader = _factory.Services.GetRequiredService<ModelReloader>();
        for (var poll = 0; poll < 2; poll++)
        {
            _factory.Clock.Advance(Poll);
            Assert.False(await reloader.ReloadIfNewerAsync(CancellationToken.None));
        }

        Assert.Equal((1, "p1"), await AskAsync(client));

        // The last advance's poll may still be running: that one or the next finds version 4.
        _store.Publish(Model(4));
        _factory.Clock.Advance(Poll);
        await Eventually.HoldsAsync(async () => (await AskAsync(client)).Version == 4, "version 4 to serve after the next poll");
        Assert.Equal((4, "p4"), await AskAsync(client));
    }

    [Fact]
    public async Task At_start_up_the_newest_valid_model_on_disk_serves()
    {
        _store.Publish(Model(1));
        _store.Publish(Model(2));
        await File.WriteAllTextAsync(Path.Combine(_factory.ModelsDirectory, ModelStore.FileNameOf(3)), "truncated");

        var client = await _factory.CreateReadyClientAsync();

        Assert.Equal((2, "p4"), await AskAsync(client));
    }
}
