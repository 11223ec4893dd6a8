using System.ComponentModel.DataAnnotations;

namespace Recommender.Api.RealTime;

/// <summary>
/// Section <c>Recommender:RealTime</c>: a buyer's orders, cart and wishlist changes since the
/// model was trained count in the next answer, read from the shop by polling every
/// <see cref="PollMilliseconds"/> or streamed from PostgreSQL's logical replication.
/// </summary>
public sealed class RealTimeOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Where changes come from: <c>Poll</c> (needs no database setting) or <c>Replication</c>
    /// (PostgreSQL with wal_level=logical and a role that may replicate, or a DBA's publication
    /// and slot: README). When replication cannot start, the service logs why and polls.
    /// </summary>
    public RealTimeSource Source { get; set; } = RealTimeSource.Poll;

    /// <summary>The publication on the seven tables the service reads; created at start-up when missing and the role may.</summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,62}$")]
    public string Publication { get; set; } = "recommender_shop_changes";

    /// <summary>
    /// Every replica's slot is this prefix and its instance id (lowercased, other characters as _).
    /// Slots with the prefix belong to the service: a live replica drops one whose replica is gone.
    /// </summary>
    [Required, RegularExpression("^[a-z_][a-z0-9_]{0,30}$")]
    public string SlotPrefix { get; set; } = "recommender_";

    /// <summary>
    /// Minutes a replica's slot may stay unused (its replica gone) before a live replica drops it.
    /// PostgreSQL keeps every WAL segment an unused slot still needs, until the disk fills.
    /// </summary>
    [Range(1, 7 * 24 * 60)]
    public int AbandonedSlotMinutes { get; set; } = 60;

    /// <summary>
    /// With replication, changes are re-read from the shop at most once per this many milliseconds
    /// (everything committed meanwhile in one read): the most a change waits before it is read.
    /// 0 reads at every commit.
    /// </summary>
    [Range(0, 10_000)]
    public int ReplicationBatchMilliseconds { get; set; } = 50;

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

/// <summary>Where <see cref="RealTimeOptions"/> reads the shop's changes from.</summary>
public enum RealTimeSource
{
    Poll,
    Replication,
}
