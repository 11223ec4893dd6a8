using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Recommender.Api.Options;

namespace Recommender.Api.Security;

/// <summary>
/// What stands between a caller and the endpoints: request timeouts, CORS, the API key and a
/// rate limit per client. Every part is configured in <see cref="RecommenderOptions"/>.
/// </summary>
public static class ServiceProtectionExtensions
{
    /// <summary>The one API key that the <c>API_KEY</c> setting (environment or <c>.env</c>) adds to <c>Security:ApiKeys</c>.</summary>
    public const string ApiKeySetting = "API_KEY";

    public static void AddServiceProtection(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var settings = configuration.GetSection(RecommenderOptions.SectionName).Get<RecommenderOptions>() ?? new();
        string[] apiKeys = [.. settings.Security.ApiKeys.Append(configuration[ApiKeySetting])
            .Where(key => !string.IsNullOrEmpty(key)).Select(key => key!).Distinct(StringComparer.Ordinal)];
        // Validation at start-up sees the keys from API_KEY too.
        services.PostConfigure<RecommenderOptions>(options => options.Security.ApiKeys = apiKeys);

        services.AddSingleton<IValidateOptions<RecommenderOptions>, ForwardedHeadersValidation>();
        var forwarded = settings.Security.ForwardedHeaders;
        if (forwarded.Enabled && !forwarded.Errors().Any())
            services.Configure<ForwardedHeadersOptions>(options =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // Not the defaults (loopback): only the configured proxies are believed.
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var proxy in forwarded.KnownProxies) options.KnownProxies.Add(IPAddress.Parse(proxy));
                foreach (var network in forwarded.KnownNetworks) options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            });

        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = TimeSpan.FromSeconds(settings.RequestTimeoutSeconds),
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = context => context.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status504GatewayTimeout, Title = "The request took too long" },
                }).AsTask(),
        });

        if (settings.Cors.AllowedOrigins.Length > 0)
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins([.. settings.Cors.AllowedOrigins.Select(origin => origin.TrimEnd('/'))])
                .WithMethods(HttpMethods.Get)
                .WithHeaders(ApiKeyAuthenticationHandler.HeaderName)
                .WithExposedHeaders("Retry-After")));

        if (apiKeys.Length > 0)
        {
            services.AddSingleton(new ApiKeyRing(apiKeys, ApiKeyAuthenticationHandler.SchemeName));
            services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
                .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(
                    ApiKeyAuthenticationHandler.SchemeName, null);
            // Every endpoint needs a key unless it says otherwise (the health probes do).
            services.AddAuthorizationBuilder().SetFallbackPolicy(
                new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        }

        var limit = settings.Security.RateLimit;
        if (limit.Enabled)
            services.AddRateLimiter(limiter =>
            {
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientKey>(context =>
                    RateLimitPartition.GetTokenBucketLimiter(ClientKey.Of(context), _ => TokenBucket(limit)));
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.OnRejected = RejectAsync;
            });
    }

    /// <summary>
    /// In this order: the client's real address (from a trusted proxy's <c>X-Forwarded-For</c>), timeouts, CORS (a preflight needs no key), who the caller is, the caller's
    /// rate limit (requests with a wrong key count against their IP address), then the key check.
    /// </summary>
    public static void UseServiceProtection(this WebApplication app)
    {
        var services = app.Services;
        if (services.GetRequiredService<IOptions<RecommenderOptions>>().Value.Security.ForwardedHeaders.Enabled)
            app.UseForwardedHeaders();
        app.UseRequestTimeouts();
        if (services.GetService<Microsoft.AspNetCore.Cors.Infrastructure.ICorsService>() is not null)
            app.UseCors();
        var requiresKey = services.GetService<ApiKeyRing>() is not null;
        if (requiresKey) app.UseAuthentication();
        if (services.GetService<IOptions<RateLimiterOptions>>()?.Value.GlobalLimiter is not null)
            app.UseRateLimiter();
        if (requiresKey) app.UseAuthorization();
    }

    /// <summary>Refills a tenth of a second's permits ten times a second (once a second's worth below 10/s).</summary>
    internal static TokenBucketRateLimiterOptions TokenBucket(RateLimitSettings limit)
    {
        var refillsPerSecond = Math.Min(limit.PermitsPerSecond, 10);
        var tokensPerRefill = (int)Math.Ceiling(limit.PermitsPerSecond / (double)refillsPerSecond);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(limit.Burst, tokensPerRefill),
            TokensPerPeriod = tokensPerRefill,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1.0 / refillsPerSecond),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This client's rate limit is exceeded; retry after {seconds} s.",
            },
        });
    }

    /// <summary>A rate-limit partition: the API key's name when the caller sent a valid one, else the remote address.</summary>
    internal readonly record struct ClientKey(string? ApiKeyName, IPAddress? Address)
    {
        public static ClientKey Of(HttpContext context) =>
            context.User.Identity is { IsAuthenticated: true, Name: { } name }
                ? new ClientKey(name, null)
                : new ClientKey(null, context.Connection.RemoteIpAddress);
    }

    /// <summary>Start-up fails on a proxy or network that does not parse, naming it.</summary>
    private sealed class ForwardedHeadersValidation : IValidateOptions<RecommenderOptions>
    {
        public ValidateOptionsResult Validate(string? name, RecommenderOptions options) =>
            options.Security.ForwardedHeaders.Errors().ToList() is { Count: > 0 } errors
                ? ValidateOptionsResult.Fail(errors)
                : ValidateOptionsResult.Success;
    }
}
