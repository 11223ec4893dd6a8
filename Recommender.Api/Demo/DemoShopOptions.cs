namespace Recommender.Api.Demo;

/// <summary>
/// The size and seed of the demo shop. A seed and an <see cref="Until"/> day always give the same
/// shop, byte for byte.
/// </summary>
public sealed class DemoShopOptions
{
    public int Buyers { get; init; } = 3000;
    public int Products { get; init; } = 1500;
    public int Sellers { get; init; } = 60;
    public int Seed { get; init; } = 42;

    /// <summary>
    /// The newest moment in the shop (UTC): interactions spread over the 180 days before it.
    /// Null means the start of today (UTC), so a shop created on first start looks current.
    /// </summary>
    public DateTime? Until { get; init; }

    /// <summary>The twelve category names, in id order: "Pottery", "Handwoven Textiles", ….</summary>
    public static IReadOnlyList<string> CategoryNames { get; } = DemoCatalogue.Categories.Select(c => c.Name).ToArray();

    internal void Validate()
    {
        if (Buyers < DemoShop.ShowcaseBuyers.Count)
            throw new ArgumentOutOfRangeException(nameof(Buyers), Buyers, $"The demo shop needs at least {DemoShop.ShowcaseBuyers.Count} buyers.");
        if (Products < DemoCatalogue.Categories.Length)
            throw new ArgumentOutOfRangeException(nameof(Products), Products, $"The demo shop needs at least {DemoCatalogue.Categories.Length} products.");
        if (Sellers < 1)
            throw new ArgumentOutOfRangeException(nameof(Sellers), Sellers, "The demo shop needs a seller.");
    }
}
