using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.RealTime.Replication;

namespace Recommender.Api.RealTime;

/// <summary>
/// Keeps <see cref="LiveHistories"/> current from the configured source once a model serves:
/// logical replication when <see cref="RealTimeOptions.Source"/> says so and it can start,
/// otherwise (logged, not fatal) the poller.
/// </summary>
public sealed partial class RealTimeUpdater(
    LiveHistoryUpdates updates,
    LiveHistoryPoller poller,
    IServiceProvider services,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<RealTimeUpdater> logger) : BackgroundService
{
    /// <summary>The source in use: null until a model serves and a source started.</summary>
    public RealTimeSource? Running { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.RealTime;
        if (!settings.Enabled) return;
        // Nothing to bring up to date until a model serves.
        using (var wait = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.PollMilliseconds), clock))
            while (updates.Model is null)
                await wait.WaitForNextTickAsync(stoppingToken);

        if (settings.Source == RealTimeSource.Replication)
        {
            if (services.GetService<ReplicationChangeFeed>() is not { } replication)
            {
                LogNoPostgres();
            }
            else
            {
                try
                {
                    Running = RealTimeSource.Replication;
                    await replication.RunAsync(stoppingToken);
                    return;
                }
                catch (ReplicationUnavailableException e)
                {
                    LogFallingBack(e);
                }
            }
        }
        Running = RealTimeSource.Poll;
        await poller.RunAsync(stoppingToken);
    }

    [LoggerMessage(EventId = 6020, Level = LogLevel.Warning,
        Message = "RealTime:Source is replication but replication could not start; polling the shop instead (README: what the database needs)")]
    private partial void LogFallingBack(Exception exception);

    [LoggerMessage(EventId = 6021, Level = LogLevel.Warning,
        Message = "RealTime:Source is replication but the shop is not PostgreSQL; polling the shop instead")]
    private partial void LogNoPostgres();
}
