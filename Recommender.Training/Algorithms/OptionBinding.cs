using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;

namespace Recommender.Training.Algorithms;

/// <summary>
/// The short name an option also answers to on the command line (<c>--option transition=16</c>
/// for <c>TransitionWeight</c>); the property's own name always works too.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OptionAliasAttribute(string alias) : Attribute
{
    public string Alias { get; } = alias;
}

/// <summary>
/// Reads and writes an algorithm's options class as <c>key=value</c> pairs (the command line, a
/// model selection grid, an older manifest's hyperparameters) and validates it with its
/// DataAnnotations. Options classes hold numbers and booleans only.
/// </summary>
public static class OptionBinding
{
    /// <summary>
    /// A copy of <paramref name="defaults"/> with the given pairs applied. Unknown keys and values
    /// that are not numbers throw <see cref="ArgumentException"/>, so a typo is never ignored.
    /// </summary>
    public static object Apply(object defaults, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        ArgumentNullException.ThrowIfNull(pairs);
        var options = Clone(defaults);
        var unknown = new List<string>();
        foreach (var (key, value) in pairs)
        {
            if (FindProperty(options.GetType(), key) is not { } property)
            {
                unknown.Add(key);
                continue;
            }
            property.SetValue(options, Parse(property, key, value));
        }
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", unknown)}; {Describe(options.GetType())}.");
        return options;
    }

    /// <summary>Options from a format-2 manifest's hyperparameters: known keys are applied, others (weights) ignored.</summary>
    public static object FromNumbers(object defaults, IReadOnlyDictionary<string, double> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        var known = numbers.Where(n => FindProperty(defaults.GetType(), n.Key) is not null)
            .Select(n => KeyValuePair.Create(n.Key, n.Value.ToString("R", CultureInfo.InvariantCulture)));
        return Apply(defaults, known);
    }

    /// <summary>Every option as a number under its short name (what the manifest lists as hyperparameters).</summary>
    public static Dictionary<string, double> ToNumbers(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Properties(options.GetType()).ToDictionary(p => KeyOf(p), p => ToDouble(p.GetValue(options)));
    }

    /// <summary>"key=value, …" of the options that differ from the defaults, by short name in key order.</summary>
    public static string DescribeChanges(object options, object defaults)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(defaults);
        return string.Join(", ", Properties(options.GetType())
            .Where(p => !Equals(p.GetValue(options), p.GetValue(defaults)))
            .Select(p => (Key: KeyOf(p), Value: Format(p.GetValue(options))))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>Throws <see cref="ArgumentException"/> with every DataAnnotations error of the options.</summary>
    public static void Validate(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            throw new ArgumentException($"{options.GetType().Name}: {string.Join(" ", results.Select(r => r.ErrorMessage))}");
    }

    public static object Clone(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = Activator.CreateInstance(options.GetType())!;
        foreach (var property in Properties(options.GetType()))
            property.SetValue(copy, property.GetValue(options));
        return copy;
    }

    private static string Describe(Type type) =>
        $"{type.Name} takes {string.Join(", ", Properties(type).Select(KeyOf))}";

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead && p.CanWrite);

    private static PropertyInfo? FindProperty(Type type, string key) =>
        Properties(type).FirstOrDefault(p =>
            string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase) ||
            string.Equals(p.GetCustomAttribute<OptionAliasAttribute>()?.Alias, key, StringComparison.OrdinalIgnoreCase));

    private static string KeyOf(PropertyInfo property) =>
        property.GetCustomAttribute<OptionAliasAttribute>()?.Alias ?? property.Name.ToLowerInvariant();

    private static object Parse(PropertyInfo property, string key, string value)
    {
        try
        {
            // Fractions are read as double first, as they always were: "0.7" gives the float it gave before.
            var type = property.PropertyType;
            if (type == typeof(int)) return int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
            if (type == typeof(double)) return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (type == typeof(float)) return (float)double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (type == typeof(bool)) return bool.Parse(value);
            throw new NotSupportedException($"Option {property.Name} has the unsupported type {type.Name}.");
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ArgumentException($"Option {key}={value} is not a {(property.PropertyType == typeof(bool) ? "boolean" : "number")}.", e);
        }
    }

    private static double ToDouble(object? value) => value switch
    {
        bool b => b ? 1 : 0,
        float f => double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        null => 0,
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    private static string Format(object? value) => value switch
    {
        float f => f.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
