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

/// <summary>Times each request into <see cref="ServingStats"/>: two timestamps and a few increments.</summary>
public sealed class ServingStatsMiddleware(RequestDelegate next, ServingStats stats, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = clock.GetTimestamp();
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<NotServingTraffic>() is null)
                stats.RequestServed(clock.GetElapsedTime(started), failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode);
        }
    }
}
