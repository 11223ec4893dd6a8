using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training.Artifacts;

namespace Recommender.Api.ModelVersions;

/// <summary>
/// Serves the newest valid model in the models directory: loads it at start-up, then looks
/// for a newer version every <see cref="RecommenderOptions.ModelPollSeconds"/> (another
/// process may have published it). A zip that fails to load is logged once and skipped; the
/// model already serving stays. Like ML.NET's PoolLoader, the new model is built aside and
/// swapped in whole.
/// </summary>
public sealed partial class ModelReloader(
    ModelStore store,
    ServingState state,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<ModelReloader> logger) : BackgroundService
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<(string Path, long Length, DateTime Written)> _rejected = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ModelPollSeconds), clock);
        do
        {
            try
            {
                await ReloadIfNewerAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Whatever went wrong, the loop goes on: an exception leaving a background
                // service stops the host, and the model serving now is still good.
                LogReloadFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Loads the newest valid version newer than the one serving; returns whether one was swapped in.</summary>
    public async Task<bool> ReloadIfNewerAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var serving = state.Model?.Version ?? 0;
            foreach (var (version, path) in store.List())
            {
                if (version <= serving) break;
                if (TryLoad(path)) return true;
            }
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            LogListFailed(e, store.Directory);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Serves a model just trained in this process, unless a newer one is already serving.</summary>
    public void Adopt(RecommenderModel model)
    {
        lock (_rejected)
        {
            if (state.Model is { } current && current.Version >= model.Version) return;
            state.Update(model: model);
        }
        LogSwapped(model.Version, model.Manifest.Algorithm, model.Buyers.Count, model.Products.Count);
    }

    /// <summary>
    /// Loads and serves one file; a file that fails in any way (unreadable, malformed, hostile, or
    /// a model the serving side cannot build) is remembered by name, size and time and never read
    /// again, so a bad newest file is one error in the log, not one per poll or a crash loop.
    /// </summary>
    private bool TryLoad(string path)
    {
        var file = new FileInfo(path);
        var key = (path, file.Exists ? file.Length : -1, file.Exists ? file.LastWriteTimeUtc : default);
        lock (_rejected)
            if (_rejected.Contains(key)) return false;
        try
        {
            Adopt(ModelStore.Load(path));
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_rejected) _rejected.Add(key);
            LogRejected(e, path, key.Item2);
            return false;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Serving model version {Version} ({Algorithm}, {Buyers} buyers, {Products} products)")]
    private partial void LogSwapped(long version, string algorithm, int buyers, int products);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Model file {Path} ({Bytes} bytes) is corrupt, incomplete or unsafe and is skipped until it changes; the current model keeps serving")]
    private partial void LogRejected(Exception exception, string path, long bytes);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Looking for a newer model failed; the current model keeps serving and the next poll tries again")]
    private partial void LogReloadFailed(Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "The models directory {Directory} could not be read")]
    private partial void LogListFailed(Exception exception, string directory);
}
