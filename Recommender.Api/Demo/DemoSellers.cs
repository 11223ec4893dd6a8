namespace Recommender.Api.Demo;

/// <summary>An artisan or small studio selling on the demo shop, in one or two categories.</summary>
internal sealed record DemoSeller(string Id, string ArtistName, int[] Categories, string? PickupAddressId);

internal static class DemoSellers
{
    public static DemoSeller[] Create(Random random, int count)
    {
        var categories = DemoCatalogue.Categories;
        var shares = DemoRandom.Cumulative(categories.Select(c => c.Share));
        var width = Math.Max(2, count.ToString().Length);
        var sellers = new DemoSeller[count];
        for (var s = 0; s < count; s++)
        {
            var id = $"seller-{(s + 1).ToString($"D{width}")}";
            // The first sellers cover one category each, so that every category has a maker.
            var main = s < categories.Length ? s : random.PickWeighted(shares);
            var second = random.Chance(0.35) ? random.PickWeighted(shares) : main;
            var name = $"{random.Pick(DemoCatalogue.FirstNames)} {random.Pick(DemoCatalogue.LastNames)}";
            sellers[s] = new DemoSeller(id, name, second == main ? [main] : [main, second],
                random.Chance(0.7) ? $"addr-{id}" : null);
        }
        return sellers;
    }
}
