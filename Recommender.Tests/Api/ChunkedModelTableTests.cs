using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recommender.Api.Catalog;
using Recommender.Api.Cluster;
using Recommender.Api.ModelVersions;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>
/// The shared model table: a version is stored in chunks (a model may pass PostgreSQL's 1 GB
/// limit on one value), read back whole by another replica, and a version that cannot be served
/// is skipped once for good.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it in IAsyncLifetime.DisposeAsync.")]
public sealed class ChunkedModelTableTests : IAsyncLifetime
{
    private const int ChunkBytes = 1000;
    private readonly List<string> _directories = [];
    private readonly CapturingLoggerProvider _logs = new();
    private PostgresTestDatabase _shop = null!;
    private ServiceSchema _schema = null!;

    public async Task InitializeAsync()
    {
        _shop = await PostgresTestDatabase.CreateAsync();
        _schema = new ServiceSchema(_shop.DataSource, $"{_shop.Schema}_service");
    }

    public async Task DisposeAsync()
    {
        await PostgresTestDatabase.DropSchemaAsync(_schema.Name);
        await _shop.DisposeAsync();
        foreach (var directory in _directories) Directory.Delete(directory, recursive: true);
        _logs.Dispose();
    }

    private static RecommenderModel Model(long version)
    {
        var buyers = Enumerable.Range(0, 60).Select(b => $"buyer-{b}").ToArray();
        var products = Enumerable.Range(0, 40).Select(p => $"product-{p}").ToArray();
        return TestModels.WithScores(version, buyers, products, [.. products.Select((_, p) => (float)p)]);
    }

    private (PostgresModelStore Store, ServingState State, ModelStore LocalCopies) Replica(IOptions<RecommenderOptions>? serving = null)
    {
        var directory = Directory.CreateTempSubdirectory("recommender-chunks-").FullName;
        _directories.Add(directory);
        var options = Options.Create(new RecommenderOptions { Cluster = { ModelChunkBytes = ChunkBytes } });
        var state = new ServingState(serving ?? options);
        var localCopies = new ModelStore(directory, keep: 5);
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        var reloader = new ModelReloader(localCopies, state, TimeProvider.System, options, loggers.CreateLogger<ModelReloader>());
        var store = new PostgresModelStore(_schema, localCopies, reloader, state, new ClusterIdentity("test"), TimeProvider.System, options,
            loggers.CreateLogger<PostgresModelStore>());
        return (store, state, localCopies);
    }

    [PostgresFact]
    public async Task A_model_is_stored_in_chunks_and_another_replica_reads_it_back_byte_for_byte()
    {
        await _schema.EnsureCreatedAsync(CancellationToken.None);
        var (publisher, _, publisherCopies) = Replica();
        var (reader, readerState, readerCopies) = Replica();

        var (published, _) = await publisher.PublishAsync(Model(1), CancellationToken.None);
        await reader.SyncAsync(CancellationToken.None);

        var zipBytes = await _shop.QuerySingleAsync<long>($"SELECT zip_bytes FROM {_schema.Name}.models WHERE version = 1");
        Assert.True(zipBytes > 3 * ChunkBytes, $"the test model is {zipBytes} bytes, too small to need several chunks");
        Assert.Equal((zipBytes + ChunkBytes - 1) / ChunkBytes, await _shop.QuerySingleAsync<long>($"SELECT count(*) FROM {_schema.Name}.model_chunks WHERE version = 1"));
        Assert.Equal(ChunkBytes, await _shop.QuerySingleAsync<int>($"SELECT max(length(data)) FROM {_schema.Name}.model_chunks"));
        Assert.Equal(published.Version, readerState.Model?.Version);
        Assert.Equal(
            await File.ReadAllBytesAsync(publisherCopies.List().Single().Path),
            await File.ReadAllBytesAsync(readerCopies.List().Single().Path));
    }

    [PostgresFact]
    public async Task A_version_with_a_damaged_chunk_is_rejected_once_and_not_downloaded_again()
    {
        await _schema.EnsureCreatedAsync(CancellationToken.None);
        var (publisher, _, _) = Replica();
        var (reader, readerState, _) = Replica();
        await publisher.PublishAsync(Model(1), CancellationToken.None);
        await _shop.ExecuteAsync($"UPDATE {_schema.Name}.model_chunks SET data = '\\x00'::bytea WHERE chunk = 1");

        await reader.SyncAsync(CancellationToken.None);
        await reader.SyncAsync(CancellationToken.None);

        Assert.Null(readerState.Model);
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith(nameof(PostgresModelStore), StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task A_version_the_serving_side_cannot_build_is_rejected_once_instead_of_failing_every_poll()
    {
        await _schema.EnsureCreatedAsync(CancellationToken.None);
        var (publisher, _, _) = Replica();
        var failing = new FailingOptions();
        var (reader, readerState, _) = Replica(failing);
        readerState.Update(catalog: await ProductCatalog.ReadAsync(new InMemoryShopDatabase().AddProduct("product-1"), TimeProvider.System, CancellationToken.None));
        failing.Fail = true;
        await publisher.PublishAsync(Model(1), CancellationToken.None);

        await reader.SyncAsync(CancellationToken.None);
        var reads = failing.Reads;
        await reader.SyncAsync(CancellationToken.None);

        Assert.Equal(reads, failing.Reads);
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith(nameof(PostgresModelStore), StringComparison.Ordinal));
        failing.Fail = false;
        await publisher.PublishAsync(Model(2), CancellationToken.None);
        await reader.SyncAsync(CancellationToken.None);
        Assert.Equal(2, readerState.Current?.Model.Version);
    }

    [PostgresFact]
    public async Task A_replica_meeting_the_old_single_row_table_creates_the_chunked_tables_beside_it_and_leaves_it_alone()
    {
        await _shop.ExecuteAsync($"""
            CREATE SCHEMA {_schema.Name};
            CREATE TABLE {_schema.Name}.model_versions (
                version bigint PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(),
                published_by text NOT NULL, manifest jsonb NOT NULL, zip bytea NOT NULL);
            INSERT INTO {_schema.Name}.model_versions (version, published_by, manifest, zip) VALUES (3, 'old', jsonb_build_object(), '\x00');
            """);

        await _schema.EnsureCreatedAsync(CancellationToken.None);
        var (publisher, _, _) = Replica();
        var (reader, readerState, _) = Replica();
        var (published, _) = await publisher.PublishAsync(Model(4), CancellationToken.None);
        await reader.SyncAsync(CancellationToken.None);

        Assert.Equal(published.Version, readerState.Model?.Version);
        Assert.Equal(1, await _shop.QuerySingleAsync<long>($"SELECT count(*) FROM {_schema.Name}.model_versions"));
    }
}
