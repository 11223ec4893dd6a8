namespace Recommender.Training.Commands;

/// <summary>`--name value` pairs after a command word; every option must be known to the command.</summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CommandArguments(IEnumerable<string> args, params string[] known)
    {
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var name = e.Current;
            if (!name.StartsWith("--", StringComparison.Ordinal) || !known.Contains(name[2..]))
                throw new ArgumentException($"Unknown option '{name}'. Options: {string.Join(", ", known.Select(k => "--" + k))}.");
            if (!e.MoveNext())
                throw new ArgumentException($"Option '{name}' needs a value.");
            _values[name[2..]] = e.Current;
        }
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Require(string name) =>
        Get(name) ?? throw new ArgumentException($"Option --{name} is required.");

    public int GetInt(string name, int fallback) =>
        Get(name) is { } text
            ? int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : throw new ArgumentException($"--{name} must be a whole number.")
            : fallback;
}
