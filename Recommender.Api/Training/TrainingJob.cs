using Quartz;

namespace Recommender.Api.Training;

/// <summary>
/// The scheduled training. Quartz runs it at start-up and then every interval, never two at once;
/// a failure is logged here and the model already serving stays.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class TrainingJob(ModelTrainingService training, ILogger<TrainingJob> logger) : IJob
{
    public static readonly JobKey Key = new("train-model", "recommender");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            // The result is for listeners such as TrainingMetricsListener.
            context.Result = await training.TrainAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled();
        }
        catch (Exception e)
        {
            context.Result = e;
            LogFailed(e);
        }
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Training failed; the current model keeps serving")]
    private partial void LogFailed(Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Training cancelled by shutdown; nothing was published")]
    private partial void LogCancelled();
}
