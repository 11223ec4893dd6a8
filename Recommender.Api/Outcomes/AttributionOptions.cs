using System.ComponentModel.DataAnnotations;

namespace Recommender.Api.Outcomes;

/// <summary>
/// What was shown, and what it earned (section <c>Recommender:Attribution</c>): the products
/// returned to each buyer are remembered in memory, and a buyer's new cart item, wishlist item or
/// order item for one of them within <see cref="WindowHours"/> is counted for the list, source and
/// variant that showed it.
/// </summary>
public sealed class AttributionOptions
{
    /// <summary>False: nothing is remembered or counted (and the request path does none of it).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An outcome counts when it comes at most this long after the product was shown.</summary>
    [Range(0.001, 24 * 30)]
    public double WindowHours { get; set; } = 24;

    /// <summary>Products remembered per buyer; beyond it the buyer's oldest go first.</summary>
    [Range(1, 10_000)]
    public int MaxPerBuyer { get; set; } = 100;

    /// <summary>Products remembered in all; beyond it the buyers served longest ago are forgotten whole.</summary>
    [Range(1, 100_000_000)]
    public int MaxImpressions { get; set; } = 1_000_000;

    /// <summary>How often this instance adds its counts to the daily roll-up (and on shutdown).</summary>
    [Range(1, 86_400)]
    public int RollupSeconds { get; set; } = 60;

    /// <summary>The window as a time span.</summary>
    public TimeSpan Window => TimeSpan.FromHours(WindowHours);
}
