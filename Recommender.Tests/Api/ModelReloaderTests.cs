using Microsoft.Extensions.Logging;
using Recommender.Api.Catalog;
using Recommender.Api.ModelVersions;
using Recommender.Api.Serving;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>The reload loop never stops the host, and a bad file costs one error, not one per poll.</summary>
public sealed class ModelReloaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("recommender-reloader-").FullName;
    private readonly FailingOptions _options = new();
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static RecommenderModel Model(long version) => TestModels.WithScores(version, ["alice"], ["p1", "p2"], [2f, 1f]);

    private async Task<(ModelReloader Reloader, ServingState State, ModelStore Store)> ReloaderAsync()
    {
        var state = new ServingState(_options);
        state.Update(catalog: await ProductCatalog.ReadAsync(new InMemoryShopDatabase().AddProduct("p1").AddProduct("p2"), TimeProvider.System, CancellationToken.None));
        var store = new ModelStore(_directory, keep: 5);
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        return (new ModelReloader(store, state, TimeProvider.System, _options, loggers.CreateLogger<ModelReloader>()), state, store);
    }

    [Fact]
    public async Task A_model_the_serving_side_cannot_build_is_rejected_once_and_the_next_version_serves()
    {
        var (reloader, state, store) = await ReloaderAsync();
        store.Publish(Model(1));
        _options.Fail = true;

        Assert.False(await reloader.ReloadIfNewerAsync(CancellationToken.None));
        var readsAfterFirstPoll = _options.Reads;
        Assert.False(await reloader.ReloadIfNewerAsync(CancellationToken.None));

        Assert.Equal(readsAfterFirstPoll, _options.Reads);
        var rejection = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains(ModelStore.FileNameOf(1), rejection.Message);

        _options.Fail = false;
        store.Publish(Model(2));
        Assert.True(await reloader.ReloadIfNewerAsync(CancellationToken.None));
        Assert.Equal(2, state.Current?.Model.Version);
    }

    [Fact]
    public async Task A_hostile_newest_file_is_skipped_for_the_valid_one_below_it()
    {
        var (reloader, state, store) = await ReloaderAsync();
        store.Publish(Model(1));
        await File.WriteAllBytesAsync(Path.Combine(_directory, ModelStore.FileNameOf(2)), [0x50, 0x4b, 0x05, 0x06, .. new byte[18]]);

        Assert.True(await reloader.ReloadIfNewerAsync(CancellationToken.None));

        Assert.Equal(1, state.Model?.Version);
    }
}
