using Microsoft.Extensions.Options;
using Recommender.Api.Catalog;
using Recommender.Api.ModelVersions;
using Recommender.Api.Options;
using Recommender.Training.Artifacts;

namespace Recommender.Api.Serving;

public static class ModelServingServiceExtensions
{
    /// <summary>
    /// What answers requests: the models directory, the serving state swapped by generation, the
    /// reloader that serves the newest valid model on disk (before the first training finishes), and
    /// the product rows kept in memory with their snapshot for outages.
    /// </summary>
    public static IServiceCollection AddModelServing(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RecommenderOptions>>().Value;
            return new ModelStore(settings.ModelsDirectory, settings.KeepModels);
        });
        services.AddSingleton(sp => new CatalogSnapshot(sp.GetRequiredService<IOptions<RecommenderOptions>>().Value.ModelsDirectory));
        services.AddSingleton<ServingState>();
        services.AddSingleton<ModelReloader>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelReloader>());
        services.AddSingleton<ProductCatalogRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ProductCatalogRefresher>());
        return services;
    }
}
