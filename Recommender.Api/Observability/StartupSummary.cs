using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Shop;

namespace Recommender.Api.Observability;

/// <summary>
/// Logs once, at start-up, how this instance is set up (event 5001), and warns (5002) when no
/// API key is configured, so an instance left open by mistake is visible in its first lines.
/// </summary>
public sealed partial class StartupSummary(
    ShopSource shop,
    IOptions<RecommenderOptions> options,
    ILogger<StartupSummary> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var limit = settings.Security.RateLimit;
        LogSummary(
            shop.Describe(),
            Path.GetFullPath(settings.ModelsDirectory),
            settings.TrainOnSchedule ? $"every {settings.TrainingIntervalSeconds} s" : "off (serving only)",
            settings.Security.RequiresApiKey ? $"required ({settings.Security.ApiKeys.Length} keys)" : "not required",
            limit.Enabled ? $"{limit.PermitsPerSecond}/s per client, burst {limit.Burst}" : "off",
            settings.Cors.AllowedOrigins.Length > 0 ? string.Join(", ", settings.Cors.AllowedOrigins) : "off",
            settings.RequestTimeoutSeconds);
        if (!settings.Security.RequiresApiKey) LogOpen();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information,
        Message = "Recommender starting: shop {Shop}; models in {ModelsDirectory}; training {Training}; API key {ApiKey}; rate limit {RateLimit}; CORS {Cors}; request timeout {TimeoutSeconds} s")]
    private partial void LogSummary(string shop, string modelsDirectory, string training, string apiKey, string rateLimit, string cors, int timeoutSeconds);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning,
        Message = "No API key is configured: every endpoint, /metrics included, is open to anyone who can reach this port. Set API_KEY or Recommender:Security:ApiKeys before exposing it")]
    private partial void LogOpen();
}
