using Recommender.Tests.Infrastructure;
using Recommender.Api.RealTime;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recommender.Tests.Api;
using Recommender.Tests.Fakes;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Tests.Dashboard;

/// <summary>The dashboard's page, its JSON under /dashboard/api and the API reference, through the real pipeline.</summary>
public sealed class DashboardApiTests : IDisposable
{
    private const string Key = "dashboard-key-0123456789";
    private static readonly string[] Products = ["p1", "p2", "p3"];

    private readonly RecommenderApiFactory _factory = new();

    public DashboardApiTests()
    {
        foreach (var product in Products)
            _factory.Shop.AddProduct(product, row => row["name"] = $"Name of {product}");
    }

    public void Dispose() => _factory.Dispose();

    private async Task<HttpClient> ServeAsync(params Dictionary<string, string[]>[] owned)
    {
        var model = TestModels.WithScores(3, ["alice", "bob"], Products, [3f, 2f, 1f], owned.FirstOrDefault());
        new ModelStore(_factory.ModelsDirectory, keep: 5).Publish(model.WithManifest(model.Manifest with
        {
            TrainingSeconds = 1.5,
            Metrics = new() { ["ndcg@10"] = 0.2, ["hr@10"] = 0.3, ["popularity_ndcg@10"] = 0.05, ["popularity_hr@10"] = 0.1 },
        }));
        return await _factory.CreateReadyClientAsync();
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, string url, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null) request.Headers.Add("X-API-Key", key);
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard")]
    public async Task The_root_and_the_bare_path_redirect_to_the_dashboard(string path)
    {
        var client = _factory.CreateClient(new() { AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task With_a_key_configured_the_page_is_served_without_it_and_its_data_only_with_it()
    {
        _factory.Settings["API_KEY"] = Key;
        var client = await ServeAsync();

        var page = await GetAsync(client, "/dashboard/");
        var script = await GetAsync(client, "/dashboard/app.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"key-form\"", await page.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        foreach (var url in new[] { "/dashboard/api/model", "/dashboard/api/serving", "/dashboard/api/buyers/alice/history" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, url)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, url, "wrong-key-0123456789")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, url, Key)).StatusCode);
        }
        var model = (await (await GetAsync(client, "/dashboard/api/model", Key)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(model["requires_api_key"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_model_endpoint_names_the_serving_model_and_its_trainings_against_popularity()
    {
        var client = await ServeAsync();

        var body = (await client.GetFromJsonAsync<JsonObject>("/dashboard/api/model"))!;

        Assert.False(body["requires_api_key"]!.GetValue<bool>());
        var serving = body["serving"]!["training"]!;
        Assert.Equal(3, serving["version"]!.GetValue<long>());
        Assert.Equal("als", serving["algorithm"]!.GetValue<string>());
        Assert.Equal(2, serving["buyers"]!.GetValue<int>());
        Assert.Equal(Products.Length, body["product_rows"]!.GetValue<int>());
        var training = Assert.Single(body["trainings"]!.AsArray())!;
        Assert.Equal(3, training["version"]!.GetValue<long>());
        Assert.Equal(1.5, training["training_seconds"]!.GetValue<double>());
        Assert.Equal(0.2, training["metrics"]!["ndcg@10"]!.GetValue<double>());
        Assert.Equal(0.1, training["metrics"]!["popularity_hr@10"]!.GetValue<double>());
    }

    [Fact]
    public async Task The_serving_endpoint_counts_the_lists_served_but_not_the_dashboards_own_requests()
    {
        var client = await ServeAsync();
        await client.GetAsync("/recommendations/alice");
        await client.GetAsync("/recommendations/somebody-new");
        await client.GetAsync("/products/trending");
        await client.GetAsync("/recommendations/alice?top_k=abc");
        await client.GetAsync("/dashboard/api/model");

        var body = (await client.GetFromJsonAsync<JsonObject>("/dashboard/api/serving"))!;

        var lists = body["lists"]!;
        Assert.Equal(1, lists["recommendations"]!["personalized"]!.GetValue<long>());
        Assert.Equal(1, lists["recommendations"]!["popular"]!.GetValue<long>());
        Assert.Equal(1, lists["trending"]!["popular"]!.GetValue<long>());
        // The ready check, the four list requests (one a 400); not the dashboard's.
        var readyChecks = body["requests"]!.GetValue<long>() - 4;
        Assert.True(readyChecks >= 1, $"requests: {body["requests"]}");
        Assert.Equal(1, body["client_errors"]!.GetValue<long>());
        Assert.True(body["p50_ms"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task A_buyers_history_is_served_newest_first_with_kinds_and_the_shops_rows()
    {
        var client = await ServeAsync(new Dictionary<string, string[]> { ["alice"] = ["p1", "p2"] });

        var body = (await client.GetFromJsonAsync<JsonObject>("/dashboard/api/buyers/alice/history"))!;

        var entries = body["interactions"]!.AsArray();
        Assert.Equal(5, body["total"]!.GetValue<int>());
        Assert.Equal(3, body["model_version"]!.GetValue<long>());
        Assert.False(body["live"]!.GetValue<bool>());
        Assert.Equal(["p2", "p1", TestModels.Delisted, TestModels.Delisted, TestModels.Delisted], entries.Select(e => e!["product_id"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("order", e!["kind"]!.GetValue<string>()));
        Assert.Equal("Name of p2", entries[0]!["product"]!["name"]!.GetValue<string>());
        Assert.Null(entries[2]!["product"]);     // the shop no longer has it
        var times = entries.Select(e => e!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task A_history_limit_returns_the_newest_entries_and_a_bad_limit_or_id_is_a_400()
    {
        var client = await ServeAsync(new Dictionary<string, string[]> { ["alice"] = ["p1", "p2"] });

        var limited = (await client.GetFromJsonAsync<JsonObject>("/dashboard/api/buyers/alice/history?limit=1"))!;
        var unknown = (await client.GetFromJsonAsync<JsonObject>("/dashboard/api/buyers/nobody/history"))!;

        Assert.Equal("p2", Assert.Single(limited["interactions"]!.AsArray())!["product_id"]!.GetValue<string>());
        Assert.Equal(5, limited["total"]!.GetValue<int>());
        Assert.Empty(unknown["interactions"]!.AsArray());
        foreach (var url in new[] { "/dashboard/api/buyers/alice/history?limit=0", "/dashboard/api/buyers/alice/history?limit=abc",
                     "/dashboard/api/buyers/alice/history?limit=100000", $"/dashboard/api/buyers/{new string('x', 257)}/history" })
        {
            var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_changed_buyers_history_is_the_live_one_with_its_kinds()
    {
        _factory.Settings["Recommender:RealTime:Enabled"] = "true";
        var client = await ServeAsync();
        _factory.Shop.Add("alice", "p1", InteractionKind.Order).Add("alice", "p2", InteractionKind.Cart).Add("alice", "p3", InteractionKind.Wishlist);

        // Real time reads the shop's changes once a poll interval passes on the service's clock.
        _factory.Clock.Advance(TimeSpan.FromMilliseconds(new RealTimeOptions().PollMilliseconds));
        var body = await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JsonObject>("/dashboard/api/buyers/alice/history"))!,
            history => history["live"]!.GetValue<bool>(), "alice's live history");

        Assert.True(body["live"]!.GetValue<bool>());
        var entries = body["interactions"]!.AsArray();
        Assert.Equal(["p3", "p2", "p1"], entries.Select(e => e!["product_id"]!.GetValue<string>()));
        Assert.Equal(["wishlist", "cart", "order"], entries.Select(e => e!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_api_reference_is_served_and_the_document_describes_every_list_parameter_and_problem()
    {
        _factory.Settings["API_KEY"] = Key;
        var client = await ServeAsync();

        var reference = await GetAsync(client, "/scalar/");
        var config = await GetAsync(client, "/dashboard/scalar-config.js");
        var document = (await (await GetAsync(client, "/openapi/v1.json", Key)).Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("dashboard/scalar-config.js", await reference.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, "/openapi/v1.json")).StatusCode);
        Assert.Equal("X-API-Key", document["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>());
        foreach (var path in new[] { "/recommendations/{buyer_id}", "/products/{product_id}/similar", "/products/trending" })
        {
            var operation = document["paths"]![path]!["get"]!;
            var parameters = operation["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["description"]?.GetValue<string>());
            foreach (var name in new[] { "top_k", "offset", "category_id", "seller_id", "min_price", "max_price", "exclude", "include_scores" })
                Assert.False(string.IsNullOrWhiteSpace(parameters.GetValueOrDefault(name)), $"{path} does not describe {name}");
            Assert.All(parameters.Values, description => Assert.False(string.IsNullOrWhiteSpace(description)));
            foreach (var status in new[] { "400", "401", "429", "503", "504" })
            {
                var response = operation["responses"]![status];
                Assert.NotNull(response);
                Assert.NotEqual(status, response!["description"]!.GetValue<string>());
                Assert.NotNull(response["content"]!["application/problem+json"]);
            }
        }
        Assert.NotNull(document["paths"]!["/products/{product_id}/similar"]!["get"]!["responses"]!["404"]);
    }
}
