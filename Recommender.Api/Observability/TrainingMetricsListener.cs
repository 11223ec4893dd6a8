using Quartz;
using Recommender.Api.Scheduling;

namespace Recommender.Api.Observability;

/// <summary>
/// Times every run of <see cref="TrainingJob"/> and counts its outcome, which the job leaves in
/// <see cref="IJobExecutionContext.Result"/>: a <see cref="TrainingOutcome"/>, or the exception
/// it caught. A run cancelled by shutdown is not counted.
/// </summary>
public sealed class TrainingMetricsListener(RecommenderMetrics metrics) : IJobListener
{
    public string Name => "training-metrics";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        var outcome = (context.Result, jobException) switch
        {
            (TrainingOutcome.Published, null) => "published",
            (TrainingOutcome.Unchanged, null) => "unchanged",
            (Exception, _) or (_, not null) => "failed",
            _ => null,
        };
        if (outcome is not null) metrics.TrainingFinished(outcome, context.JobRunTime);
        return ValueTask.CompletedTask;
    }
}
