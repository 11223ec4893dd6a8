using System.Text.RegularExpressions;

namespace Recommender.Tests.Demo;

/// <summary>A column of a table in the PostgreSQL DDL fixture.</summary>
public sealed record DdlColumn(string Name, string Type, bool NotNull);

/// <summary>
/// Reads the tables, columns and enums of Fixtures/shop-schema.postgres.sql, so that tests
/// compare against the shop's real schema rather than a copy of it.
/// </summary>
public static partial class PostgresDdl
{
    private static readonly Lazy<string> Text = new(() => File.ReadAllText(Locate()));

    /// <summary>Each table's columns, in declaration order, by table name.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DdlColumn>> Tables() =>
        TableRegex().Matches(Text.Value).ToDictionary(
            m => m.Groups["table"].Value,
            m => (IReadOnlyList<DdlColumn>)m.Groups["body"].Value.Split('\n')
                .Select(line => ColumnRegex().Match(line))
                .Where(c => c.Success)
                .Select(c => new DdlColumn(c.Groups["name"].Value, c.Groups["type"].Value, c.Groups["rest"].Value.Contains("NOT NULL")))
                .ToList());

    /// <summary>Each enum type's values, by type name (unquoted).</summary>
    public static IReadOnlyDictionary<string, string[]> Enums() =>
        EnumRegex().Matches(Text.Value).ToDictionary(
            m => m.Groups["type"].Value,
            m => m.Groups["values"].Value.Split(',').Select(v => v.Trim().Trim('\'')).ToArray());

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Recommender.Tests", "Fixtures", "shop-schema.postgres.sql");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException("Recommender.Tests/Fixtures/shop-schema.postgres.sql not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""CREATE TABLE "(?<table>\w+)" \((?<body>.*?)\n\);""", RegexOptions.Singleline)]
    private static partial Regex TableRegex();

    [GeneratedRegex("""^\s*"(?<name>\w+)"\s+(?<type>"\w+"|[A-Z]+(?: PRECISION)?(?:\(\d+\))?(?:\[\])?)(?<rest>.*)$""")]
    private static partial Regex ColumnRegex();

    [GeneratedRegex("""CREATE TYPE "(?<type>\w+)" AS ENUM \((?<values>[^)]*)\)""")]
    private static partial Regex EnumRegex();
}
