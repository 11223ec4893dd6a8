using System.Net;
using System.Text.RegularExpressions;
using Recommender.Tests.Fakes;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Tests.Api;

/// <summary><c>GET /metrics</c>: Prometheus text with the request, model, training and catalog metrics.</summary>
public sealed class MetricsApiTests
{
    private static readonly string[] Products = ["p1", "p2", "p3"];

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    private static double Value(string scrape, string series)
    {
        var match = Regex.Match(scrape, $"^{Regex.Escape(series)} (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{series} is not in the scrape:\n{scrape}");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Requests_are_counted_by_route_template_and_status_never_by_buyer_id()
    {
        using var factory = new RecommenderApiFactory();
        foreach (var product in Products) factory.Shop.AddProduct(product);
        new ModelStore(factory.ModelsDirectory, keep: 5).Publish(TestModels.WithScores(1, ["alice"], Products, [3f, 2f, 1f]));
        var client = await factory.CreateReadyClientAsync();

        await client.GetAsync("/recommendations/alice");
        await client.GetAsync("/recommendations/somebody-new");
        await client.GetAsync("/recommendations/alice?top_k=abc");
        var scrape = await ScrapeAsync(client);

        const string route = "endpoint=\"/recommendations/{buyer_id}\"";
        Assert.Equal(2, Value(scrape, $"http_requests_received_total{{code=\"200\",method=\"GET\",controller=\"\",action=\"\",{route}}}"));
        Assert.Equal(1, Value(scrape, $"http_requests_received_total{{code=\"400\",method=\"GET\",controller=\"\",action=\"\",{route}}}"));
        Assert.Equal(2, Value(scrape, $"http_request_duration_seconds_count{{code=\"200\",method=\"GET\",controller=\"\",action=\"\",{route}}}"));
        Assert.DoesNotContain("alice", scrape);
        Assert.DoesNotContain("somebody-new", scrape);
        Assert.Equal(1, Value(scrape, "recommender_recommendations_total{list=\"recommendations\",source=\"personalized\"}"));
        Assert.Equal(1, Value(scrape, "recommender_recommendations_total{list=\"recommendations\",source=\"popular\"}"));
    }

    [Fact]
    public async Task The_serving_model_and_product_rows_are_described_with_the_offline_metrics()
    {
        using var factory = new RecommenderApiFactory();
        foreach (var product in Products) factory.Shop.AddProduct(product);
        var model = TestModels.WithScores(7, ["alice", "bob"], Products, [3f, 2f, 1f]);
        var trainedAt = DateTimeOffset.UtcNow.AddMinutes(-5);
        var manifest = model.Manifest with { TrainedAt = trainedAt, Interactions = 42, Metrics = new() { ["ndcg@10"] = 0.25, ["recall@10"] = 0.5 } };
        new ModelStore(factory.ModelsDirectory, keep: 5).Publish(model.WithManifest(manifest));
        var client = await factory.CreateReadyClientAsync();

        var scrape = await ScrapeAsync(client);

        Assert.Equal(7, Value(scrape, "recommender_model_version"));
        Assert.InRange(Value(scrape, "recommender_model_age_seconds"), 290, 400);
        Assert.Equal(2, Value(scrape, "recommender_model_buyers"));
        Assert.Equal(4, Value(scrape, "recommender_model_products"));     // with TestModels.Delisted
        Assert.Equal(42, Value(scrape, "recommender_model_interactions"));
        Assert.Equal(0.25, Value(scrape, "recommender_model_offline_metric{name=\"ndcg@10\"}"));
        Assert.Equal(0.5, Value(scrape, "recommender_model_offline_metric{name=\"recall@10\"}"));
        Assert.Equal(3, Value(scrape, "recommender_product_cache_products"));
        Assert.InRange(Value(scrape, "recommender_product_cache_age_seconds"), 0, 30);
        Assert.Contains("process_working_set_bytes", scrape);
    }

    [Fact]
    public async Task A_scheduled_training_is_timed_and_counted_by_outcome()
    {
        // Quartz times a run on the service's clock, and a fake one stands still while the fit runs.
        using var factory = new RecommenderApiFactory(trainOnSchedule: true, realClock: true);
        for (var buyer = 0; buyer < 10; buyer++)
            foreach (var product in Products.Take(1 + buyer % 3))
                factory.Shop.Add($"buyer-{buyer}", product, InteractionKind.Order);
        foreach (var product in Products) factory.Shop.AddProduct(product);
        var client = await factory.CreateReadyClientAsync();

        // The listener runs just after the job that made the service ready.
        var scrape = await Eventually.ReturnsAsync(() => ScrapeAsync(client),
            text => text.Contains("recommender_trainings_total{outcome=\"published\"}"), "the training to be counted");

        Assert.Equal(1, Value(scrape, "recommender_trainings_total{outcome=\"published\"}"));
        Assert.Equal(1, Value(scrape, "recommender_training_duration_seconds_count{outcome=\"published\"}"));
        Assert.True(Value(scrape, "recommender_training_duration_seconds_sum{outcome=\"published\"}") > 0);
        Assert.Equal(1, Value(scrape, "recommender_model_version"));
        Assert.Equal(10, Value(scrape, "recommender_model_buyers"));
    }
}
