using Recommender.Api.Outcomes;
using Recommender.Training.Data;

namespace Recommender.Tests.Outcomes;

/// <summary>What was shown, remembered in memory and bounded, and what a buyer's new rows are credited to.</summary>
public sealed class ImpressionMemoryTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static ImpressionMemory Memory(int maxPerBuyer = 100, int maxImpressions = 1_000_000, double windowHours = 24) =>
        new(new AttributionOptions { MaxPerBuyer = maxPerBuyer, MaxImpressions = maxImpressions, WindowHours = windowHours });

    private static void Show(ImpressionMemory memory, string buyer, DateTimeOffset at, string variant = "a", string list = "recommendations", params string[] products) =>
        memory.Remember(buyer, list, variant, products, [.. products.Select(_ => "personalized")], at);

    private static ShopInteraction Order(string buyer, string product, DateTimeOffset at, double revenue = 20) =>
        new(buyer, product, InteractionKind.Order, at.UtcDateTime, revenue);

    [Fact]
    public void An_order_of_a_shown_product_within_the_window_counts_once_with_its_revenue()
    {
        var memory = Memory();
        Show(memory, "b1", Noon, "b", "recommendations", "p1", "p2");

        var first = memory.Attribute([Order("b1", "p2", Noon.AddHours(3), revenue: 45.5)]);
        // Every change of the buyer re-reads all their rows: the same order comes again.
        var again = memory.Attribute([Order("b1", "p2", Noon.AddHours(3), revenue: 45.5)]);

        var credited = Assert.Single(first);
        Assert.Equal(new AttributedOutcome("recommendations", "personalized", "b", InteractionKind.Order, 45.5), credited);
        Assert.Empty(again);
    }

    [Fact]
    public void A_cart_item_and_an_order_of_the_same_shown_product_each_count_once()
    {
        var memory = Memory();
        Show(memory, "b1", Noon, products: "p1");

        var cart = memory.Attribute([new ShopInteraction("b1", "p1", InteractionKind.Cart, Noon.AddMinutes(5).UtcDateTime)]);
        var both = memory.Attribute([
            new ShopInteraction("b1", "p1", InteractionKind.Cart, Noon.AddMinutes(5).UtcDateTime),
            Order("b1", "p1", Noon.AddMinutes(30))]);

        Assert.Equal(InteractionKind.Cart, Assert.Single(cart).Outcome);
        Assert.Equal(InteractionKind.Order, Assert.Single(both).Outcome);
    }

    [Fact]
    public void An_order_outside_the_window_or_of_a_product_not_shown_or_by_another_buyer_counts_nothing()
    {
        var memory = Memory(windowHours: 24);
        Show(memory, "b1", Noon, products: "p1");

        Assert.Empty(memory.Attribute([Order("b1", "p1", Noon.AddHours(24).AddMinutes(1))]));  // too late
        Assert.Empty(memory.Attribute([Order("b1", "p9", Noon.AddHours(1))]));                  // never shown
        Assert.Empty(memory.Attribute([Order("b2", "p1", Noon.AddHours(1))]));                  // shown to someone else
        Assert.Empty(memory.Attribute([Order("b1", "p1", Noon.AddHours(-1))]));                 // bought before it was shown
    }

    [Fact]
    public void An_order_is_credited_to_the_latest_showing_before_it()
    {
        var memory = Memory();
        memory.Remember("b1", "similar", "a", ["p1"], ["similar"], Noon);
        memory.Remember("b1", "trending", "a", ["p1"], ["trending"], Noon.AddHours(1));
        memory.Remember("b1", "recommendations", "a", ["p1"], ["personalized"], Noon.AddHours(3));

        var credited = Assert.Single(memory.Attribute([Order("b1", "p1", Noon.AddHours(2))]));

        Assert.Equal(("trending", "trending"), (credited.List, credited.Source));
    }

    [Fact]
    public void Memory_stays_within_its_caps_under_a_long_run()
    {
        const int perBuyer = 20, total = 5_000;
        var memory = Memory(maxPerBuyer: perBuyer, maxImpressions: total);
        var random = new Random(7);
        var products = Enumerable.Range(0, 500).Select(p => $"p{p}").ToArray();

        for (var request = 0; request < 100_000; request++)
        {
            var list = Enumerable.Range(0, 10).Select(_ => products[random.Next(products.Length)]).ToArray();
            Show(memory, $"buyer-{random.Next(3_000)}", Noon.AddSeconds(request), products: list);
            if (request % 1000 == 0)
                Assert.InRange(memory.Impressions, 0, total);
        }

        Assert.InRange(memory.Impressions, total - perBuyer, total);
        Assert.InRange(memory.Buyers, total / perBuyer, total / 10);
    }

    [Fact]
    public void The_buyers_served_longest_ago_are_forgotten_first()
    {
        var memory = Memory(maxPerBuyer: 10, maxImpressions: 4);
        Show(memory, "old", Noon, products: ["p1", "p2"]);
        Show(memory, "middle", Noon.AddMinutes(1), products: ["p1", "p2"]);
        Show(memory, "old", Noon.AddMinutes(2), products: ["p3"]);     // served again: now the newest
        Show(memory, "new", Noon.AddMinutes(3), products: ["p1"]);

        Assert.Empty(memory.Attribute([Order("middle", "p1", Noon.AddMinutes(4))]));
        Assert.Single(memory.Attribute([Order("old", "p3", Noon.AddMinutes(4))]));
        Assert.Single(memory.Attribute([Order("new", "p1", Noon.AddMinutes(4))]));
    }

    [Fact]
    public void A_buyer_keeps_only_their_latest_showings()
    {
        var memory = Memory(maxPerBuyer: 3);
        Show(memory, "b1", Noon, products: ["p1", "p2", "p3", "p4", "p5"]);

        Assert.Equal(3, memory.Impressions);
        Assert.Empty(memory.Attribute([Order("b1", "p1", Noon.AddMinutes(1))]));
        Assert.Single(memory.Attribute([Order("b1", "p5", Noon.AddMinutes(1))]));
    }

    [Fact]
    public void The_day_tallies_count_buyer_days_conversions_and_revenue_per_variant()
    {
        var memory = Memory();
        Show(memory, "b1", Noon, "a", "recommendations", "p1");
        Show(memory, "b1", Noon.AddMinutes(1), "a", "recommendations", "p2");
        Show(memory, "b2", Noon, "b", "recommendations", "p1");
        memory.Attribute([Order("b1", "p1", Noon.AddMinutes(2), revenue: 10), Order("b1", "p2", Noon.AddMinutes(2), revenue: 30)]);

        var tallies = memory.TakeTallies();
        var day = ImpressionMemory.DayOf(Noon);
        var a = tallies[(day, "a")];
        var b = tallies[(day, "b")];

        Assert.Equal((1L, 1L, 2L, 2L, 40.0), (a.Units, a.ConvertedUnits, a.Impressions, a.Orders, a.Revenue));
        // One unit with 2 impressions and 40 of revenue: Σx² = 4, Σy² = 1600, Σxy = 80.
        Assert.Equal((4.0, 1600.0, 80.0), (a.SumImpressionsSquared, a.SumRevenueSquared, a.SumImpressionsRevenue));
        Assert.Equal((1L, 0L, 1L), (b.Units, b.ConvertedUnits, b.Impressions));
        Assert.Empty(memory.TakeTallies());
    }
}
