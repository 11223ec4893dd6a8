using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>
/// The rate limit behind a load balancer: each client is its own bucket when the balancer is a
/// configured proxy, and nobody else's <c>X-Forwarded-For</c> is believed.
/// </summary>
public sealed class ForwardedClientTests : IDisposable
{
    private const string Balancer = "10.0.0.5";
    private const string PeerHeader = "X-Test-Peer";
    private readonly RecommenderApiFactory _factory = new();

    public ForwardedClientTests()
    {
        _factory.Shop.AddProduct("p1").AddProduct("p2");
        _factory.Settings["Recommender:Security:RateLimit:Enabled"] = "true";
        _factory.Settings["Recommender:Security:RateLimit:PermitsPerSecond"] = "1";
        _factory.Settings["Recommender:Security:RateLimit:Burst"] = "1";
        // The test server has no TCP peer; this stands in for the connection's remote address.
        _factory.TestServices = services => services.AddSingleton<IStartupFilter>(new PeerAddressFromHeader());
    }

    public void Dispose() => _factory.Dispose();

    private async Task<HttpClient> ServeAsync()
    {
        new ModelStore(_factory.ModelsDirectory, keep: 5).Publish(TestModels.WithScores(1, ["alice"], ["p1", "p2"], [2f, 1f]));
        return await _factory.CreateReadyClientAsync();
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient client, string peer, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/recommendations/alice");
        request.Headers.Add(PeerHeader, peer);
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Theory]
    [InlineData("Recommender:Security:ForwardedHeaders:KnownProxies:0", Balancer)]
    [InlineData("Recommender:Security:ForwardedHeaders:KnownNetworks:0", "10.0.0.0/24")]
    public async Task Two_clients_behind_a_known_proxy_get_a_bucket_each(string setting, string value)
    {
        _factory.Settings[setting] = value;
        var client = await ServeAsync();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, Balancer, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, Balancer, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, Balancer, "203.0.113.2"));
    }

    [Fact]
    public async Task X_Forwarded_For_from_a_peer_that_is_not_a_known_proxy_is_ignored()
    {
        _factory.Settings["Recommender:Security:ForwardedHeaders:KnownProxies:0"] = Balancer;
        var client = await ServeAsync();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "198.51.100.7", "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, "198.51.100.7", "203.0.113.2"));
    }

    [Fact]
    public async Task Without_known_proxies_X_Forwarded_For_is_ignored()
    {
        var client = await ServeAsync();

        Assert.Equal(HttpStatusCode.OK, await GetAsync(client, Balancer, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, Balancer, "203.0.113.2"));
    }

    [Theory]
    [InlineData("Recommender:Security:ForwardedHeaders:KnownProxies:0", "balancer.internal")]
    [InlineData("Recommender:Security:ForwardedHeaders:KnownNetworks:0", "10.0.0.0")]
    public void A_proxy_setting_that_does_not_parse_stops_the_service_at_start_up(string setting, string value)
    {
        var error = StartupValidation.ErrorFor(new Dictionary<string, string?> { [setting] = value });

        Assert.NotNull(error);
        Assert.Contains(value, error.ToString());
    }

    private sealed class PeerAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (context.Request.Headers[PeerHeader] is [{ } peer])
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
                return following(context);
            });
            next(app);
        };
    }
}
