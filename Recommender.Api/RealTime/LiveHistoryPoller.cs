using System.Diagnostics;
using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.RealTime;

/// <summary>
/// Every <see cref="RealTimeOptions.PollMilliseconds"/> reads what changed in the shop (one
/// <see cref="IShopDatabase.ReadChangesAsync"/>: a few set-based queries, not one per buyer) and
/// hands each changed buyer's current interactions to <see cref="LiveHistories"/>. A failed read
/// is logged and retried next interval from the same point; requests never wait for it.
/// </summary>
public sealed partial class LiveHistoryPoller(
    IShopDatabase shop,
    ServingState state,
    LiveHistories live,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<LiveHistoryPoller> logger) : BackgroundService
{
    /// <summary>
    /// How far before the model's training the first read starts: a model's data is read before
    /// its fit (and model selection) and stamped after, on the service's clock, not the database's.
    /// Reading too far back costs one larger read; too short would miss changes.
    /// </summary>
    public static readonly TimeSpan StartLookback = TimeSpan.FromMinutes(10);

    private ShopChangeCursor? _cursor;
    private RecommenderModel? _sweptFor;
    private int _failuresInARow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.RealTime;
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.PollMilliseconds), clock);
        do
        {
            await PollAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task PollAsync(CancellationToken cancellationToken)
    {
        // Until a model serves there is nothing to bring up to date; the first read then starts
        // before that model's training, so changes made meanwhile are caught.
        if (state.Current?.Model is not { } model) return;
        var settings = options.Value;
        _cursor ??= new ShopChangeCursor(StartOf(model.Manifest));

        var stopwatch = Stopwatch.StartNew();
        ShopChanges changes;
        try
        {
            changes = await shop.ReadChangesAsync(_cursor, settings.Training.Weights.CountedOrderStatuses, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (_failuresInARow++ == 0) LogReadFailed(e);
            else LogStillFailing(_failuresInARow, e.Message);
            return;
        }
        if (_failuresInARow > 0) LogRecovered(_failuresInARow);
        _failuresInARow = 0;
        _cursor = changes.Next(TimeSpan.FromSeconds(settings.RealTime.OverlapSeconds));

        // The model may have changed since the read began; compare with the one serving now.
        model = state.Current?.Model ?? model;
        live.Apply(changes, model);
        if (!ReferenceEquals(model, _sweptFor))
        {
            var dropped = live.ForgetWhatTheModelHas(model);
            if (_sweptFor is not null) LogModelCaughtUp(model.Version, dropped, live.Count);
            _sweptFor = model;
        }
        if (live.Trim(settings.RealTime.MaxBuyers) is > 0 and var trimmed)
            LogTrimmed(trimmed, settings.RealTime.MaxBuyers);
        LogPolled(changes.Buyers.Count, changes.RowsRead, stopwatch.Elapsed.TotalMilliseconds, live.Count);
    }

    private static DateTime StartOf(ModelManifest manifest) =>
        manifest.TrainedAt.UtcDateTime - TimeSpan.FromSeconds(manifest.TrainingSeconds) - StartLookback;

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug,
        Message = "Real-time read: {Buyers} buyers changed, {Rows} rows read in {Milliseconds:F1} ms; {Held} buyers held")]
    private partial void LogPolled(int buyers, int rows, double milliseconds, int held);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning,
        Message = "The shop's changes could not be read; answers use the model's histories until they can, and the read is retried every interval")]
    private partial void LogReadFailed(Exception exception);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Debug, Message = "The shop's changes still cannot be read ({Failures} tries in a row): {Reason}")]
    private partial void LogStillFailing(int failures, string reason);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "The shop's changes read again after {Failures} failed tries")]
    private partial void LogRecovered(int failures);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information,
        Message = "Model {Version} has the changes of {Dropped} buyers; {Held} buyers are still newer than it")]
    private partial void LogModelCaughtUp(long version, int dropped, int held);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning,
        Message = "More than {Max} buyers changed since the model: the {Dropped} changed longest ago are served from the model until the next training")]
    private partial void LogTrimmed(int dropped, int max);
}
