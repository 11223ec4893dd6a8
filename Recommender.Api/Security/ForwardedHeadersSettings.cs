using System.Net;

namespace Recommender.Api.Security;

/// <summary>
/// The load balancers or reverse proxies whose <c>X-Forwarded-For</c> is believed (section
/// <c>Recommender:Security:ForwardedHeaders</c>). Empty, the default: the header is ignored and a
/// client is its TCP peer's address, which behind a balancer is the balancer's, one rate-limit
/// bucket for everybody. Only a proxy named here may say who the client is; anyone else could
/// claim any address and so get a fresh bucket per request.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    /// <summary>Addresses of the proxies, e.g. <c>10.0.0.5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks the proxies are in, in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    /// <summary>Each setting that is not an address or a CIDR network, as a message naming it.</summary>
    public IEnumerable<string> Errors()
    {
        foreach (var proxy in KnownProxies)
            if (!IPAddress.TryParse(proxy, out _))
                yield return $"Security:ForwardedHeaders:KnownProxies: '{proxy}' is not an IP address.";
        foreach (var network in KnownNetworks)
            if (!IPNetwork.TryParse(network, out _))
                yield return $"Security:ForwardedHeaders:KnownNetworks: '{network}' is not a network in CIDR notation (such as 10.0.0.0/24).";
    }
}
