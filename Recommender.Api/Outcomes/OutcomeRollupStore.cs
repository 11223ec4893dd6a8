using System.Text.Json;
using Npgsql;
using Recommender.Api.Cluster;

namespace Recommender.Api.Outcomes;

/// <summary>
/// The daily roll-up per experiment and variant, kept where it outlives a restart. Each instance
/// adds its own increments (<see cref="AddAsync"/>), so replicas sum up.
/// </summary>
public interface IOutcomeRollupStore
{
    /// <summary>Adds increments to the stored days of <paramref name="experiment"/>.</summary>
    Task AddAsync(string experiment, IReadOnlyDictionary<(int Day, string Variant), DayTally> increments, CancellationToken cancellationToken);

    /// <summary>Every stored day and variant of <paramref name="experiment"/>.</summary>
    Task<IReadOnlyDictionary<(int Day, string Variant), DayTally>> ReadAsync(string experiment, CancellationToken cancellationToken);
}

/// <summary>
/// The roll-up in the service's own PostgreSQL schema (<c>outcome_rollup</c>, with
/// <c>Cluster:Enabled</c>): one upsert per day and variant that adds this replica's increments.
/// </summary>
public sealed class PostgresOutcomeRollupStore(ServiceSchema schema) : IOutcomeRollupStore
{
    private const string Columns = "units, converted_units, impressions, products_shown, orders, carts, wishlists, revenue, sum_impressions_squared, sum_revenue_squared, sum_impressions_revenue";
    private volatile bool _created;

    public async Task AddAsync(string experiment, IReadOnlyDictionary<(int Day, string Variant), DayTally> increments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(increments);
        if (increments.Count == 0) return;
        await EnsureCreatedAsync(cancellationToken);
        var sets = string.Join(", ", Columns.Split(", ").Select(c => $"{c} = r.{c} + excluded.{c}"));
        await using var connection = await schema.DataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var ((day, variant), t) in increments)
        {
            var command = new NpgsqlBatchCommand($"""
                INSERT INTO {schema.Name}.outcome_rollup AS r (day, experiment, variant, {Columns})
                VALUES (@day, @experiment, @variant, @units, @converted, @impressions, @shown, @orders, @carts, @wishlists, @revenue, @xx, @yy, @xy)
                ON CONFLICT (day, experiment, variant) DO UPDATE SET {sets}, updated_at = now()
                """);
            command.Parameters.AddWithValue("day", DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day));
            command.Parameters.AddWithValue("experiment", experiment);
            command.Parameters.AddWithValue("variant", variant);
            command.Parameters.AddWithValue("units", t.Units);
            command.Parameters.AddWithValue("converted", t.ConvertedUnits);
            command.Parameters.AddWithValue("impressions", t.Impressions);
            command.Parameters.AddWithValue("shown", t.ProductsShown);
            command.Parameters.AddWithValue("orders", t.Orders);
            command.Parameters.AddWithValue("carts", t.Carts);
            command.Parameters.AddWithValue("wishlists", t.Wishlists);
            command.Parameters.AddWithValue("revenue", t.Revenue);
            command.Parameters.AddWithValue("xx", t.SumImpressionsSquared);
            command.Parameters.AddWithValue("yy", t.SumRevenueSquared);
            command.Parameters.AddWithValue("xy", t.SumImpressionsRevenue);
            batch.BatchCommands.Add(command);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<(int Day, string Variant), DayTally>> ReadAsync(string experiment, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await schema.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT day, variant, {Columns} FROM {schema.Name}.outcome_rollup WHERE experiment = @experiment", connection);
        command.Parameters.AddWithValue("experiment", experiment);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new Dictionary<(int Day, string Variant), DayTally>();
        var epoch = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        while (await reader.ReadAsync(cancellationToken))
        {
            rows[(reader.GetFieldValue<DateOnly>(0).DayNumber - epoch, reader.GetString(1))] = new DayTally
            {
                Units = reader.GetInt64(2),
                ConvertedUnits = reader.GetInt64(3),
                Impressions = reader.GetInt64(4),
                ProductsShown = reader.GetInt64(5),
                Orders = reader.GetInt64(6),
                Carts = reader.GetInt64(7),
                Wishlists = reader.GetInt64(8),
                Revenue = reader.GetDouble(9),
                SumImpressionsSquared = reader.GetDouble(10),
                SumRevenueSquared = reader.GetDouble(11),
                SumImpressionsRevenue = reader.GetDouble(12),
            };
        }
        return rows;
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created) return;
        await schema.EnsureCreatedAsync(cancellationToken);
        _created = true;
    }
}

/// <summary>
/// The roll-up in a JSON file in the models directory (<c>outcome-rollup.json</c>), for a single
/// instance without the cluster's schema (the SQLite demo shop, or a PostgreSQL shop with
/// <c>Cluster:Enabled=false</c>): rewritten whole under a temporary name and renamed.
/// </summary>
public sealed class FileOutcomeRollupStore(string directory) : IOutcomeRollupStore
{
    public const string FileName = "outcome-rollup.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly Lock _gate = new();

    private string PathName => Path.Combine(directory, FileName);

    // The file is a few rows per day and variant: read and written whole, synchronously, under the lock.
    public Task AddAsync(string experiment, IReadOnlyDictionary<(int Day, string Variant), DayTally> increments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(increments);
        if (increments.Count == 0) return Task.CompletedTask;
        lock (_gate)
        {
            var rows = ReadAll();
            foreach (var ((day, variant), tally) in increments)
            {
                var row = rows.Find(r => r.Day == day && r.Experiment == experiment && r.Variant == variant);
                if (row is null) rows.Add(row = new FileRow { Day = day, Experiment = experiment, Variant = variant, Tally = new DayTally() });
                row.Tally.Add(tally);
            }
            Directory.CreateDirectory(directory);
            var temporary = PathName + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(rows, Json));
            File.Move(temporary, PathName, overwrite: true);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<(int Day, string Variant), DayTally>> ReadAsync(string experiment, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<(int Day, string Variant), DayTally> rows = ReadAll().Where(r => r.Experiment == experiment)
                .ToDictionary(r => (r.Day, r.Variant), r => r.Tally);
            return Task.FromResult(rows);
        }
    }

    private List<FileRow> ReadAll() =>
        File.Exists(PathName) ? JsonSerializer.Deserialize<List<FileRow>>(File.ReadAllBytes(PathName), Json) ?? [] : [];

    /// <summary>One day of one variant of one experiment.</summary>
    public sealed class FileRow
    {
        /// <summary>Days since 1970-01-01, UTC.</summary>
        public int Day { get; set; }
        public string Experiment { get; set; } = "";
        public string Variant { get; set; } = "";
        public DayTally Tally { get; set; } = new();
    }
}
