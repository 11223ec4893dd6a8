using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Recommender.Api.ModelVersions;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training.Artifacts;

namespace Recommender.Api.Cluster;

/// <summary>
/// The models every replica serves, as rows of <c>model_versions</c> in the service's schema:
/// published in one transaction, so a version appears whole or not at all, and numbered there,
/// so versions stay unique and increasing whichever replica trained them. Each replica polls for
/// a newer version every <see cref="RecommenderOptions.ModelPollSeconds"/>, serves it, and keeps
/// a copy in its local models directory: a replica restarted while the database is down serves
/// that copy.
/// </summary>
/// <remarks>
/// A table rather than a shared directory: a shop with one PostgreSQL database needs no shared
/// file system between machines, and the database's transaction gives the atomic publish.
/// </remarks>
public sealed partial class PostgresModelStore(
    ServiceSchema schema,
    ModelStore localCopies,
    ModelReloader reloader,
    ServingState state,
    ClusterIdentity identity,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<PostgresModelStore> logger) : BackgroundService, IModelPublisher
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<long> _rejected = [];
    private int _failuresInARow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ModelPollSeconds), clock);
        do
        {
            try
            {
                await SyncAsync(stoppingToken);
                if (_failuresInARow > 0) LogReachableAgain(_failuresInARow);
                _failuresInARow = 0;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever the failure, this loop must go on: an exception leaving a background
                // service stops the host, and with it a replica that could serve.
                if (_failuresInARow++ == 0) LogUnreachable(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var serving = state.Model?.Version ?? 0;
            await using var connection = await schema.DataSource.OpenConnectionAsync(cancellationToken);
            await using var newest = new NpgsqlCommand(
                $"SELECT version FROM {schema.Name}.model_versions WHERE version > @serving ORDER BY version DESC LIMIT 1", connection);
            newest.Parameters.AddWithValue("serving", serving);
            if (await newest.ExecuteScalarAsync(cancellationToken) is not long version || _rejected.Contains(version))
                return;

            await using var download = new NpgsqlCommand($"SELECT zip FROM {schema.Name}.model_versions WHERE version = @version", connection);
            download.Parameters.AddWithValue("version", version);
            if (await download.ExecuteScalarAsync(cancellationToken) is not byte[] zip) return;
            RecommenderModel model;
            try
            {
                model = ModelArtifact.Read(new MemoryStream(zip, writable: false));
            }
            catch (InvalidDataException e)
            {
                _rejected.Add(version);
                LogRejected(e, version);
                return;
            }
            KeepLocalCopy(model, cancellationToken);
            reloader.Adopt(model);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<(RecommenderModel Model, string Location)> PublishAsync(RecommenderModel model, CancellationToken cancellationToken)
    {
        await using var connection = await schema.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Publishers take turns (readers are not blocked), so max + 1 is this version's alone.
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {schema.Name}.model_versions IN EXCLUSIVE MODE", connection, transaction))
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        await using (var newest = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema.Name}.model_versions", connection, transaction))
        {
            var version = Math.Max((long)(await newest.ExecuteScalarAsync(cancellationToken))! + 1, model.Version);
            if (version != model.Version)
                model = WithVersion(model, version);
        }

        var zip = new MemoryStream();
        ModelArtifact.Write(model, zip);
        await using (var insert = new NpgsqlCommand(
            $"""
            INSERT INTO {schema.Name}.model_versions (version, published_by, manifest, zip)
            VALUES (@version, @publishedBy, @manifest, @zip)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("version", model.Version);
            insert.Parameters.AddWithValue("publishedBy", identity.InstanceId);
            insert.Parameters.AddWithValue("manifest", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(model.Manifest, ModelArtifact.ManifestJson));
            insert.Parameters.AddWithValue("zip", NpgsqlDbType.Bytea, new ReadOnlyMemory<byte>(zip.GetBuffer(), 0, (int)zip.Length));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var prune = new NpgsqlCommand($"DELETE FROM {schema.Name}.model_versions WHERE version <= @oldest", connection, transaction))
        {
            prune.Parameters.AddWithValue("oldest", model.Version - localCopies.Keep);
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }
        // Once committed the version exists for every replica; a cancellation after this point
        // must not claim otherwise, so the commit gets no token.
        await transaction.CommitAsync(CancellationToken.None);

        KeepLocalCopy(model, CancellationToken.None);
        return (model, $"{schema.Name}.model_versions");
    }

    /// <summary>The local copy is a convenience (a restart during an outage serves it); failing to write it is only logged.</summary>
    private void KeepLocalCopy(RecommenderModel model, CancellationToken cancellationToken)
    {
        try
        {
            if (!localCopies.List().Any(m => m.Version == model.Version))
                localCopies.Publish(model, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogLocalCopyFailed(e, model.Version, localCopies.Directory);
        }
    }

    private static RecommenderModel WithVersion(RecommenderModel model, long version) =>
        model.WithManifest(model.Manifest with { Version = version });

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "The shared model table cannot be read; this replica keeps serving its model and retries every poll")]
    private partial void LogUnreachable(Exception exception);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "The shared model table is reachable again after {Failures} failed polls")]
    private partial void LogReachableAgain(int failures);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "Model version {Version} in the shared table is corrupt and is skipped; the current model keeps serving")]
    private partial void LogRejected(Exception exception, long version);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Model version {Version} could not be copied into {Directory}; it serves from memory")]
    private partial void LogLocalCopyFailed(Exception exception, long version, string directory);
}
