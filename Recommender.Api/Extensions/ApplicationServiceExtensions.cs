using dotenv.net;
using Microsoft.Extensions.Options;
using Quartz;
using Recommender.Api.Apis;
using Recommender.Api.Cluster;
using Recommender.Api.Options;
using Recommender.Api.Outcomes;
using Recommender.Api.RealTime;
using Recommender.Api.Scheduling;
using Recommender.Api.Serving;
using Recommender.Api.Shop;

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

    /// <summary>
    /// The settings (section "Recommender", validated at start-up and read through
    /// <see cref="IOptions{TOptions}"/> everywhere), then each feature's own composition root.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection(RecommenderOptions.SectionName);
        services.AddOptions<RecommenderOptions>()
            .Bind(section, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);

        // Three choices shape the wiring itself, so they are read once here: which shop, whether
        // replicas share a schedule, and whether this instance trains at all.
        var demoShopPath = section[nameof(RecommenderOptions.DemoShopPath)] ?? new RecommenderOptions().DemoShopPath;
        var cluster = section.GetSection(nameof(RecommenderOptions.Cluster)).Get<ClusterOptions>() ?? new ClusterOptions();
        var trainOnSchedule = section.GetValue(nameof(RecommenderOptions.TrainOnSchedule), defaultValue: true);

        var shopSource = services.AddShop(builder.Configuration, demoShopPath);
        services.AddModelServing();
        services.AddRealTime();
        services.AddOutcomes();
        if (cluster.Enabled)
            services.AddCluster(cluster, shopSource, trainOnSchedule);
        else
            services.AddLocalTraining(trainOnSchedule);

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new ProductRowJsonConverter());
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });
        services.AddOpenApi();
    }
}
