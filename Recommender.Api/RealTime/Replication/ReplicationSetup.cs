using Npgsql;

namespace Recommender.Api.RealTime.Replication;

/// <summary>
/// What logical replication needs in the shop's database, created when missing and the role may:
/// a publication on the seven tables the service reads, and this replica's slot. Also the slot
/// housekeeping every live replica does: the lag of its own slot, and dropping a slot of the
/// service's (same prefix) whose replica has been gone too long. Never touches the shop's tables.
/// </summary>
public sealed class ReplicationSetup(NpgsqlDataSource dataSource, string publication, string slotName, string slotPrefix)
{
    /// <summary>The tables the service reads, as Prisma names them (resolved on the connection's search_path).</summary>
    public static readonly string[] Tables = ["Product", "Order", "OrderItem", "Cart", "CartItem", "Wishlist", "WishlistItem"];

    public string SlotName => slotName;

    public string Publication => publication;

    /// <summary>A slot name for a replica: the prefix and its id, lower-cased, other characters as _, at most 63 characters.</summary>
    public static string SlotNameFor(string prefix, string instanceId)
    {
        var id = new string([.. instanceId.ToLowerInvariant().Select(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '_')]);
        var name = prefix + id;
        return name.Length <= 63 ? name : name[..63];
    }

    /// <summary>Creates the publication, or adds the tables it lacks; throws when the role may not (a DBA must: README).</summary>
    public async Task EnsurePublicationAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var quoted = Tables.Select(t => $"\"{t}\"").ToArray();
        await using (var exists = new NpgsqlCommand("SELECT puballtables FROM pg_publication WHERE pubname = @name", connection))
        {
            exists.Parameters.AddWithValue("name", publication);
            switch (await exists.ExecuteScalarAsync(cancellationToken))
            {
                case null:
                    await using (var create = new NpgsqlCommand($"CREATE PUBLICATION {publication} FOR TABLE {string.Join(", ", quoted)}", connection))
                        await create.ExecuteNonQueryAsync(cancellationToken);
                    return;
                case true:
                    return;
            }
        }
        var missing = new List<string>();
        await using (var covered = new NpgsqlCommand("""
            SELECT t FROM unnest(@tables) AS t
            WHERE NOT EXISTS (SELECT 1 FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
                              WHERE p.pubname = @name AND pr.prrelid = to_regclass(t))
            """, connection))
        {
            covered.Parameters.AddWithValue("tables", quoted);
            covered.Parameters.AddWithValue("name", publication);
            await using var reader = await covered.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) missing.Add(reader.GetString(0));
        }
        if (missing.Count == 0) return;
        await using var add = new NpgsqlCommand($"ALTER PUBLICATION {publication} ADD TABLE {string.Join(", ", missing)}", connection);
        await add.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Creates this replica's slot unless it exists; returns true when it was created (no earlier position to resume from).</summary>
    public async Task<bool> EnsureSlotAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_replication_slots WHERE slot_name = @slot", connection))
        {
            exists.Parameters.AddWithValue("slot", slotName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return false;
        }
        await using var create = new NpgsqlCommand("SELECT pg_create_logical_replication_slot(@slot, 'pgoutput')", connection);
        create.Parameters.AddWithValue("slot", slotName);
        await create.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }

    /// <summary>Bytes of WAL the server keeps for this replica's slot: from what it last acknowledged to the server's current position.</summary>
    public async Task<long?> LagBytesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = @slot", connection);
        command.Parameters.AddWithValue("slot", slotName);
        return await command.ExecuteScalarAsync(cancellationToken) is long lag ? lag : null;
    }

    /// <summary>The service's other slots in this database (same prefix) that no replica is using now.</summary>
    public async Task<IReadOnlyList<string>> InactiveOtherSlotsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT slot_name FROM pg_replication_slots
            WHERE database = current_database() AND NOT active AND slot_name <> @slot AND starts_with(slot_name, @prefix)
            """, connection);
        command.Parameters.AddWithValue("slot", slotName);
        command.Parameters.AddWithValue("prefix", slotPrefix);
        var slots = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) slots.Add(reader.GetString(0));
        return slots;
    }

    /// <summary>Drops a slot if it is still unused (a replica that came back meanwhile keeps it).</summary>
    public async Task<bool> DropIfInactiveAsync(string slot, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = @slot AND NOT active", connection);
        command.Parameters.AddWithValue("slot", slot);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken);
    }

    /// <summary>Which tables have REPLICA IDENTITY FULL: their deletions carry the whole row, so the key map need not hold their rows.</summary>
    public async Task<IReadOnlySet<string>> FullIdentityTablesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT t FROM unnest(@tables) AS t JOIN pg_class c ON c.oid = to_regclass('\"' || t || '\"') WHERE c.relreplident = 'f'", connection);
        command.Parameters.AddWithValue("tables", Tables);
        var full = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) full.Add(reader.GetString(0));
        return full;
    }
}
