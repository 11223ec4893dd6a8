using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using Recommender.Api.ModelVersions;
using Recommender.Api.Options;

namespace Recommender.Api.Scheduling;

public static class TrainingServiceExtensions
{
    /// <summary>
    /// One instance: the training job on an in-memory Quartz schedule, models published to the
    /// local directory. (Replicas use <c>AddCluster</c> instead: the same job on a shared schedule.)
    /// </summary>
    public static IServiceCollection AddLocalTraining(this IServiceCollection services, bool trainOnSchedule)
    {
        services.TryAddSingleton<ModelTrainingService>();
        services.AddSingleton<IModelPublisher, DirectoryModelPublisher>();
        services.AddQuartz(quartz =>
        {
            if (trainOnSchedule) quartz.AddTrainingJob();
        });
        services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>The training job on its interval, read from the options when the scheduler starts; the local and the clustered schedule both declare it.</summary>
    internal static void AddTrainingJob(this IQuartzBuilder quartz)
    {
        quartz.AddJob<TrainingJob>(job => job.WithIdentity(TrainingJob.Key));
        quartz.AddTrigger((services, trigger) => trigger
            .ForJob(TrainingJob.Key)
            .WithIdentity("train-model-every-interval", "recommender")
            .StartNow()
            .WithSimpleSchedule(schedule => schedule
                .WithInterval(TimeSpan.FromSeconds(services.GetRequiredService<IOptions<RecommenderOptions>>().Value.TrainingIntervalSeconds))
                .RepeatForever()));
    }
}
