using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;
using Recommender.Api.Observability;
using Recommender.Api.Options;

namespace Recommender.Api.RealTime.Replication;

/// <summary>Logical replication could not start (no REPLICATION attribute, wal_level not logical, no publication...): the service polls instead.</summary>
public sealed class ReplicationUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The <c>replication</c> change source: PostgreSQL's committed changes to the seven tables, in
/// commit order, from this replica's slot (pgoutput). Each committed transaction names the
/// buyers it touched (a deletion through <see cref="ShopKeyMap"/>); batches of them are re-read
/// from the shop set-based and applied by <see cref="LiveHistoryUpdates"/>, as the poller's are.
/// A transaction's position is acknowledged to the slot only after its buyers were applied, so
/// after a crash or a restart the slot sends again whatever was not.
/// </summary>
public sealed partial class ReplicationChangeFeed(
    string connectionString,
    ReplicationSetup setup,
    NpgsqlDataSource dataSource,
    LiveHistoryUpdates updates,
    RecommenderMetrics metrics,
    TimeProvider clock,
    IOptions<RecommenderOptions> options,
    ILogger<ReplicationChangeFeed> logger)
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long after a batch its buyers are read once more. A transaction can reach the stream
    /// before a new snapshot sees it: PostgreSQL flushes the commit record, which the walsender
    /// decodes and sends, before the committing backend leaves the process array. On a loaded
    /// server that gap can outlast the batch window, and the batch's read then finds the rows as
    /// they were; reading again a moment later finds them as committed.
    /// </summary>
    private static readonly TimeSpan VisibilityRecheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LagEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SlotSweepEvery = TimeSpan.FromMinutes(1);

    private ShopKeyMap _keys = new();
    private readonly AbandonedSlots _abandoned = new(TimeSpan.FromMinutes(options.Value.RealTime.AbandonedSlotMinutes));
    private IReadOnlySet<string> _fullIdentity = new HashSet<string>();
    private volatile bool _inTransaction;
    private int _unresolved;

    /// <summary>One committed transaction's buyers (or a truncation, which names none), and where it ends in the WAL.</summary>
    private sealed record Committed(string[] Buyers, bool Truncated, NpgsqlLogSequenceNumber End);

    /// <summary>
    /// True while a replication connection is open after the start-up read: every change
    /// committed from now on reaches the live histories through the slot.
    /// </summary>
    public bool Streaming { get; private set; }

    /// <summary>The key map, for the benchmark and logs.</summary>
    public ShopKeyMap Keys => _keys;

    /// <summary>
    /// Prepares (publication, slot, key map, the start-up read) and then streams until stopped,
    /// reconnecting after a failure. Throws <see cref="ReplicationUnavailableException"/> when
    /// replication cannot start at all.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        bool created;
        try
        {
            await setup.EnsurePublicationAsync(stoppingToken);
            created = await setup.EnsureSlotAsync(stoppingToken);
            await StartFromTheShopAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // This replica will poll: a slot nobody reads would keep WAL until the disk fills.
            await DropOwnSlotQuietlyAsync();
            throw new ReplicationUnavailableException(
                $"Logical replication could not start on slot {setup.SlotName} and publication {setup.Publication}: {e.Message}", e);
        }
        LogStarted(setup.SlotName, created ? "created" : "resumed", setup.Publication, _keys.Rows, _keys.EstimatedBytes / (1024.0 * 1024.0));

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await StreamAsync(() => failures = 0, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                if (failures++ == 0) LogStreamFailed(e);
                else LogStillFailing(failures, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, 1 << Math.Min(failures - 1, 3))), clock, stoppingToken);
                try
                {
                    // A slot dropped meanwhile (by a DBA, or by another replica after a long outage)
                    // has no position left to resume from: start again from the shop.
                    if (await setup.EnsureSlotAsync(stoppingToken))
                    {
                        LogSlotRecreated(setup.SlotName);
                        await StartFromTheShopAsync(stoppingToken);
                    }
                }
                catch (Exception again) when (!stoppingToken.IsCancellationRequested)
                {
                    LogStillFailing(failures, again.Message);
                }
            }
        }
    }

    private async Task DropOwnSlotQuietlyAsync()
    {
        try
        {
            if (await setup.DropIfInactiveAsync(setup.SlotName, CancellationToken.None))
                LogOwnSlotDropped(setup.SlotName);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogStillFailing(0, e.Message);
        }
    }

    /// <summary>The key map and the start-up read, both after the slot exists: whatever commits later is in the slot.</summary>
    private async Task StartFromTheShopAsync(CancellationToken cancellationToken)
    {
        _fullIdentity = await setup.FullIdentityTablesAsync(cancellationToken);
        await LoadKeysAsync(cancellationToken);
        await updates.CatchUpAsync(cancellationToken);
    }

    private async Task StreamAsync(Action streaming, CancellationToken stoppingToken)
    {
        await using var connection = new LogicalReplicationConnection(connectionString) { WalReceiverStatusInterval = IdleCheck };
        await connection.Open(stoppingToken);
        Streaming = true;
        try
        {
            await StreamAsync(connection, streaming, stoppingToken);
        }
        finally
        {
            Streaming = false;
        }
    }

    private async Task StreamAsync(LogicalReplicationConnection connection, Action streaming, CancellationToken stoppingToken)
    {
        var committed = Channel.CreateUnbounded<Committed>(new UnboundedChannelOptions { SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var reading = ReadAsync(connection, committed.Writer, stop.Token);
        var applying = ApplyAsync(connection, committed.Reader, streaming, stop.Token);
        var first = await Task.WhenAny(reading, applying);
        await stop.CancelAsync();
        var other = first == reading ? applying : reading;
        try
        {
            await other;
        }
        catch (OperationCanceledException)
        {
            // Stopped because the first one ended.
        }
        await first;
    }

    private async Task ReadAsync(LogicalReplicationConnection connection, ChannelWriter<Committed> committed, CancellationToken cancellationToken)
    {
        var slot = new PgOutputReplicationSlot(setup.SlotName);
        var buyers = new HashSet<string>(StringComparer.Ordinal);
        var truncated = false;
        var replication = new PgOutputReplicationOptions(setup.Publication, PgOutputProtocolVersion.V1);
        await foreach (var message in connection.StartReplication(slot, replication, cancellationToken))
        {
            switch (message)
            {
                case BeginMessage:
                    _inTransaction = true;
                    break;
                case InsertMessage insert:
                    await OnRowAsync(insert.Relation, insert.NewRow, deleted: false, buyers, cancellationToken);
                    break;
                case UpdateMessage update:
                    await OnRowAsync(update.Relation, update.NewRow, deleted: false, buyers, cancellationToken);
                    break;
                case KeyDeleteMessage delete:
                    await OnRowAsync(delete.Relation, delete.Key, deleted: true, buyers, cancellationToken);
                    break;
                case FullDeleteMessage delete:
                    await OnRowAsync(delete.Relation, delete.OldRow, deleted: true, buyers, cancellationToken);
                    break;
                case TruncateMessage:
                    truncated = true;
                    break;
                case CommitMessage commit:
                    // Also a transaction that touched no buyer: its position is acknowledged.
                    await committed.WriteAsync(new Committed([.. buyers], truncated, commit.TransactionEndLsn), cancellationToken);
                    buyers.Clear();
                    truncated = false;
                    _inTransaction = false;
                    break;
            }
        }
    }

    /// <summary>
    /// Applies what committed, in batches (everything waiting is one read of the shop), then
    /// acknowledges it. While nothing waits it reconciles after a model swap, acknowledges the
    /// server's keep-alive position (so WAL written for other tables is not kept for this slot)
    /// and does the slot housekeeping.
    /// </summary>
    private async Task ApplyAsync(LogicalReplicationConnection connection, ChannelReader<Committed> committed, Action streaming,
        CancellationToken cancellationToken)
    {
        var nextLag = clock.GetUtcNow();
        var nextSweep = clock.GetUtcNow();
        var batchWindow = TimeSpan.FromMilliseconds(options.Value.RealTime.ReplicationBatchMilliseconds);
        var lastRead = clock.GetTimestamp() - (long)(batchWindow.TotalSeconds * clock.TimestampFrequency);
        var recheck = new HashSet<string>(StringComparer.Ordinal);
        var recheckAt = DateTimeOffset.MaxValue;
        while (true)
        {
            if (recheck.Count > 0 && clock.GetUtcNow() >= recheckAt)
            {
                await updates.ApplyAsync(recheck, cancellationToken);
                recheck.Clear();
                recheckAt = DateTimeOffset.MaxValue;
            }

            // Read before looking at what waits: any transaction committed at or before this
            // position has been received, so if none waits and none is half-read, all is applied.
            var received = connection.LastReceivedLsn;
            if (!await WaitAsync(committed, cancellationToken))
            {
                await updates.ReconcileAsync(cancellationToken);
                if (!_inTransaction && committed.Count == 0 && received > connection.LastAppliedLsn)
                    connection.SetReplicationStatus(received);
            }
            else
            {
                // One read of the shop per window: what commits meanwhile joins this batch.
                var wait = batchWindow - clock.GetElapsedTime(lastRead);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, cancellationToken);
                lastRead = clock.GetTimestamp();
                var buyers = new HashSet<string>(StringComparer.Ordinal);
                var truncated = false;
                var end = default(NpgsqlLogSequenceNumber);
                while (committed.TryRead(out var transaction))
                {
                    buyers.UnionWith(transaction.Buyers);
                    truncated |= transaction.Truncated;
                    end = transaction.End;
                }
                // A truncated table names no rows: compare everyone with the model again.
                var started = clock.GetTimestamp();
                if (truncated) await updates.CatchUpAsync(cancellationToken);
                await updates.ApplyAsync(buyers, cancellationToken);
                connection.SetReplicationStatus(end);
                if (buyers.Count > 0 && recheck.Count == 0) recheckAt = clock.GetUtcNow() + VisibilityRecheck;
                recheck.UnionWith(buyers);
                LogApplied(buyers.Count, clock.GetElapsedTime(started).TotalMilliseconds, end.ToString());
                streaming();
            }

            var now = clock.GetUtcNow();
            if (now >= nextLag || now >= nextSweep)
            {
                // Housekeeping on its own connections: a failure is logged and retried, and never stops the stream.
                try
                {
                    if (now >= nextLag)
                    {
                        nextLag = now + LagEvery;
                        metrics.ReplicationLag(await setup.LagBytesAsync(cancellationToken));
                    }
                    if (now >= nextSweep)
                    {
                        nextSweep = now + SlotSweepEvery;
                        await DropAbandonedSlotsAsync(now, cancellationToken);
                    }
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    LogHousekeepingFailed(e.Message);
                }
            }
        }
    }

    /// <summary>True when something committed waits; false after <see cref="IdleCheck"/> without.</summary>
    private async Task<bool> WaitAsync(ChannelReader<Committed> committed, CancellationToken cancellationToken)
    {
        if (committed.Count > 0) return true;
        using var idle = new CancellationTokenSource(IdleCheck, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            return await committed.WaitToReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public async Task DropAbandonedSlotsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var unused = await setup.InactiveOtherSlotsAsync(cancellationToken);
        foreach (var slot in _abandoned.ToDrop(unused, now))
        {
            if (await setup.DropIfInactiveAsync(slot, cancellationToken))
                LogSlotDropped(slot, options.Value.RealTime.AbandonedSlotMinutes);
            _abandoned.Dropped(slot);
        }
    }

    /// <summary>Maps one row to its buyer, keeps the key map current, and adds the buyer to the transaction's.</summary>
    private async Task OnRowAsync(RelationMessage relation, ReplicationTuple row, bool deleted, HashSet<string> buyers, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ShopTable>(relation.RelationName, out var table)) return; // "Product": the catalog refresh reads it
        var parentColumn = ParentColumnOf(table);
        string? id = null, parent = null;
        var column = 0;
        await foreach (var value in row.WithCancellation(cancellationToken))
        {
            var name = relation.Columns[column++].ColumnName;
            if (value.IsDBNull || value.IsUnchangedToastedValue) continue;
            if (name == "id") id = await value.Get<string>(cancellationToken);
            else if (name == parentColumn) parent = await value.Get<string>(cancellationToken);
        }
        if (id is null) return;

        var owner = OwnerOf(table);
        string? buyer;
        if (deleted)
        {
            // Parents stay in the map: their children's deletions (a cascade) come after theirs.
            buyer = table == owner ? _keys.BuyerOf(table, id) : _keys.Forget(table, id);
            buyer ??= parent is null ? null : table == owner ? parent : _keys.BuyerOf(owner, parent);
        }
        else
        {
            buyer = parent is null ? null : table == owner ? parent : _keys.BuyerOf(owner, parent);
            if (buyer is not null && (table == owner || !_fullIdentity.Contains(relation.RelationName)))
                _keys.Remember(table, id, buyer);
        }
        if (buyer is not null) buyers.Add(buyer);
        else LogUnresolved(relation.RelationName, id, ++_unresolved);
    }

    /// <summary>The column naming the row's buyer (Order, Cart, Wishlist) or its parent (the item tables).</summary>
    private static string ParentColumnOf(ShopTable table) => table switch
    {
        ShopTable.OrderItem => "orderId",
        ShopTable.CartItem => "cartId",
        ShopTable.WishlistItem => "wishlistId",
        _ => "buyerId",
    };

    /// <summary>The table whose row names the buyer: the table itself, or the item's parent.</summary>
    private static ShopTable OwnerOf(ShopTable table) => table switch
    {
        ShopTable.OrderItem => ShopTable.Order,
        ShopTable.CartItem => ShopTable.Cart,
        ShopTable.WishlistItem => ShopTable.Wishlist,
        _ => table,
    };

    /// <summary>Every row's buyer in one read; item tables with REPLICA IDENTITY FULL are left out (their deletions carry the parent).</summary>
    private async Task LoadKeysAsync(CancellationToken cancellationToken)
    {
        var parts = new List<string>
        {
            """SELECT 0, o."id", o."buyerId" FROM "Order" o""",
            """SELECT 2, c."id", c."buyerId" FROM "Cart" c""",
            """SELECT 4, w."id", w."buyerId" FROM "Wishlist" w""",
        };
        if (!_fullIdentity.Contains("OrderItem"))
            parts.Add("""SELECT 1, oi."id", o."buyerId" FROM "OrderItem" oi JOIN "Order" o ON o."id" = oi."orderId" """);
        if (!_fullIdentity.Contains("CartItem"))
            parts.Add("""SELECT 3, ci."id", c."buyerId" FROM "CartItem" ci JOIN "Cart" c ON c."id" = ci."cartId" """);
        if (!_fullIdentity.Contains("WishlistItem"))
            parts.Add("""SELECT 5, wi."id", w."buyerId" FROM "WishlistItem" wi JOIN "Wishlist" w ON w."id" = wi."wishlistId" """);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(string.Join("\nUNION ALL ", parts), connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new ShopKeyMap();
        while (await reader.ReadAsync(cancellationToken))
            keys.Load((ShopTable)reader.GetInt32(0), reader.GetString(1), reader.GetString(2));
        keys.EndLoad();
        _keys = keys;
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Information,
        Message = "Real time reads logical replication: slot {Slot} ({How}), publication {Publication}; key map {Rows} rows, about {Megabytes:F1} MiB")]
    private partial void LogStarted(string slot, string how, string publication, int rows, double megabytes);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning,
        Message = "The replication stream failed; it reconnects and resumes from the slot's last acknowledged position")]
    private partial void LogStreamFailed(Exception exception);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Debug, Message = "The replication stream still fails ({Failures} tries in a row): {Reason}")]
    private partial void LogStillFailing(int failures, string reason);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Warning,
        Message = "Replication slot {Slot} was gone and is created again; the shop is read again from the start")]
    private partial void LogSlotRecreated(string slot);

    [LoggerMessage(EventId = 6014, Level = LogLevel.Warning,
        Message = "Dropped replication slot {Slot}: unused for more than {Minutes} minutes (RealTime:AbandonedSlotMinutes), its replica is gone")]
    private partial void LogSlotDropped(string slot, int minutes);

    [LoggerMessage(EventId = 6016, Level = LogLevel.Debug, Message = "Replication slot housekeeping (lag, abandoned slots) failed; retried later: {Reason}")]
    private partial void LogHousekeepingFailed(string reason);

    [LoggerMessage(EventId = 6017, Level = LogLevel.Debug, Message = "Replication: {Buyers} buyers re-read and applied in {Milliseconds:F1} ms; acknowledged up to {Lsn}")]
    private partial void LogApplied(int buyers, double milliseconds, string lsn);

    [LoggerMessage(EventId = 6018, Level = LogLevel.Information, Message = "Dropped this replica's slot {Slot}: it polls instead, and an unread slot would keep WAL")]
    private partial void LogOwnSlotDropped(string slot);

    [LoggerMessage(EventId = 6015, Level = LogLevel.Debug,
        Message = "A change to {Table} row {Id} names no buyer the key map knows ({Count} so far); the next model swap re-reads held buyers")]
    private partial void LogUnresolved(string table, string id, int count);
}
