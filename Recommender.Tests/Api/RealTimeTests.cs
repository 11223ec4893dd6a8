using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Recommender.Training.Data;

namespace Recommender.Tests.Api;

/// <summary>
/// A buyer's orders, cart and wishlist changed after the model was trained count in the next
/// answer, through the real pipeline over the in-memory shop. The model is trained once at
/// start-up and not again (the interval is an hour), so only the real-time path can change answers.
/// </summary>
public sealed class RealTimeTests : IDisposable
{
    /// <summary>The bound from a row appearing to a changed answer.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    private readonly RecommenderApiFactory _factory = new(trainOnSchedule: true);

    public RealTimeTests()
    {
        var shop = _factory.Shop;
        for (var p = 1; p <= 8; p++) shop.AddProduct($"p{p}");
        for (var b = 0; b < 12; b++)
        {
            shop.Add($"b{b}", "p1").Add($"b{b}", "p2");
            shop.Add($"b{b}", b % 2 == 0 ? "p3" : "p4", InteractionKind.Cart);
            shop.Add($"b{b}", b < 6 ? "p5" : "p6");
            shop.Add($"b{b}", b < 6 ? "p7" : "p8", InteractionKind.Wishlist);
        }
        shop.Add("b0", "p8");
        _factory.Settings["Recommender:Training:Algorithm"] = "itemknn";
        _factory.Settings["Recommender:Training:HoldoutEvaluation"] = "false";
        _factory.Settings["Recommender:RealTime:PollMilliseconds"] = "200";
    }

    public void Dispose() => _factory.Dispose();

    internal static async Task<(string Source, string[] Ids, float[] Scores)> GetAsync(HttpClient client, string buyer)
    {
        var body = (await client.GetFromJsonAsync<JsonObject>($"/recommendations/{buyer}?top_k=20&include_scores=true"))!;
        var ids = body["recommended_products"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray();
        var scores = body["scores"]?.AsArray().Select(s => s!.GetValue<float>()).ToArray() ?? [];
        return (body["source"]!.GetValue<string>(), ids, scores);
    }

    /// <summary>Asks until <paramref name="done"/> holds; returns how long that took from <paramref name="changedAt"/>.</summary>
    internal static async Task<TimeSpan> WaitForAsync(HttpClient client, string buyer, Stopwatch changedAt,
        Func<(string Source, string[] Ids, float[] Scores), bool> done, TimeSpan? limit = null)
    {
        while (true)
        {
            if (done(await GetAsync(client, buyer))) return changedAt.Elapsed;
            if (changedAt.Elapsed > (limit ?? TimeSpan.FromSeconds(10)))
                throw new TimeoutException($"The answer for {buyer} did not change within {changedAt.Elapsed.TotalSeconds:F1} s.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_product_put_in_the_cart_after_training_stops_being_recommended_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        var before = await GetAsync(client, "b0");
        Assert.Contains("p4", before.Ids);

        var clock = Stopwatch.StartNew();
        _factory.Shop.Add("b0", "p4", InteractionKind.Cart);
        var took = await WaitForAsync(client, "b0", clock, answer => !answer.Ids.Contains("p4"));

        Assert.True(took < Bound, $"took {took.TotalMilliseconds:F0} ms");
        var after = await GetAsync(client, "b0");
        Assert.StartsWith("personalized", after.Source);
        // The history changed, so the scores of the products still listed moved too.
        var scoreBefore = before.Ids.Zip(before.Scores).ToDictionary(x => x.First, x => x.Second);
        Assert.Contains(after.Ids.Zip(after.Scores), x => scoreBefore.TryGetValue(x.First, out var s) && s != x.Second);
    }

    [Fact]
    public async Task A_product_nobody_had_touched_leaves_the_newest_fallback_once_the_buyer_orders_it()
    {
        _factory.Shop.AddProduct("p9");      // in the shop, in no model: only the newest source shows it
        var client = await _factory.CreateReadyClientAsync();
        var before = await GetAsync(client, "b0");
        Assert.Contains("p9", before.Ids);
        Assert.EndsWith("newest", before.Source);

        _factory.Shop.Add("b0", "p9");
        await WaitForAsync(client, "b0", Stopwatch.StartNew(), answer => !answer.Ids.Contains("p9"));

        Assert.Contains("p9", (await GetAsync(client, "b1")).Ids);       // only b0 has it
    }

    [Fact]
    public async Task A_brand_new_buyer_with_a_few_orders_gets_similar_then_personalized_products_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        var before = await GetAsync(client, "newcomer");
        Assert.DoesNotContain("similar", before.Source);
        Assert.DoesNotContain("personalized", before.Source);

        var clock = Stopwatch.StartNew();
        _factory.Shop.Add("newcomer", "p5").Add("newcomer", "p7", InteractionKind.Cart);
        var took = await WaitForAsync(client, "newcomer", clock, answer => answer.Source.StartsWith("similar", StringComparison.Ordinal));
        Assert.True(took < Bound, $"took {took.TotalMilliseconds:F0} ms");
        var similar = await GetAsync(client, "newcomer");
        Assert.DoesNotContain("p5", similar.Ids);
        Assert.DoesNotContain("p7", similar.Ids);

        clock.Restart();
        _factory.Shop.Add("newcomer", "p1");
        took = await WaitForAsync(client, "newcomer", clock, answer => answer.Source.StartsWith("personalized", StringComparison.Ordinal));
        Assert.True(took < Bound, $"took {took.TotalMilliseconds:F0} ms");
        Assert.DoesNotContain("p1", (await GetAsync(client, "newcomer")).Ids);
    }

    [Fact]
    public async Task A_product_removed_from_the_cart_is_recommended_again_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        Assert.DoesNotContain("p3", (await GetAsync(client, "b0")).Ids);

        var clock = Stopwatch.StartNew();
        _factory.Shop.RemoveInteractions(i => i.BuyerId == "b0" && i.ProductId == "p3" && i.Kind == InteractionKind.Cart);
        var took = await WaitForAsync(client, "b0", clock, answer => answer.Ids.Contains("p3"));

        Assert.True(took < Bound, $"took {took.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_cancelled_order_stops_excluding_its_products_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        Assert.DoesNotContain("p8", (await GetAsync(client, "b0")).Ids);

        var clock = Stopwatch.StartNew();
        _factory.Shop.SetOrderStatus("b0", "p8", "CANCELLED");
        var took = await WaitForAsync(client, "b0", clock, answer => answer.Ids.Contains("p8"));

        Assert.True(took < Bound, $"took {took.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Buyers_whose_state_the_model_already_has_are_not_held()
    {
        var client = await _factory.CreateReadyClientAsync();
        var live = (Recommender.Api.RealTime.LiveHistories)_factory.Services.GetService(typeof(Recommender.Api.RealTime.LiveHistories))!;
        // Every buyer of the seed changed "since" the first read's start, and equals the model.
        var reads = _factory.Shop.ChangeReads;
        while (_factory.Shop.ChangeReads < reads + 2) await Task.Delay(20);
        Assert.Equal(0, live.Count);

        _factory.Shop.Add("b1", "p6", InteractionKind.Cart);
        var clock = Stopwatch.StartNew();
        await WaitForAsync(client, "b1", clock, answer => !answer.Ids.Contains("p6"));
        Assert.Equal(1, live.Count);
    }

    [Fact]
    public async Task With_real_time_off_answers_follow_the_model_alone()
    {
        _factory.Settings["Recommender:RealTime:Enabled"] = "false";
        var client = await _factory.CreateReadyClientAsync();

        _factory.Shop.Add("b0", "p4", InteractionKind.Cart);
        await Task.Delay(Bound);

        Assert.Contains("p4", (await GetAsync(client, "b0")).Ids);
        Assert.Equal(0, _factory.Shop.ChangeReads);
    }
}
