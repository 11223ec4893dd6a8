using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recommender.Api.Extensions;
using Recommender.Api.Options;
using Recommender.Api.Security;

namespace Recommender.Tests.Api;

/// <summary>
/// The service's own registrations, built without starting a host, to see what start-up
/// validation says about some settings. (A host whose start fails races its own disposal
/// inside WebApplicationFactory, so which exception surfaces there is not deterministic.)
/// </summary>
internal static class StartupValidation
{
    public static Exception? ErrorFor(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DATABASE_URL"] = "",
            ["API_KEY"] = "",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddApplicationServices();
        builder.AddServiceProtection();
        using var provider = builder.Services.BuildServiceProvider();
        return Record.Exception(() => provider.GetRequiredService<IOptions<RecommenderOptions>>().Value);
    }
}
