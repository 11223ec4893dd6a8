using System.ComponentModel.DataAnnotations;

namespace Recommender.Api.RealTime;

/// <summary>
/// Section <c>Recommender:RealTime</c>: a buyer's orders, cart and wishlist changes since the
/// model was trained count in the next answer, read from the shop every <see cref="PollMilliseconds"/>.
/// </summary>
public sealed class RealTimeOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Milliseconds between reads of what changed; a change shows within about this plus the read's time.</summary>
    [Range(100, 60_000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Each read looks this far behind the previous one, so a row committed late with an
    /// earlier createdAt/updatedAt (a long transaction, an application clock behind the
    /// database's) is still seen. Carts and wishlists do not depend on it (they are fingerprinted).
    /// </summary>
    [Range(0, 3600)]
    public int OverlapSeconds { get; set; } = 2;

    /// <summary>
    /// At most this many changed buyers are kept between trainings; beyond it the longest
    /// unchanged are forgotten (served from the model again) until the next model has them.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxBuyers { get; set; } = 100_000;
}
