using System.Globalization;

namespace Recommender.Training;

/// <summary>
/// <c>--name value</c> pairs of one command, read by name; a bad or unknown option is an
/// <see cref="ArgumentException"/> with a message for the user.
/// </summary>
internal sealed class OptionArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public OptionArguments(ReadOnlySpan<string> args)
    {
        for (var n = 0; n < args.Length; n += 2)
        {
            if (!args[n].StartsWith("--", StringComparison.Ordinal) || args[n].Length == 2)
                throw new ArgumentException($"Expected an option --name, got '{args[n]}'.");
            if (n + 1 == args.Length) throw new ArgumentException($"Option {args[n]} needs a value.");
            if (!_values.TryAdd(args[n][2..], args[n + 1])) throw new ArgumentException($"Option {args[n]} is given twice.");
        }
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public string RequiredString(string name) => String(name) ?? throw new ArgumentException($"Option --{name} is required.");

    public long? Long(string name)
    {
        var text = String(name);
        if (text is null) return null;
        // Accept 10000000, 10_000_000 and 10M-style shorthands (k, M).
        var multiplier = 1L;
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (digits.EndsWith('k') || digits.EndsWith('K')) (multiplier, digits) = (1_000, digits[..^1]);
        else if (digits.EndsWith('M')) (multiplier, digits) = (1_000_000, digits[..^1]);
        if (!double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            throw new ArgumentException($"Option --{name} must be a number, got '{text}'.");
        var scaled = value * multiplier;
        if (scaled != Math.Floor(scaled) || Math.Abs(scaled) > long.MaxValue / 2)
            throw new ArgumentException($"Option --{name} must be a whole number, got '{text}'.");
        return (long)scaled;
    }

    public int? Int(string name)
    {
        var value = Long(name);
        if (value is > int.MaxValue or < int.MinValue) throw new ArgumentException($"Option --{name} is out of range: {value}.");
        return (int?)value;
    }

    /// <summary>Throws when an option was given that the command never asked for (a typo, usually).</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown.Select(k => "--" + k))}.");
    }
}
