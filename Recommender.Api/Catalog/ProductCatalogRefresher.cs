using Microsoft.Extensions.Options;
using Recommender.Api.Options;
using Recommender.Api.Serving;
using Recommender.Training.Data;

namespace Recommender.Api.Catalog;

/// <summary>
/// Re-reads the product rows on a fixed interval, so a product that becomes a draft or goes
/// out of stock stops being shown within <see cref="RecommenderOptions.ProductRefreshSeconds"/>.
/// A failed read is logged and the previous rows keep serving. Each change is saved as a
/// <see cref="CatalogSnapshot"/>; when the database cannot be read at start-up the snapshot
/// serves until it can, so a restart during an outage still answers.
/// </summary>
public sealed partial class ProductCatalogRefresher(
    IShopDatabase shop,
    ServingState state,
    CatalogSnapshot snapshot,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<ProductCatalogRefresher> logger) : BackgroundService
{
    private int _failuresInARow;

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
        ProductCatalog catalog;
        try
        {
            catalog = await ProductCatalog.ReadAsync(shop, clock, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // One warning per outage, not one per interval.
            if (_failuresInARow++ == 0) LogRefreshFailed(e);
            else LogStillFailing(_failuresInARow, e.Message);
            if (state.Catalog is null) ServeSnapshot();
            return;
        }

        if (_failuresInARow > 0) LogRecovered(_failuresInARow);
        _failuresInARow = 0;
        var changed = state.Refresh(catalog);
        LogRefreshed(catalog.ById.Count);
        if (changed) SaveSnapshot(catalog);
    }

    private void ServeSnapshot()
    {
        try
        {
            if (snapshot.Read() is not { } saved) return;
            state.Update(catalog: saved);
            LogServingSnapshot(saved.ById.Count, saved.LoadedAt);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogSnapshotUnreadable(e, snapshot.Path);
        }
    }

    private void SaveSnapshot(ProductCatalog catalog)
    {
        try
        {
            snapshot.Write(catalog);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSnapshotNotSaved(e, snapshot.Path);
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Product rows refreshed: {Count} products")]
    private partial void LogRefreshed(int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Product rows could not be refreshed; the previous rows keep serving and the read is retried every interval")]
    private partial void LogRefreshFailed(Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Product rows still cannot be read ({Failures} tries in a row): {Reason}")]
    private partial void LogStillFailing(int failures, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "Product rows read again after {Failures} failed tries")]
    private partial void LogRecovered(int failures);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "The shop cannot be read: serving the {Count} product rows saved at {SavedAt} until it can")]
    private partial void LogServingSnapshot(int count, DateTimeOffset savedAt);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Error, Message = "The product snapshot {Path} cannot be read")]
    private partial void LogSnapshotUnreadable(Exception exception, string path);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "The product snapshot {Path} could not be saved; the one before it stays")]
    private partial void LogSnapshotNotSaved(Exception exception, string path);
}
