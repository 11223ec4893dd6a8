namespace Recommender.Api.Observability;

/// <summary>
/// Marks an endpoint whose requests <see cref="ServingStats"/> leaves out: the dashboard's own
/// polling would otherwise be most of what an idle instance shows as its traffic.
/// </summary>
public sealed class NotServingTraffic
{
    public static readonly NotServingTraffic Instance = new();

    private NotServingTraffic() { }
}

/// <summary>
/// Times each request into <see cref="ServingStats"/>: two timestamps and a few increments. A
/// request that completes synchronously (most of them) costs no state machine.
/// </summary>
public sealed class ServingStatsMiddleware(RequestDelegate next, ServingStats stats, TimeProvider clock)
{
    public Task InvokeAsync(HttpContext context)
    {
        var started = clock.GetTimestamp();
        Task pending;
        try
        {
            pending = next(context);
        }
        catch
        {
            Record(context, started, failed: true);
            throw;
        }
        if (!pending.IsCompletedSuccessfully)
            return AwaitAsync(pending, context, started);
        Record(context, started, failed: false);
        return Task.CompletedTask;
    }

    private async Task AwaitAsync(Task pending, HttpContext context, long started)
    {
        var failed = true;
        try
        {
            await pending;
            failed = false;
        }
        finally
        {
            Record(context, started, failed);
        }
    }

    private void Record(HttpContext context, long started, bool failed)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<NotServingTraffic>() is null)
            stats.RequestServed(clock.GetElapsedTime(started), failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode);
    }
}
