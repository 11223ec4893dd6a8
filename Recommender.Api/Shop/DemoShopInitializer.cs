using Recommender.Api.Demo;

namespace Recommender.Api.Shop;

/// <summary>With no shop database configured, creates the SQLite demo shop before anything reads it.</summary>
public sealed partial class DemoShopInitializer(ShopSource source, ILogger<DemoShopInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!source.IsDemo)
        {
            LogShop(source.Describe());
            return;
        }
        await DemoShop.EnsureCreatedAsync(source.DemoShopPath, new DemoShopOptions(), logger, cancellationToken);
        LogDemo(source.DemoShopPath);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Reading the shop from {Shop}")]
    private partial void LogShop(string shop);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "No DATABASE_URL or ConnectionStrings:Shop is set: serving the SQLite demo shop at {Path}")]
    private partial void LogDemo(string path);
}
