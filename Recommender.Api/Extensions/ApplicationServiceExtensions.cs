using dotenv.net;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Recommender.Api.Apis;
using Recommender.Api.Cluster;
using Recommender.Api.Catalog;
using Recommender.Api.ModelVersions;
using Recommender.Api.Options;
using Recommender.Api.RealTime;
using Recommender.Api.Serving;
using Recommender.Api.Shop;
using Recommender.Api.Scheduling;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Api.Extensions;

public static class ApplicationServiceExtensions
{
    /// <summary>
    /// A <c>.env</c> file in the working directory supplies settings such as DATABASE_URL, as it
    /// did for the original service; real environment variables win over it.
    /// </summary>
    public static void AddDotEnvFile(this IConfigurationBuilder configuration, string directory)
    {
        // `dotnet run --project Recommender.Api` runs in the project folder; a .env beside the solution counts too.
        var path = new[] { directory, Path.GetDirectoryName(directory) ?? directory }
            .Select(folder => Path.Combine(folder, ".env"))
            .FirstOrDefault(File.Exists);
        if (path is null) return;
        var values = DotEnv.Fluent().WithEnvFiles(path).WithTrimValues().Read()
            .Where(pair => Environment.GetEnvironmentVariable(pair.Key) is null)
            .Select(pair => KeyValuePair.Create(pair.Key.Replace("__", ":"), (string?)pair.Value.Trim('"', '\'')));
        configuration.AddInMemoryCollection(values);
    }

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RecommenderOptions>()
            .Bind(builder.Configuration.GetSection(RecommenderOptions.SectionName), binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(RecommenderOptions.SectionName).Get<RecommenderOptions>() ?? new();
        var shopSource = ShopSource.FromConfiguration(builder.Configuration, options.DemoShopPath);
        services.AddSingleton(shopSource);
        services.AddSingleton<IShopDatabase>(_ => shopSource.CreateDatabase());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RecommenderOptions>>().Value;
            return new ModelStore(settings.ModelsDirectory, settings.KeepModels);
        });
        services.AddSingleton(sp => new CatalogSnapshot(sp.GetRequiredService<IOptions<RecommenderOptions>>().Value.ModelsDirectory));
        services.AddSingleton<ServingState>();
        services.AddSingleton<ModelTrainingService>();

        // Hosted services start in this order: the demo shop exists before anything reads it,
        // and the newest model on disk serves before the first training finishes.
        services.AddHostedService<DemoShopInitializer>();
        services.AddSingleton<ModelReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelReloader>());
        services.AddSingleton<ProductCatalogRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ProductCatalogRefresher>());
        services.AddRealTime();
        if (options.Cluster.Enabled)
            services.AddClusteredTraining(options, shopSource);
        else
            services.AddLocalTraining(options);

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new ProductRowJsonConverter());
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddOpenApi();
    }

    /// <summary>One instance: the schedule in memory, models in the local directory.</summary>
    private static void AddLocalTraining(this IServiceCollection services, RecommenderOptions options)
    {
        services.AddSingleton<IModelPublisher, DirectoryModelPublisher>();
        services.AddQuartz(quartz =>
        {
            if (options.TrainOnSchedule) quartz.AddTrainingJob(options);
        });
        services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
    }

    /// <summary>
    /// Several replicas on one shop database: the schedule in Quartz's clustered job store and the
    /// models in a table, both in the service's own schema, so one replica trains per interval and
    /// all of them serve its model.
    /// </summary>
    private static void AddClusteredTraining(this IServiceCollection services, RecommenderOptions options, ShopSource shopSource)
    {
        if (shopSource.NpgsqlConnectionString is not { } connectionString)
            throw new InvalidOperationException(
                "Recommender:Cluster:Enabled needs the shop's PostgreSQL database (DATABASE_URL or ConnectionStrings:Shop); the demo shop has none to share.");
        var identity = ClusterIdentity.From(options.Cluster.InstanceId);
        var schema = new ServiceSchema(
            new NpgsqlDataSourceBuilder(connectionString) { Name = "recommender-service-schema" }.Build(), options.Cluster.Schema);
        services.AddSingleton(identity);
        services.AddSingleton(schema);
        services.AddSingleton<PostgresModelStore>();
        services.AddSingleton<IModelPublisher>(sp => sp.GetRequiredService<PostgresModelStore>());
        services.AddHostedService(sp => sp.GetRequiredService<PostgresModelStore>());

        services.AddQuartz(quartz =>
        {
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(NpgsqlFactory.Instance, connectionString);
                store.ConfigureStore(job => job.TablePrefix = schema.QuartzTablePrefix);
                store.ProvisionSchema();
                store.UseClustering(cluster => cluster.CheckinInterval = TimeSpan.FromSeconds(options.Cluster.CheckinIntervalSeconds));
                store.UseSystemTextJsonSerializer();
            });
            if (options.TrainOnSchedule) quartz.AddTrainingJob(options);
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
        if (options.TrainOnSchedule)
            services.AddHostedService<ClusterSchedulerStarter>();
    }

    private static void AddTrainingJob(this IQuartzBuilder quartz, RecommenderOptions options)
    {
        quartz.AddJob<TrainingJob>(job => job.WithIdentity(TrainingJob.Key));
        quartz.AddTrigger(trigger => trigger
            .ForJob(TrainingJob.Key)
            .WithIdentity("train-model-every-interval", "recommender")
            .StartNow()
            .WithSimpleSchedule(schedule => schedule
                .WithInterval(TimeSpan.FromSeconds(options.TrainingIntervalSeconds))
                .RepeatForever()));
    }
}
