using Npgsql;

namespace Recommender.Api.Cluster;

/// <summary>
/// The service's own schema in the shop's database (<c>Cluster:Schema</c>, "recommender" by
/// default): Quartz's job-store tables (<c>qrtz_*</c>), <c>models</c> and <c>model_chunks</c>. The shop's own
/// tables are never written; this schema is the only place the service writes. <c>outcome_rollup</c>
/// holds the daily sums of what lists showed and earned per experiment variant, which every
/// replica adds its own counts to (<see cref="Outcomes.PostgresOutcomeRollupStore"/>).
/// </summary>
public sealed class ServiceSchema(NpgsqlDataSource dataSource, string name)
{
    /// <summary>A validated lower-case identifier, so it is safe to splice into SQL unquoted.</summary>
    public string Name { get; } = name;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    /// <summary>Quartz's table prefix: its tables live in this schema.</summary>
    public string QuartzTablePrefix => $"{Name}.qrtz_";

    /// <summary>
    /// Creates the schema (unless a DBA made it) and the model table; safe to run on every replica
    /// at once. Quartz creates its own tables when its scheduler starts.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Replicas starting together take turns; IF NOT EXISTS alone can still race on the catalog.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext(@schema))", cancellationToken);
        // CREATE SCHEMA needs CREATE on the database even when the schema exists, so ask first:
        // a DBA may have made it and granted only what the service needs inside it.
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)", connection))
        {
            exists.Parameters.AddWithValue("schema", Name);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
                await ExecuteAsync(connection, $"CREATE SCHEMA {Name}", cancellationToken);
        }
        // A version is one row of models and its zip in model_chunks, in order: one bytea value
        // holds at most 1 GB, and a model may be larger. (The single-row model_versions table of
        // earlier releases is left alone, unread; it can be dropped once every replica is upgraded.)
        await ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {Name}.models (
                version      bigint PRIMARY KEY,
                created_at   timestamptz NOT NULL DEFAULT now(),
                published_by text NOT NULL,
                manifest     jsonb NOT NULL,
                zip_bytes    bigint NOT NULL,
                chunks       integer NOT NULL
            );
            CREATE TABLE IF NOT EXISTS {Name}.model_chunks (
                version bigint NOT NULL REFERENCES {Name}.models ON DELETE CASCADE,
                chunk   integer NOT NULL,
                data    bytea NOT NULL,
                PRIMARY KEY (version, chunk)
            );
            CREATE TABLE IF NOT EXISTS {Name}.outcome_rollup (
                day                     date NOT NULL,
                experiment              text NOT NULL,
                variant                 text NOT NULL,
                units                   bigint NOT NULL DEFAULT 0,
                converted_units         bigint NOT NULL DEFAULT 0,
                impressions             bigint NOT NULL DEFAULT 0,
                products_shown          bigint NOT NULL DEFAULT 0,
                orders                  bigint NOT NULL DEFAULT 0,
                carts                   bigint NOT NULL DEFAULT 0,
                wishlists               bigint NOT NULL DEFAULT 0,
                revenue                 double precision NOT NULL DEFAULT 0,
                sum_impressions_squared double precision NOT NULL DEFAULT 0,
                sum_revenue_squared     double precision NOT NULL DEFAULT 0,
                sum_impressions_revenue double precision NOT NULL DEFAULT 0,
                updated_at              timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (day, experiment, variant)
            )
            """, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        async Task ExecuteAsync(NpgsqlConnection on, string sql, CancellationToken token)
        {
            await using var command = new NpgsqlCommand(sql, on);
            if (sql.Contains("@schema", StringComparison.Ordinal)) command.Parameters.AddWithValue("schema", Name);
            await command.ExecuteNonQueryAsync(token);
        }
    }
}
