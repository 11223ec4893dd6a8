using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training.Data;

namespace Recommender.Api.Catalog;

/// <summary>
/// Re-reads the product rows on a fixed interval, so a product that becomes a draft or goes
/// out of stock stops being shown within <see cref="RecommenderOptions.ProductRefreshSeconds"/>.
/// A failed read is logged and the previous rows keep serving.
/// </summary>
public sealed partial class ProductCatalogRefresher(
    IShopDatabase shop,
    ServingState state,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<ProductCatalogRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ProductRefreshSeconds), clock);
        do
        {
            await RefreshAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var catalog = await ProductCatalog.ReadAsync(shop, clock, cancellationToken);
            state.Update(catalog: catalog);
            LogRefreshed(catalog.ById.Count);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRefreshFailed(e);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Product rows refreshed: {Count} products")]
    private partial void LogRefreshed(int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Product rows could not be refreshed; the previous rows keep serving")]
    private partial void LogRefreshFailed(Exception exception);
}
