using Quartz;

namespace Recommender.Api.Cluster;

/// <summary>
/// The jobs of this replica running now, so shutdown can wait for our own code without Quartz's
/// wait for jobs, which also waits for Quartz to record their completion in the database.
/// </summary>
public sealed class RunningJobs : IJobListener
{
    private readonly Lock _gate = new();
    private int _running;
    private TaskCompletionSource _idle = CompletedSource();

    public string Name => "running-jobs";

    /// <summary>Completes when no job is running.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _idle.Task.WaitAsync(cancellationToken);
    }

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            if (_running++ == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => Finished();

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default) => Finished();

    private ValueTask Finished()
    {
        lock (_gate)
            if (--_running == 0) _idle.TrySetResult();
        return ValueTask.CompletedTask;
    }

    private static TaskCompletionSource CompletedSource()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
