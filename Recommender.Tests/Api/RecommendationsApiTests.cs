using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Artifacts;

namespace Recommender.Tests.Api;

/// <summary>
/// The recommendations endpoint through the real pipeline, serving hand-made models whose
/// scores are known: p1 scores 10, p2 9, … p10 1 for every buyer.
/// </summary>
public sealed class RecommendationsApiTests : IDisposable
{
    private static readonly string[] Products = Enumerable.Range(1, 10).Select(i => $"p{i}").ToArray();
    private static readonly float[] Scores = Enumerable.Range(1, 10).Select(i => 11f - i).ToArray();

    private readonly RecommenderApiFactory _factory = new();

    public RecommendationsApiTests()
    {
        foreach (var product in Products)
            _factory.Shop.AddProduct(product);
    }

    public void Dispose() => _factory.Dispose();

    private async Task<HttpClient> ServeAsync(RecommenderModel model)
    {
        new ModelStore(_factory.ModelsDirectory, keep: 5).Publish(model);
        return await _factory.CreateReadyClientAsync();
    }

    private static RecommenderModel Model(long version = 1, Dictionary<string, string[]>? owned = null, float[]? popularity = null) =>
        TestModels.WithScores(version, ["alice", "bob"], Products, Scores, owned, popularity);

    private static async Task<(JsonObject Body, string[] Ids)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var ids = body["recommended_products"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray();
        return (body, ids);
    }

    [Fact]
    public async Task Products_come_in_descending_score_order()
    {
        var client = await ServeAsync(Model());

        var (body, ids) = await GetAsync(client, "/recommendations/alice?top_k=4");

        Assert.Equal(["p1", "p2", "p3", "p4"], ids);
        Assert.Equal("alice", body["buyer_id"]!.GetValue<string>());
        Assert.Equal("personalized", body["source"]!.GetValue<string>());
        Assert.Equal(1, body["model_version"]!.GetValue<long>());
    }

    [Fact]
    public async Task Top_k_defaults_to_five()
    {
        var client = await ServeAsync(Model());

        var (_, ids) = await GetAsync(client, "/recommendations/alice");

        Assert.Equal(5, ids.Length);
    }

    [Fact]
    public async Task Products_the_buyer_already_has_are_never_recommended()
    {
        var client = await ServeAsync(Model(owned: new() { ["alice"] = ["p1", "p3"] }));

        var (_, alice) = await GetAsync(client, "/recommendations/alice?top_k=10");
        var (_, bob) = await GetAsync(client, "/recommendations/bob?top_k=3");

        Assert.Equal(["p2", "p4", "p5", "p6", "p7", "p8", "p9", "p10"], alice);
        Assert.Equal(["p1", "p2", "p3"], bob);
    }

    [Fact]
    public async Task Products_that_cannot_be_sold_are_never_recommended()
    {
        _factory.Shop.AddProduct("p1", p => p["isDraft"] = true);
        _factory.Shop.AddProduct("p2", p => p["status"] = "ARCHIVED");
        _factory.Shop.AddProduct("p3", p => p["stockStatus"] = "OUT_OF_STOCK");
        var client = await ServeAsync(Model());

        var (_, ids) = await GetAsync(client, "/recommendations/alice?top_k=3");
        var (_, popular) = await GetAsync(client, "/recommendations/stranger?top_k=10");

        Assert.Equal(["p4", "p5", "p6"], ids);
        Assert.DoesNotContain("p1", popular);
        Assert.DoesNotContain("p2", popular);
        Assert.DoesNotContain("p3", popular);
    }

    [Fact]
    public async Task A_product_that_goes_out_of_stock_stops_being_recommended_after_the_refresh()
    {
        var client = await ServeAsync(Model());
        Assert.Equal("p1", (await GetAsync(client, "/recommendations/alice?top_k=1")).Ids[0]);

        _factory.Shop.AddProduct("p1", p => p["stockStatus"] = "OUT_OF_STOCK");
        // Until the next refresh the service has not read the change.
        Assert.Equal("p1", (await GetAsync(client, "/recommendations/alice?top_k=1")).Ids[0]);

        _factory.Clock.Advance(RecommenderApiFactory.PollInterval);
        var first = await Eventually.ReturnsAsync(
            async () => (await GetAsync(client, "/recommendations/alice?top_k=1")).Ids[0], id => id != "p1", "p1 to leave the list");
        Assert.Equal("p2", first);
    }

    [Fact]
    public async Task An_unknown_buyer_gets_the_most_popular_sellable_products()
    {
        float[] popularity = [1, 2, 3, 9, 8, 7, 0, 0, 0, 0];
        _factory.Shop.AddProduct("p4", p => p["stockStatus"] = "OUT_OF_STOCK");
        var client = await ServeAsync(Model(popularity: popularity));

        var (body, ids) = await GetAsync(client, "/recommendations/someone-new?top_k=3");

        Assert.Equal(["p5", "p6", "p3"], ids);
        Assert.Equal("popular", body["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_list_the_model_cannot_fill_is_filled_from_popular_products()
    {
        // Alice has everything but p9 and p10, and p10 cannot be sold: one personal pick remains.
        _factory.Shop.AddProduct("p10", p => p["isDraft"] = true);
        var client = await ServeAsync(Model(owned: new() { ["alice"] = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"] }));

        var (_, ids) = await GetAsync(client, "/recommendations/alice?top_k=5");

        Assert.Equal(["p9"], ids);
    }

    [Fact]
    public async Task Every_product_column_is_returned_with_its_own_json_type()
    {
        _factory.Shop.AddProduct("p1", p =>
        {
            p["dimensions"] = null;
            p["discount"] = 4.5;
            p["reviewCount"] = 12;
            p["aColumnAddedLater"] = "still served";
        });
        var client = await ServeAsync(Model());

        var response = await client.GetStringAsync("/recommendations/alice?top_k=1");
        var product = JsonNode.Parse(response)!["recommended_products"]![0]!.AsObject();

        Assert.Equal(JsonValueKind.String, product["id"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Array, product["images"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Object, product["attributes"]!.GetValueKind());
        Assert.Equal(JsonValueKind.False, product["isDraft"]!.GetValueKind());
        Assert.Equal(JsonValueKind.Number, product["price"]!.GetValueKind());
        Assert.Equal(12, product["reviewCount"]!.GetValue<int>());
        Assert.True(product.ContainsKey("dimensions"));
        Assert.Null(product["dimensions"]);
        Assert.Equal("still served", product["aColumnAddedLater"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/recommendations/alice?top_k=0")]
    [InlineData("/recommendations/alice?top_k=101")]
    [InlineData("/recommendations/alice?top_k=-1")]
    [InlineData("/recommendations/alice?top_k=abc")]
    [InlineData("/recommendations/alice?top_k=2.5")]
    [InlineData("/recommendations/alice?top_k=")]
    [InlineData("/recommendations/alice?top_k=99999999999999999999")]
    [InlineData("/recommendations/alice?top_k=%205")]
    public async Task A_bad_top_k_is_a_400_with_problem_details(string url)
    {
        var client = await ServeAsync(Model());

        var response = await client.GetAsync(url);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "top_k");
    }

    [Fact]
    public async Task A_buyer_id_over_256_characters_is_a_400_with_problem_details()
    {
        var client = await ServeAsync(Model());

        var response = await client.GetAsync("/recommendations/" + new string('x', 257));
        var longest = await client.GetAsync("/recommendations/" + new string('x', 256));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "buyer_id");
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
    }

    [Fact]
    public async Task Before_any_model_is_loaded_the_service_answers_503_and_is_not_ready()
    {
        var client = _factory.CreateClient();

        var recommendations = await client.GetAsync("/recommendations/alice");
        var ready = await client.GetAsync("/ready");
        var health = await client.GetAsync("/health");

        await AssertProblemAsync(recommendations, HttpStatusCode.ServiceUnavailable, "model");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_404_problem_details_and_the_openapi_document_is_served()
    {
        var client = await ServeAsync(Model());

        var missing = await client.GetAsync("/nothing-here");
        var openApi = await client.GetStringAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/recommendations/{buyer_id}", openApi);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string mentioned)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        Assert.Contains(mentioned, problem["detail"]!.GetValue<string>() + problem["title"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }
}
