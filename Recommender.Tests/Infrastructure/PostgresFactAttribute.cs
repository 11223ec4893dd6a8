namespace Recommender.Tests.Infrastructure;

/// <summary>
/// A test that needs PostgreSQL. Skipped when <c>RECOMMENDER_TEST_POSTGRES</c> is unset, unless
/// <c>CI</c> is set: then it runs, and <see cref="PostgresTestDatabase.CreateAsync"/> fails it.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestEnvironment.ShouldSkip)
            Skip = PostgresTestEnvironment.SkipReason;
    }
}

/// <summary>The data-driven form of <see cref="PostgresFactAttribute"/>, with the same skip rule.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresTestEnvironment.ShouldSkip)
            Skip = PostgresTestEnvironment.SkipReason;
    }
}
