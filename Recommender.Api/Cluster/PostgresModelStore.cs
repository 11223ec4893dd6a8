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
/// The models every replica serves, as rows of <c>models</c> and their zips in <c>model_chunks</c>
/// (<see cref="ClusterOptions.ModelChunkBytes"/> each, so a model may pass PostgreSQL's 1 GB
/// limit on one value) in the service's schema: published in one transaction, so a version
/// appears whole or not at all, and numbered there,
/// so versions stay unique and increasing whichever replica trained them. Each replica polls for
/// a newer version every <see cref="RecommenderOptions.ModelPollSeconds"/>, serves it, and keeps
/// a copy in its local models directory: a replica restarted while the database is down serves
/// that copy. A version that fails to become a serving model in any way is skipped for good,
/// not downloaded again every poll.
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
            // One snapshot for the row and its chunks: a publisher pruning meanwhile cannot take them away half read.
            await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            await using var newest = new NpgsqlCommand(
                $"SELECT version, zip_bytes, chunks FROM {schema.Name}.models WHERE version > @serving ORDER BY version DESC LIMIT 1", connection, transaction);
            newest.Parameters.AddWithValue("serving", serving);
            long version, zipBytes;
            int chunks;
            await using (var row = await newest.ExecuteReaderAsync(cancellationToken))
            {
                if (!await row.ReadAsync(cancellationToken)) return;
                (version, zipBytes, chunks) = (row.GetInt64(0), row.GetInt64(1), row.GetInt32(2));
            }
            if (_rejected.Contains(version)) return;

            var download = localCopies.NewTemporaryPath(version);
            try
            {
                // Failing to fetch is an outage (the caller retries); the bytes failing to make a model is this version's fault.
                var fetched = await DownloadAsync(connection, transaction, version, download, cancellationToken);
                RecommenderModel model;
                try
                {
                    if (!fetched.InOrder || fetched.Chunks != chunks || fetched.Bytes != zipBytes)
                        throw new InvalidDataException($"The version has {fetched.Chunks} chunks of {fetched.Bytes} bytes; its row says {chunks} of {zipBytes}.");
                    model = ModelStore.Load(download);
                    if (model.Version != version)
                        throw new InvalidDataException($"The zip holds version {model.Version}.");
                    reloader.Adopt(model);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _rejected.Add(version);
                    LogRejected(e, version, zipBytes);
                    return;
                }
                KeepLocalCopy(download, version);
            }
            finally
            {
                if (File.Exists(download)) TryDelete(download);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the version's chunks, in order, into <paramref name="path"/>; returns how many, how many bytes, and whether none was missing.</summary>
    private async Task<(int Chunks, long Bytes, bool InOrder)> DownloadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long version, string path, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            $"SELECT chunk, data FROM {schema.Name}.model_chunks WHERE version = @version ORDER BY chunk", connection, transaction);
        select.Parameters.AddWithValue("version", version);
        await using var rows = await select.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var count = 0;
        while (await rows.ReadAsync(cancellationToken))
        {
            if (await rows.GetFieldValueAsync<int>(0, cancellationToken) != count)
                return (count, file.Length, false);
            await using var data = await rows.GetStreamAsync(1, cancellationToken);
            await data.CopyToAsync(file, cancellationToken);
            count++;
        }
        return (count, file.Length, true);
    }

    public async Task<(RecommenderModel Model, string Location)> PublishAsync(RecommenderModel model, CancellationToken cancellationToken)
    {
        await using var connection = await schema.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Publishers take turns (readers are not blocked), so max + 1 is this version's alone.
        await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {schema.Name}.models IN EXCLUSIVE MODE", connection, transaction))
            await lockTable.ExecuteNonQueryAsync(cancellationToken);
        await using (var newest = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {schema.Name}.models", connection, transaction))
        {
            var version = Math.Max((long)(await newest.ExecuteScalarAsync(cancellationToken))! + 1, model.Version);
            if (version != model.Version)
                model = WithVersion(model, version);
        }

        // The zip goes to a file, not memory: a model may be larger than one array holds.
        var upload = localCopies.NewTemporaryPath(model.Version);
        try
        {
            await using (var file = new FileStream(upload, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                ModelArtifact.Write(model, file);
                var chunkBytes = options.Value.Cluster.ModelChunkBytes;
                var chunks = (int)((file.Length + chunkBytes - 1) / chunkBytes);
                await using (var insert = new NpgsqlCommand(
                    $"""
                    INSERT INTO {schema.Name}.models (version, published_by, manifest, zip_bytes, chunks)
                    VALUES (@version, @publishedBy, @manifest, @zipBytes, @chunks)
                    """, connection, transaction))
                {
                    insert.Parameters.AddWithValue("version", model.Version);
                    insert.Parameters.AddWithValue("publishedBy", identity.InstanceId);
                    insert.Parameters.AddWithValue("manifest", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(model.Manifest, ModelArtifact.ManifestJson));
                    insert.Parameters.AddWithValue("zipBytes", file.Length);
                    insert.Parameters.AddWithValue("chunks", chunks);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }
                file.Position = 0;
                var buffer = new byte[(int)Math.Min(chunkBytes, Math.Max(file.Length, 1))];
                await using var insertChunk = new NpgsqlCommand(
                    $"INSERT INTO {schema.Name}.model_chunks (version, chunk, data) VALUES (@version, @chunk, @data)", connection, transaction);
                insertChunk.Parameters.AddWithValue("version", model.Version);
                var chunkNumber = insertChunk.Parameters.Add("chunk", NpgsqlDbType.Integer);
                var data = insertChunk.Parameters.Add("data", NpgsqlDbType.Bytea);
                for (var chunk = 0; chunk < chunks; chunk++)
                {
                    var length = await file.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                    chunkNumber.Value = chunk;
                    data.Value = new ReadOnlyMemory<byte>(buffer, 0, length);
                    await insertChunk.ExecuteNonQueryAsync(cancellationToken);
                }
            }
            await using (var prune = new NpgsqlCommand($"DELETE FROM {schema.Name}.models WHERE version <= @oldest", connection, transaction))
            {
                prune.Parameters.AddWithValue("oldest", model.Version - localCopies.Keep);
                await prune.ExecuteNonQueryAsync(cancellationToken);
            }
            // Once committed the version exists for every replica; a cancellation after this point
            // must not claim otherwise, so the commit gets no token.
            await transaction.CommitAsync(CancellationToken.None);

            KeepLocalCopy(upload, model.Version);
        }
        finally
        {
            if (File.Exists(upload)) TryDelete(upload);
        }
        return (model, $"{schema.Name}.models");
    }

    /// <summary>The local copy is a convenience (a restart during an outage serves it); failing to keep it is only logged.</summary>
    private void KeepLocalCopy(string zip, long version)
    {
        try
        {
            localCopies.PublishFile(zip, version);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogLocalCopyFailed(e, version, localCopies.Directory);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }   // the store's prune removes it later
    }

    private static RecommenderModel WithVersion(RecommenderModel model, long version) =>
        model.WithManifest(model.Manifest with { Version = version });

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "The shared model table cannot be read; this replica keeps serving its model and retries every poll")]
    private partial void LogUnreachable(Exception exception);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "The shared model table is reachable again after {Failures} failed polls")]
    private partial void LogReachableAgain(int failures);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Error, Message = "Model version {Version} ({Bytes} bytes) in the shared table cannot be served and is skipped for good; the current model keeps serving")]
    private partial void LogRejected(Exception exception, long version, long bytes);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Warning, Message = "Model version {Version} could not be copied into {Directory}; it serves from memory")]
    private partial void LogLocalCopyFailed(Exception exception, long version, string directory);
}
