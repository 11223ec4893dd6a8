namespace Recommender.Api.RealTime.Replication;

/// <summary>
/// Decides which of the service's other slots to drop: one seen unused, without a break, for
/// longer than the setting. PostgreSQL 15 does not record since when a slot is unused, so each
/// live replica times it from its own first sighting; a replica that restarts starts timing
/// again, which only ever keeps a slot longer, never drops one early.
/// </summary>
public sealed class AbandonedSlots(TimeSpan keepFor)
{
    private readonly Dictionary<string, DateTimeOffset> _unusedSince = new(StringComparer.Ordinal);

    /// <summary>Given the slots unused now, returns those unused for longer than the setting.</summary>
    public IReadOnlyList<string> ToDrop(IReadOnlyCollection<string> unusedNow, DateTimeOffset now)
    {
        foreach (var slot in _unusedSince.Keys.Except(unusedNow, StringComparer.Ordinal).ToList())
            _unusedSince.Remove(slot);
        foreach (var slot in unusedNow)
            _unusedSince.TryAdd(slot, now);
        return [.. _unusedSince.Where(s => now - s.Value >= keepFor).Select(s => s.Key)];
    }

    public void Dropped(string slot) => _unusedSince.Remove(slot);
}
