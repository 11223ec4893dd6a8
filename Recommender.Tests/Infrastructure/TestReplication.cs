using Npgsql;
using Recommender.Tests.Api;

namespace Recommender.Tests.Infrastructure;

/// <summary>
/// A publication and a slot prefix of one test's own, so tests running side by side (and other
/// people's on the same server) never share or drop each other's slots; <see cref="DisposeAsync"/>
/// drops every slot with the prefix and the publication: a leaked slot would hold WAL forever.
/// Dispose it after the services using the slots are stopped.
/// </summary>
public sealed class TestReplication(PostgresTestDatabase shop) : IAsyncDisposable
{
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..10];

    public string Publication => $"t_pub_{_suffix}";

    public string SlotPrefix => $"t_{_suffix}_";

    /// <summary>The slot a replica with <paramref name="instanceId"/> uses.</summary>
    public string SlotOf(string instanceId) => SlotPrefix + instanceId;

    /// <summary>Settings that make a service read this shop's changes from logical replication as <paramref name="instanceId"/>.</summary>
    public void Configure(RecommenderApiFactory factory, string instanceId)
    {
        factory.Settings["DATABASE_URL"] = shop.ConnectionString;
        factory.Settings["Recommender:RealTime:Source"] = "replication";
        factory.Settings["Recommender:RealTime:Publication"] = Publication;
        factory.Settings["Recommender:RealTime:SlotPrefix"] = SlotPrefix;
        factory.Settings["Recommender:Cluster:InstanceId"] = instanceId;
    }

    /// <summary>This test's slots: name, whether a replica streams from it, and its acknowledged position.</summary>
    public async Task<IReadOnlyList<(string Name, bool Active, NpgsqlTypes.NpgsqlLogSequenceNumber Confirmed)>> SlotsAsync()
    {
        await using var connection = await shop.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT slot_name, active, coalesce(confirmed_flush_lsn, '0/0') FROM pg_replication_slots WHERE starts_with(slot_name, @prefix) ORDER BY 1", connection);
        command.Parameters.AddWithValue("prefix", SlotPrefix);
        var slots = new List<(string, bool, NpgsqlTypes.NpgsqlLogSequenceNumber)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            slots.Add((reader.GetString(0), reader.GetBoolean(1), reader.GetFieldValue<NpgsqlTypes.NpgsqlLogSequenceNumber>(2)));
        return slots;
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = await shop.DataSource.OpenConnectionAsync();
        // A stopped replica's walsender may take a moment to release its slot.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE starts_with(slot_name, @prefix)", connection);
                drop.Parameters.AddWithValue("prefix", SlotPrefix);
                await drop.ExecuteNonQueryAsync();
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 100)
            {
                await Task.Delay(100);
            }
        }
        await using var unpublish = new NpgsqlCommand($"DROP PUBLICATION IF EXISTS {Publication}", connection);
        await unpublish.ExecuteNonQueryAsync();
    }
}
