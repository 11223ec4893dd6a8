using Quartz;

namespace Recommender.Api.Cluster;

/// <summary>
/// Runs the clustered training schedule in place of Quartz's hosted service. That service builds
/// its schedulers during the host's start-up, and building a clustered one needs the database (its
/// tables, then recovery of what a dead replica left): a database outage would stop the whole
/// service from starting, when it could serve the models it has. Here the schedule starts once the
/// database answers, retried with a back-off (1 s doubling to 60 s) while everything else serves,
/// and shutdown waits for a running training, which the host's stopping token has cancelled.
/// </summary>
public sealed partial class ClusterSchedulerStarter(
    ServiceSchema schema,
    ISchedulerFactory schedulers,
    TimeProvider clock,
    ILogger<ClusterSchedulerStarter> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(60);
    private IScheduler? _scheduler;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await schema.EnsureCreatedAsync(stoppingToken);
                var scheduler = await schedulers.GetScheduler(stoppingToken);
                Volatile.Write(ref _scheduler, scheduler);
                await scheduler.Start(stoppingToken);
                LogStarted(schema.Name, scheduler.SchedulerInstanceId, attempt);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt == 1) LogNotStarted(e, wait.TotalSeconds);
                else LogStillNotStarted(attempt, e.Message, wait.TotalSeconds);
            }
            await Task.Delay(wait, clock, stoppingToken);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Volatile.Read(ref _scheduler) is { Status: not (SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown) } scheduler)
            await scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Clustered training schedule started in schema {Schema} as {InstanceId} (attempt {Attempt})")]
    private partial void LogStarted(string schema, string instanceId, int attempt);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "The clustered training schedule cannot start yet (is the database down?); serving what is loaded and retrying in {Seconds} s")]
    private partial void LogNotStarted(Exception exception, double seconds);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Clustered training schedule still not started (attempt {Attempt}): {Reason}; retrying in {Seconds} s")]
    private partial void LogStillNotStarted(int attempt, string reason, double seconds);
}
