using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>API keys, rate limits, CORS and request timeouts, through the real pipeline.</summary>
public sealed class ServiceProtectionTests : IDisposable
{
    private const string Key = "test-key-0123456789abcdef";
    private const string OtherKey = "other-key-fedcba9876543210";
    private static readonly string[] Products = ["p1", "p2", "p3"];

    private readonly RecommenderApiFactory _factory = new();

    public ServiceProtectionTests()
    {
        foreach (var product in Products)
            _factory.Shop.AddProduct(product);
    }

    public void Dispose() => _factory.Dispose();

    private async Task<HttpClient> ServeAsync()
    {
        var model = TestModels.WithScores(1, ["alice"], Products, [3f, 2f, 1f]);
        new ModelStore(_factory.ModelsDirectory, keep: 5).Publish(model);
        return await _factory.CreateReadyClientAsync();
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? key = null, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null) request.Headers.Add("X-API-Key", key);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task Without_a_configured_key_the_service_is_open()
    {
        var client = await ServeAsync();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/recommendations/alice")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/metrics")).StatusCode);
    }

    [Fact]
    public async Task With_a_key_configured_a_request_without_it_is_a_401_naming_the_header()
    {
        _factory.Settings["API_KEY"] = Key;
        var client = await ServeAsync();

        var response = await GetAsync(client, "/recommendations/alice");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-API-Key", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("wrong-key-0123456789abcdef")]
    [InlineData("test-key-0123456789abcdeX")]
    [InlineData("test-key")]
    [InlineData("")]
    public async Task A_wrong_key_is_a_401(string wrong)
    {
        _factory.Settings["API_KEY"] = Key;
        var client = await ServeAsync();

        await AssertProblemAsync(await GetAsync(client, "/recommendations/alice", wrong), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_right_key_is_answered_on_every_endpoint()
    {
        _factory.Settings["API_KEY"] = Key;
        var client = await ServeAsync();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/recommendations/alice", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/metrics", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/openapi/v1.json", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Health_and_ready_need_no_key()
    {
        _factory.Settings["API_KEY"] = Key;
        var client = await ServeAsync();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/ready")).StatusCode);
    }

    [Fact]
    public async Task Every_configured_key_is_accepted_and_API_KEY_adds_to_the_list()
    {
        _factory.Settings["Recommender:Security:ApiKeys:0"] = OtherKey;
        _factory.Settings["Recommender:Security:ApiKeys:1"] = "third-key-0123456789abcdef";
        _factory.Settings["API_KEY"] = Key;
        var client = await ServeAsync();

        foreach (var key in new[] { Key, OtherKey, "third-key-0123456789abcdef" })
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/recommendations/alice", key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/recommendations/alice", "fourth-key-0123456789abcdef")).StatusCode);
    }

    [Fact]
    public void A_key_shorter_than_16_characters_stops_the_service_at_start_up()
    {
        var error = StartupValidation.ErrorFor(new Dictionary<string, string?> { ["API_KEY"] = "short" });

        Assert.NotNull(error);
        Assert.Contains("API key", error.ToString());
    }

    [Fact]
    public async Task A_client_over_its_rate_limit_gets_429_with_Retry_After_and_the_probes_are_never_limited()
    {
        _factory.Settings["Recommender:Security:RateLimit:Enabled"] = "true";
        _factory.Settings["Recommender:Security:RateLimit:PermitsPerSecond"] = "1";
        _factory.Settings["Recommender:Security:RateLimit:Burst"] = "1";
        var client = await ServeAsync();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 5 && limited is null; i++)
        {
            var response = await GetAsync(client, "/recommendations/alice");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
        }

        Assert.NotNull(limited);
        await AssertProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/ready")).StatusCode);
    }

    [Fact]
    public async Task Each_API_key_has_its_own_rate_limit()
    {
        _factory.Settings["Recommender:Security:ApiKeys:0"] = Key;
        _factory.Settings["Recommender:Security:ApiKeys:1"] = OtherKey;
        _factory.Settings["Recommender:Security:RateLimit:Enabled"] = "true";
        _factory.Settings["Recommender:Security:RateLimit:PermitsPerSecond"] = "1";
        _factory.Settings["Recommender:Security:RateLimit:Burst"] = "1";
        var client = await ServeAsync();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/recommendations/alice", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GetAsync(client, "/recommendations/alice", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/recommendations/alice", OtherKey)).StatusCode);
    }

    [Fact]
    public async Task CORS_headers_are_absent_by_default()
    {
        var client = await ServeAsync();

        var response = await GetAsync(client, "/recommendations/alice", origin: "https://shop.example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task CORS_allows_a_configured_origin_and_no_other()
    {
        _factory.Settings["Recommender:Cors:AllowedOrigins:0"] = "https://shop.example.com";
        var client = await ServeAsync();

        var allowed = await GetAsync(client, "/recommendations/alice", origin: "https://shop.example.com");
        var other = await GetAsync(client, "/recommendations/alice", origin: "https://evil.example.com");

        Assert.Equal("https://shop.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_CORS_preflight_from_a_configured_origin_needs_no_key()
    {
        _factory.Settings["API_KEY"] = Key;
        _factory.Settings["Recommender:Cors:AllowedOrigins:0"] = "https://shop.example.com";
        var client = await ServeAsync();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/recommendations/alice");
        preflight.Headers.Add("Origin", "https://shop.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "X-API-Key");

        var response = await client.SendAsync(preflight);

        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}");
        Assert.Equal("https://shop.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public void The_request_timeout_comes_from_the_settings()
    {
        _factory.Settings["Recommender:RequestTimeoutSeconds"] = "3";

        var policy = _factory.Services.GetRequiredService<IOptions<RequestTimeoutOptions>>().Value.DefaultPolicy;

        Assert.NotNull(policy);
        Assert.Equal(TimeSpan.FromSeconds(3), policy.Timeout);
        Assert.Equal(504, policy.TimeoutStatusCode);
    }
}
