using Quartz;

namespace Recommender.Api.Scheduling;

/// <summary>
/// The scheduled training. Quartz runs it at start-up and then every interval, never two at once
/// (with <c>Cluster:Enabled</c>, never two at once across every replica); a failure is logged here
/// and the model already serving stays.
/// </summary>
/// <remarks>
/// Quartz's shutdown waits for a running job (<c>WaitForJobsToComplete</c>) but does not cancel
/// it, so a training of several minutes would hold a deploy up for as long. The host's stopping
/// token is linked in: the fit stops at its next sweep, nothing is published, and the wait is short.
/// </remarks>
[DisallowConcurrentExecution]
public sealed partial class TrainingJob(
    ModelTrainingService training,
    IHostApplicationLifetime lifetime,
    ILogger<TrainingJob> logger) : IJob
{
    public static readonly JobKey Key = new("train-model", "recommender");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        try
        {
            // The result is for listeners such as TrainingMetricsListener.
            context.Result = await training.TrainAsync(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            LogCancelled();
        }
        catch (Exception e)
        {
            context.Result = e;
            LogFailed(e);
        }
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Training failed; the current model keeps serving and the next interval tries again")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Training cancelled by shutdown; nothing was published")]
    private partial void LogCancelled();
}
