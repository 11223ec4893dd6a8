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
    RunningJobs runningJobs,
    TimeProvider clock,
    ILogger<ClusterSchedulerStarter> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan QuartzShutdownBound = TimeSpan.FromSeconds(5);
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
                if (attempt > 1) LogDatabaseBack(attempt - 1);
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

    /// <summary>
    /// Waits for a running training (the host's stopping token has cancelled it), then shuts the
    /// scheduler down without Quartz's own wait for jobs. That wait also covers Quartz marking the
    /// finished job complete in the database, which it retries until the database answers: during
    /// an outage the replica would never exit. Nothing is lost by not marking it: a replica's
    /// unfinished firing is recovered by the cluster like a replica that died.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (Volatile.Read(ref _scheduler) is not { Status: not (SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown) } scheduler)
            return;
        try
        {
            await runningJobs.WhenIdleAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout has passed: stop anyway.
        }
        // Quartz's own shutdown can still wait on a database call in flight (its retry loops);
        // it gets a few seconds of the host's shutdown timeout, then the process exits without it.
        try
        {
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(QuartzShutdownBound);
            await scheduler.Shutdown(waitForJobsToComplete: false, CancellationToken.None).AsTask().WaitAsync(bounded.Token);
            LogStopped();
        }
        catch (OperationCanceledException)
        {
            LogStopAbandoned();
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Clustered training schedule started in schema {Schema} as {InstanceId} (attempt {Attempt})")]
    private partial void LogStarted(string schema, string instanceId, int attempt);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "The clustered training schedule cannot start yet (is the database down?); serving what is loaded and retrying in {Seconds} s")]
    private partial void LogNotStarted(Exception exception, double seconds);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "The clustered training schedule reached the database after {Failures} failed attempts")]
    private partial void LogDatabaseBack(int failures);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "The clustered training schedule did not stop within 5 s (a database call in flight); exiting without it")]
    private partial void LogStopAbandoned();

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Clustered training schedule stopped")]
    private partial void LogStopped();

    [LoggerMessage(EventId = 5103, Level = LogLevel.Debug, Message = "Clustered training schedule still not started (attempt {Attempt}): {Reason}; retrying in {Seconds} s")]
    private partial void LogStillNotStarted(int attempt, string reason, double seconds);
}
