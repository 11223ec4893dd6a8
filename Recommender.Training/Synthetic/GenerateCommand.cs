using System.Buffers.Text;
using System.Diagnostics;

namespace Recommender.Training.Synthetic;

/// <summary>
/// <c>generate --output PATH --users N --items M --interactions K [--seed S]</c>: writes a
/// <see cref="SyntheticShop"/> in the data sets' format, one line per buyer
/// (<c>user item1 item2 …</c>, oldest first, ids from 1), streamed through a fixed buffer.
/// </summary>
public static class GenerateCommand
{
    public const string Usage = "generate --output PATH --users N --items M --interactions K [--seed S]";

    public static int Run(string[] args)
    {
        SyntheticShopOptions options;
        string output;
        try
        {
            var arguments = new OptionArguments(args);
            output = arguments.RequiredString("output");
            options = new SyntheticShopOptions
            {
                Users = arguments.Int("users") ?? throw new ArgumentException("Option --users is required."),
                Items = arguments.Int("items") ?? throw new ArgumentException("Option --items is required."),
                Interactions = arguments.Long("interactions") ?? throw new ArgumentException("Option --interactions is required."),
                Seed = arguments.Long("seed") ?? 1,
            };
            arguments.RejectUnknown();
            options.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: Recommender.Training " + Usage);
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var summary = Write(options, output);
        var bytes = new FileInfo(output).Length;
        Console.Error.WriteLine(
            $"wrote {output}: {summary.Buyers:N0} users, {summary.Products:N0} items, {summary.Interactions:N0} interactions, " +
            $"{bytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F2} s");
        return 0;
    }

    /// <summary>Writes the shop to a temporary name beside <paramref name="path"/>, then renames it, so a reader never sees half a file.</summary>
    public static SyntheticShopSummary Write(SyntheticShopOptions options, string path, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var temporary = path + ".partial";
        try
        {
            SyntheticShopSummary summary;
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
            {
                var writer = new LineWriter(stream);
                summary = SyntheticShop.Generate(options, writer.WriteBuyer, cancellationToken);
                writer.Flush();
            }
            File.Move(temporary, path, overwrite: true);
            return summary;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>Formats ids straight into a UTF-8 buffer: no strings per line.</summary>
    private sealed class LineWriter(Stream stream)
    {
        private const int MaxIdBytes = 11; // a 32-bit id and a separator
        private readonly byte[] _buffer = new byte[1 << 20];
        private int _used;

        public void WriteBuyer(int buyer, ReadOnlySpan<int> products)
        {
            WriteId(buyer + 1);
            foreach (var product in products)
            {
                Reserve(MaxIdBytes);
                _buffer[_used++] = (byte)' ';
                WriteId(product + 1);
            }
            Reserve(1);
            _buffer[_used++] = (byte)'\n';
        }

        public void Flush()
        {
            stream.Write(_buffer, 0, _used);
            _used = 0;
        }

        private void WriteId(int id)
        {
            Reserve(MaxIdBytes);
            Utf8Formatter.TryFormat(id, _buffer.AsSpan(_used), out var written);
            _used += written;
        }

        private void Reserve(int bytes)
        {
            if (_used + bytes > _buffer.Length) Flush();
        }
    }
}
