namespace Recommender.Tests.Infrastructure;

/// <summary>
/// Where the database tests find their PostgreSQL server, and what happens when none is given.
/// Locally a missing <c>RECOMMENDER_TEST_POSTGRES</c> skips them; in CI (when <c>CI</c> is set,
/// as every CI service does) it fails them, so a broken pipeline cannot pass by running nothing.
/// </summary>
public static class PostgresTestEnvironment
{
    public const string ConnectionStringVariable = "RECOMMENDER_TEST_POSTGRES";

    public const string SkipReason = $"set {ConnectionStringVariable} to run database tests";

    public const string MissingInCiMessage =
        $"{ConnectionStringVariable} is not set but CI is: database tests must run in CI";

    /// <summary>The Npgsql connection string of a database the tests may create schemas in, or null.</summary>
    public static string? ConnectionString => NullIfEmpty(Environment.GetEnvironmentVariable(ConnectionStringVariable));

    public static bool IsCi => NullIfEmpty(Environment.GetEnvironmentVariable("CI")) is not null;

    /// <summary>True when a database test must be skipped rather than run (or failed).</summary>
    public static bool ShouldSkip => ConnectionString is null && !IsCi;

    /// <summary>The connection string, or a clear failure when it is missing.</summary>
    public static string RequireConnectionString() =>
        ConnectionString ?? throw new InvalidOperationException(IsCi ? MissingInCiMessage : SkipReason);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
