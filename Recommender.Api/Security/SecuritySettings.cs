using System.ComponentModel.DataAnnotations;

namespace Recommender.Api.Security;

/// <summary>Who may call the service and how often: section <c>Recommender:Security</c>.</summary>
public sealed class SecuritySettings
{
    /// <summary>Shortest API key accepted: a key short enough to guess is no protection.</summary>
    public const int MinApiKeyLength = 16;

    /// <summary>
    /// Keys accepted in the <c>X-API-Key</c> header (one per client, so a key can be rotated
    /// or revoked alone). The <c>API_KEY</c> setting adds one more. Empty: the service is open.
    /// </summary>
    public string[] ApiKeys { get; set; } = [];

    public RateLimitSettings RateLimit { get; set; } = new();

    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    public bool RequiresApiKey => ApiKeys.Length > 0;
}

/// <summary>
/// A token bucket per client: per API key when the request carries a valid one, else per
/// remote IP address. The defaults only stop floods far above what one instance serves
/// (about 20,000 requests/s on two cores); set them to what one client may fairly use.
/// </summary>
public sealed class RateLimitSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>Steady rate each client may keep up.</summary>
    [Range(1, 10_000_000)]
    public int PermitsPerSecond { get; set; } = 200_000;

    /// <summary>Size of the bucket: requests a client may send at once after a quiet spell.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 50_000;
}

/// <summary>Browsers may call the service only from these origins; none (the default) sends no CORS headers.</summary>
public sealed class CorsSettings
{
    public string[] AllowedOrigins { get; set; } = [];
}
