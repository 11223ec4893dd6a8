using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Recommender.Api.RealTime;
using Recommender.Api.Serving;
using Recommender.Tests.Infrastructure;
using Recommender.Training.Data;

namespace Recommender.Tests.Api;

/// <summary>
/// A buyer's orders, cart and wishlist changed after the model was trained count in the next
/// answer, through the real pipeline over the in-memory shop. The model is trained once at
/// start-up and not again (the interval is an hour), so only the real-time path can change answers.
/// The shop is read when the service's clock passes the poll interval: each test lets one pass,
/// within the bound, after checking that the answer had not changed before it.
/// </summary>
public sealed class RealTimeTests : IDisposable
{
    /// <summary>The bound from a row appearing to a changed answer.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    /// <summary>The default poll interval, which these tests keep.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(new RealTimeOptions().PollMilliseconds);

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
    }

    public void Dispose() => _factory.Dispose();

    internal static async Task<(string Source, string[] Ids, float[] Scores)> GetAsync(HttpClient client, string buyer)
    {
        var body = (await client.GetFromJsonAsync<JsonObject>($"/recommendations/{buyer}?top_k=20&include_scores=true"))!;
        var ids = body["recommended_products"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToArray();
        var scores = body["scores"]?.AsArray().Select(s => s!.GetValue<float>()).ToArray() ?? [];
        return (body["source"]!.GetValue<string>(), ids, scores);
    }

    /// <summary>
    /// Lets one poll interval pass on the service's clock, which is what a row needs to count, and
    /// waits (on the wall clock, for the poll's thread) until <paramref name="done"/> holds.
    /// </summary>
    private async Task<(string Source, string[] Ids, float[] Scores)> AfterOnePollAsync(
        HttpClient client, string buyer, Func<(string Source, string[] Ids, float[] Scores), bool> done, string what)
    {
        Assert.True(Poll <= Bound, $"the default poll of {Poll.TotalMilliseconds} ms is longer than the bound");
        Assert.False(done(await GetAsync(client, buyer)), $"{what} before the service's clock moved");
        _factory.Clock.Advance(Poll);
        return await Eventually.ReturnsAsync(() => GetAsync(client, buyer), done, what);
    }

    /// <summary>Lets one poll interval pass and waits until the shop has been read since.</summary>
    private async Task PollOnceAsync()
    {
        var reads = _factory.Shop.ChangeReads;
        _factory.Clock.Advance(Poll);
        await Eventually.HoldsAsync(() => _factory.Shop.ChangeReads > reads, "the shop's changes to be read");
    }

    [Fact]
    public async Task A_product_put_in_the_cart_after_training_stops_being_recommended_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        var before = await GetAsync(client, "b0");
        Assert.Contains("p4", before.Ids);

        _factory.Shop.Add("b0", "p4", InteractionKind.Cart);
        var after = await AfterOnePollAsync(client, "b0", answer => !answer.Ids.Contains("p4"), "p4 to leave b0's answer");

        Assert.StartsWith("personalized", after.Source);
        // The history changed, so the scores of the products still listed moved too.
        var scoreBefore = before.Ids.Zip(before.Scores).ToDictionary(x => x.First, x => x.Second);
        Assert.Contains(after.Ids.Zip(after.Scores), x => scoreBefore.TryGetValue(x.First, out var s) && s != x.Second);
    }

    [Fact]
    public async Task A_product_nobody_had_touched_leaves_the_newest_fallback_once_the_buyer_orders_it()
    {
        // In the shop, in no model and in no category: only the newest source shows it.
        _factory.Shop.AddProduct("p9", p => p["categoryId"] = null);
        var client = await _factory.CreateReadyClientAsync();
        var before = await GetAsync(client, "b0");
        Assert.Contains("p9", before.Ids);
        Assert.EndsWith("newest", before.Source);

        _factory.Shop.Add("b0", "p9");
        await AfterOnePollAsync(client, "b0", answer => !answer.Ids.Contains("p9"), "p9 to leave b0's newest fallback");

        Assert.Contains("p9", (await GetAsync(client, "b1")).Ids);       // only b0 has it
    }

    [Fact]
    public async Task A_brand_new_buyer_with_a_few_orders_gets_similar_then_personalized_products_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        var before = await GetAsync(client, "newcomer");
        Assert.DoesNotContain("similar", before.Source);
        Assert.DoesNotContain("personalized", before.Source);

        _factory.Shop.Add("newcomer", "p5").Add("newcomer", "p7", InteractionKind.Cart);
        var similar = await AfterOnePollAsync(client, "newcomer",
            answer => answer.Source.StartsWith("similar", StringComparison.Ordinal), "the newcomer's similar products");
        Assert.DoesNotContain("p5", similar.Ids);
        Assert.DoesNotContain("p7", similar.Ids);

        _factory.Shop.Add("newcomer", "p1");
        var personalized = await AfterOnePollAsync(client, "newcomer",
            answer => answer.Source.StartsWith("personalized", StringComparison.Ordinal), "the newcomer's personalized products");
        Assert.DoesNotContain("p1", personalized.Ids);
    }

    [Fact]
    public async Task A_product_removed_from_the_cart_is_recommended_again_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        Assert.DoesNotContain("p3", (await GetAsync(client, "b0")).Ids);

        _factory.Shop.RemoveInteractions(i => i.BuyerId == "b0" && i.ProductId == "p3" && i.Kind == InteractionKind.Cart);

        await AfterOnePollAsync(client, "b0", answer => answer.Ids.Contains("p3"), "p3 to come back to b0's answer");
    }

    [Fact]
    public async Task A_cancelled_order_stops_excluding_its_products_within_two_seconds()
    {
        var client = await _factory.CreateReadyClientAsync();
        Assert.DoesNotContain("p8", (await GetAsync(client, "b0")).Ids);

        _factory.Shop.SetOrderStatus("b0", "p8", "CANCELLED");

        await AfterOnePollAsync(client, "b0", answer => answer.Ids.Contains("p8"), "p8 to come back to b0's answer");
    }

    [Fact]
    public async Task The_shop_is_read_when_the_service_clock_passes_the_poll_interval()
    {
        // The longest poll allowed, longer than this test waits: on the system clock it would fail.
        var interval = TimeSpan.FromMinutes(1);
        _factory.Settings["Recommender:RealTime:PollMilliseconds"] = interval.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var client = await _factory.CreateReadyClientAsync();

        _factory.Shop.Add("b0", "p4", InteractionKind.Cart);
        Assert.Contains("p4", (await GetAsync(client, "b0")).Ids);
        _factory.Clock.Advance(interval);

        await Eventually.ReturnsAsync(() => GetAsync(client, "b0"), answer => !answer.Ids.Contains("p4"),
            "p4 to leave b0's answer", limit: interval / 2);
    }

    [Fact]
    public async Task Buyers_whose_state_the_model_already_has_are_not_held()
    {
        var client = await _factory.CreateReadyClientAsync();
        var live = _factory.Services.GetRequiredService<LiveHistories>();
        // Every buyer of the seed changed "since" the first read's start, and equals the model. The
        // second read begins after the first has been applied.
        await PollOnceAsync();
        await PollOnceAsync();
        Assert.Equal(0, live.Count);

        _factory.Shop.Add("b1", "p6", InteractionKind.Cart);
        await AfterOnePollAsync(client, "b1", answer => !answer.Ids.Contains("p6"), "p6 to leave b1's answer");
        Assert.Equal(1, live.Count);
    }

    [Fact]
    public async Task With_real_time_off_answers_follow_the_model_alone()
    {
        _factory.Settings["Recommender:RealTime:Enabled"] = "false";
        var client = await _factory.CreateReadyClientAsync();

        _factory.Shop.Add("b0", "p4", InteractionKind.Cart);
        _factory.Clock.Advance(Bound);

        Assert.IsType<NoLiveHistories>(_factory.Services.GetRequiredService<ILiveHistories>());
        Assert.Contains("p4", (await GetAsync(client, "b0")).Ids);
        Assert.Equal(0, _factory.Shop.ChangeReads);
    }
}
