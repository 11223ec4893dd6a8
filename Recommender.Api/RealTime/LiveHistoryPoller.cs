using System.Diagnostics;
using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.RealTime;

/// <summary>
/// The <c>poll</c> change source: every <see cref="RealTimeOptions.PollMilliseconds"/> reads what
/// changed in the shop (one <see cref="IShopDatabase.ReadChangesAsync"/>: a few set-based
/// queries, not one per buyer) and hands it to <see cref="LiveHistoryUpdates"/>. A failed read
/// is logged and retried next interval from the same point; requests never wait for it.
/// </summary>
public sealed partial class LiveHistoryPoller(
    IShopDatabase shop,
    LiveHistoryUpdates updates,
    LiveHistories live,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<LiveHistoryPoller> logger)
{
    private ShopChangeCursor? _cursor;
    private int _failuresInARow;

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.RealTime.PollMilliseconds), clock);
        do
        {
            await PollAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task PollAsync(CancellationToken cancellationToken)
    {
        // Until a model serves there is nothing to bring up to date.
        if (updates.Model is not { } model) return;
        var settings = options.Value;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            if (_cursor is null)
            {
                // The first read only learns the buckets (and what changed by time since the
                // model's data was read); the start-up read then compares everyone with the model.
                var first = await shop.ReadChangesAsync(new ShopChangeCursor(StartOf(model.Manifest)),
                    settings.Training.Weights.CountedOrderStatuses, cancellationToken);
                await updates.CatchUpAsync(cancellationToken);
                _cursor = first.Next(TimeSpan.FromSeconds(settings.RealTime.OverlapSeconds));
                Recovered();
                return;
            }
            var changes = await shop.ReadChangesAsync(_cursor, settings.Training.Weights.CountedOrderStatuses, cancellationToken);
            await updates.ApplyAsync(changes.Buyers, changes.Interactions, cancellationToken);
            _cursor = changes.Next(TimeSpan.FromSeconds(settings.RealTime.OverlapSeconds));
            Recovered();
            LogPolled(changes.Buyers.Count, changes.RowsRead, stopwatch.Elapsed.TotalMilliseconds, live.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (_failuresInARow++ == 0) LogReadFailed(e);
            else LogStillFailing(_failuresInARow, e.Message);
        }
    }

    private void Recovered()
    {
        if (_failuresInARow > 0) LogRecovered(_failuresInARow);
        _failuresInARow = 0;
    }

    private static DateTime StartOf(ModelManifest manifest) =>
        manifest.TrainedAt.UtcDateTime - TimeSpan.FromSeconds(manifest.TrainingSeconds) - LiveHistoryUpdates.Lookback;

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
}
