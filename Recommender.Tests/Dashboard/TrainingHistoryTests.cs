using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Recommender.Api.Dashboard;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Dashboard;

/// <summary>The bounded history of published models behind the dashboard's quality chart.</summary>
public sealed class TrainingHistoryTests : IDisposable
{
    private static readonly string[] Products = ["p1", "p2"];
    private readonly string _directory = Directory.CreateTempSubdirectory("training-history-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TrainingHistory History(ModelStore store) => new(store, NullLogger<TrainingHistory>.Instance);

    private static void Publish(ModelStore store, long version, double ndcg = 0.1)
    {
        var model = TestModels.WithScores(version, ["alice"], Products, [2f, 1f]);
        store.Publish(model.WithManifest(model.Manifest with
        {
            TrainingSeconds = version / 10.0,
            Metrics = new() { ["ndcg@10"] = ndcg, ["popularity_ndcg@10"] = 0.05 },
        }));
    }

    [Fact]
    public void Every_published_model_is_recorded_once_with_its_metrics_and_training_time()
    {
        var store = new ModelStore(_directory, keep: 5);
        Publish(store, 1, ndcg: 0.11);
        Publish(store, 2, ndcg: 0.12);
        var history = History(store);

        Assert.Equal(2, history.Refresh());
        Assert.Equal(0, history.Refresh());

        Assert.Equal([1L, 2L], history.Records.Select(r => r.Version));
        Assert.Equal(0.12, history.Records[1].Metrics["ndcg@10"]);
        Assert.Equal(0.05, history.Records[1].Metrics["popularity_ndcg@10"]);
        Assert.Equal(0.2, history.Records[1].TrainingSeconds);
        Assert.Equal("als", history.Records[1].Algorithm);
    }

    [Fact]
    public void Models_pruned_from_the_directory_stay_in_the_history_across_restarts()
    {
        var store = new ModelStore(_directory, keep: 2);
        var history = History(store);
        for (var version = 1; version <= 5; version++)
        {
            Publish(store, version);
            history.Refresh();
        }

        var restarted = History(new ModelStore(_directory, keep: 2));

        Assert.Equal(2, store.List().Count);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], restarted.Records.Select(r => r.Version));
    }

    [Fact]
    public void The_history_keeps_only_the_newest_entries_up_to_its_capacity()
    {
        var store = new ModelStore(_directory, keep: 5);
        var old = Enumerable.Range(1, TrainingHistory.Capacity)
            .Select(v => new TrainingRecord(v, "als", DateTimeOffset.UnixEpoch, 1, 10, 2, 3, null, new Dictionary<string, double>()));
        File.WriteAllText(Path.Combine(_directory, TrainingHistory.FileName), JsonSerializer.Serialize(old));
        Publish(store, TrainingHistory.Capacity + 1);

        var history = History(store);
        history.Refresh();

        Assert.Equal(TrainingHistory.Capacity, history.Records.Count);
        Assert.Equal(2, history.Records[0].Version);
        Assert.Equal(TrainingHistory.Capacity + 1, History(store).Records[^1].Version);
    }

    [Fact]
    public void A_damaged_history_file_starts_an_empty_history_and_is_rewritten()
    {
        var store = new ModelStore(_directory, keep: 5);
        File.WriteAllText(Path.Combine(_directory, TrainingHistory.FileName), "{ not json");
        Publish(store, 1);

        var history = History(store);
        history.Refresh();

        Assert.Equal([1L], History(store).Records.Select(r => r.Version));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void A_corrupt_model_zip_is_left_out_and_the_others_recorded()
    {
        var store = new ModelStore(_directory, keep: 5);
        Publish(store, 1);
        File.WriteAllText(Path.Combine(_directory, ModelStore.FileNameOf(2)), "not a zip");

        var history = History(store);

        Assert.Equal(1, history.Refresh());
        Assert.Equal([1L], history.Records.Select(r => r.Version));
    }
}
