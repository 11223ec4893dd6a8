using System.Diagnostics.CodeAnalysis;

namespace Recommender.Bench;

/// <summary>The command line of <c>load-shop</c>.</summary>
internal sealed record LoadShopOptions(string DatasetPath, string DatabaseUrl, string? Schema, int Seed, bool Drop)
{
    public const string Usage = """
        usage: recommender-bench load-shop --dataset PATH --database-url URL [--schema NAME] [--seed N] [--drop]

          --dataset PATH        Amazon dataset file: one line per user, "user item1 item2 ...", oldest first
          --database-url URL    postgresql://user:pass@host:port/db[?schema=NAME] or an Npgsql connection
                                string; defaults to $DATABASE_URL. The database is created if it is missing.
          --schema NAME         schema to build the shop in; defaults to the URL's ?schema= or "public"
          --seed N              seed of every random choice (default 1); the same seed gives the same shop
          --drop                drop the schema (CASCADE) and recreate it first; without it the schema
                                must not hold the shop tables yet
        """;

    public static bool TryParse(
        ReadOnlySpan<string> args,
        [NotNullWhen(true)] out LoadShopOptions? options,
        [NotNullWhen(false)] out string? error)
    {
        string? dataset = null, databaseUrl = Environment.GetEnvironmentVariable("DATABASE_URL"), schema = null;
        var seed = 1;
        var drop = false;
        options = null;

        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--drop") { drop = true; continue; }
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return false;
            }
            var value = args[++i];
            switch (name)
            {
                case "--dataset": dataset = value; break;
                case "--database-url": databaseUrl = value; break;
                case "--schema": schema = value; break;
                case "--seed" when int.TryParse(value, out var parsed): seed = parsed; break;
                case "--seed": error = $"--seed must be an integer, not '{value}'"; return false;
                default: error = $"unknown option '{name}'"; return false;
            }
        }

        if (string.IsNullOrWhiteSpace(dataset)) { error = "--dataset is required"; return false; }
        if (!File.Exists(dataset)) { error = $"dataset file not found: {dataset}"; return false; }
        if (string.IsNullOrWhiteSpace(databaseUrl)) { error = "--database-url (or DATABASE_URL) is required"; return false; }
        if (schema is { Length: 0 }) { error = "--schema must not be empty"; return false; }

        options = new LoadShopOptions(dataset, databaseUrl, schema, seed, drop);
        error = null;
        return true;
    }
}
