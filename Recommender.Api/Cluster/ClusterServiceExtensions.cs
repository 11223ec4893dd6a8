using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Quartz;
using Recommender.Api.ModelVersions;
using Recommender.Api.Scheduling;
using Recommender.Api.Shop;

namespace Recommender.Api.Cluster;

/// <summary>The cluster's composition root: what <c>Recommender:Cluster:Enabled</c> adds to the service.</summary>
public static class ClusterServiceExtensions
{
    /// <summary>
    /// Several replicas on one shop database: the schedule in Quartz's clustered job store and the
    /// models in a table, both in the service's own schema, so one replica trains per interval and
    /// all of them serve its model.
    /// </summary>
    /// <param name="options">The cluster settings as configured: the schema and the job store need them while services are registered.</param>
    public static void AddCluster(this IServiceCollection services, ClusterOptions options, ShopSource shopSource, bool trainOnSchedule)
    {
        if (shopSource.NpgsqlConnectionString is not { } connectionString)
            throw new InvalidOperationException(
                "Recommender:Cluster:Enabled needs the shop's PostgreSQL database (DATABASE_URL or ConnectionStrings:Shop); the demo shop has none to share.");
        var identity = ClusterIdentity.From(options.InstanceId);
        var schema = new ServiceSchema(
            new NpgsqlDataSourceBuilder(connectionString) { Name = "recommender-service-schema" }.Build(), options.Schema);
        QuartzOutageLogging.Register(services);
        services.TryAddSingleton<ModelTrainingService>();
        services.AddSingleton(identity);
        services.AddSingleton<RunningJobs>();
        services.AddSingleton(schema);
        services.AddSingleton<PostgresModelStore>();
        services.AddSingleton<IModelPublisher>(sp => sp.GetRequiredService<PostgresModelStore>());
        services.AddHostedService(sp => sp.GetRequiredService<PostgresModelStore>());

        services.AddQuartz(quartz =>
        {
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(NpgsqlFactory.Instance, connectionString);
                store.ConfigureStore(job =>
                {
                    job.TablePrefix = schema.QuartzTablePrefix;
                    // The cluster manager and misfire handler are real threads; foreground ones kept
                    // the process alive after SIGTERM while they retried an unreachable database.
                    job.UseBackgroundThreads = true;
                });
                store.ProvisionSchema();
                store.UseClustering(cluster => cluster.CheckinInterval = TimeSpan.FromSeconds(options.CheckinIntervalSeconds));
                store.UseSystemTextJsonSerializer();
            });
            if (trainOnSchedule) quartz.AddTrainingJob();
            quartz.AddJobListener(sp => sp.GetRequiredService<RunningJobs>(), Matchers.Key(TrainingJob.Key));
        });
        services.Configure<QuartzSchedulerOptions>(scheduler =>
        {
            // Every replica is the same scheduler (its rows are keyed by this name), each a distinct instance.
            scheduler.InstanceName = "recommender";
            scheduler.InstanceId = identity.InstanceId;
        });
        // A restarting replica re-declares the trigger; it keeps the stored firing history
        // instead of firing an extra training at once.
        services.Configure<QuartzOptions>(quartz => quartz.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        // Not AddQuartzHostedService: it needs the database to start the host at all. A replica
        // that does not train runs no scheduler, or it would take its turn at the shared trigger.
        if (trainOnSchedule)
            services.AddHostedService<ClusterSchedulerStarter>();
    }
}
