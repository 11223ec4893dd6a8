using dotenv.net;
using Microsoft.Extensions.Options;
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
            services.AddCluster(options, shopSource);
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

    /// <summary>The training job on its interval; the local and the clustered schedule both declare it.</summary>
    internal static void AddTrainingJob(this IQuartzBuilder quartz, RecommenderOptions options)
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
