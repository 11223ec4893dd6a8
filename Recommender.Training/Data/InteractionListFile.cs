using Recommender.Training.Matrix;

namespace Recommender.Training.Data;

/// <summary>
/// Reads the data sets' text format (one line per user: <c>user item1 item2 …</c>, positive
/// integer ids separated by spaces, items oldest first; see <c>shared/datasets/README.md</c>)
/// in file order: each user's items oldest first, users and items numbered in order of first
/// appearance. One fast, validating parser for evaluation (ordered histories) and the ALS
/// benchmark (a summed matrix) alike.
/// </summary>
public static class InteractionListFile
{
    /// <summary>
    /// User u's items, oldest first, are <c>Items[RowStart[u]..RowStart[u+1]]</c> (column
    /// numbers); <see cref="UserIds"/> and <see cref="ItemIds"/> map numbers back to the file's ids.
    /// </summary>
    public sealed record Contents(int[] UserIds, int[] ItemIds, int[] RowStart, int[] Items)
    {
        public long Interactions => Items.Length;

        /// <summary>The user×item matrix with every interaction weighted 1 (repeats add up).</summary>
        public CsrMatrix ToMatrix()
        {
            var rows = new int[Items.Length];
            for (var u = 0; u < UserIds.Length; u++)
                rows.AsSpan(RowStart[u], RowStart[u + 1] - RowStart[u]).Fill(u);
            var values = new float[Items.Length];
            Array.Fill(values, 1f);
            return CsrMatrix.FromCoordinates(UserIds.Length, ItemIds.Length, rows, Items, values);
        }
    }

    public static Contents Read(string path)
    {
        var userRow = new Dictionary<int, int>();
        var itemColumn = new Dictionary<int, int>();
        var users = new List<int>();
        var items = new List<int>();
        var rowStart = new List<int> { 0 };
        var columnOf = new GrowableInts();

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[1 << 20];
        var line = 1L;
        var field = 0;     // fields seen on the current line
        var value = 0L;
        var inNumber = false;
        int read;
        while (true)
        {
            read = stream.Read(buffer, 0, buffer.Length);
            // A final pass with an empty buffer flushes a last line without a newline.
            var end = read == 0;
            for (var n = 0; n < (end ? 1 : read); n++)
            {
                var b = end ? (byte)'\n' : buffer[n];
                if (b is >= (byte)'0' and <= (byte)'9')
                {
                    value = value * 10 + (b - '0');
                    if (value > int.MaxValue) throw new InvalidDataException($"{path}:{line}: an id is larger than {int.MaxValue}.");
                    inNumber = true;
                    continue;
                }
                if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
                    throw new InvalidDataException($"{path}:{line}: unexpected character '{(char)b}'; expected positive integer ids.");
                if (inNumber)
                {
                    var id = (int)value;
                    if (field == 0)
                    {
                        if (!userRow.TryAdd(id, users.Count))
                            throw new InvalidDataException($"{path}:{line}: user {id} has a second line.");
                        if (users.Count > 0) rowStart.Add(columnOf.Count);
                        users.Add(id);
                    }
                    else
                    {
                        if (!itemColumn.TryGetValue(id, out var column))
                        {
                            column = items.Count;
                            itemColumn.Add(id, column);
                            items.Add(id);
                        }
                        columnOf.Add(column);
                    }
                    field++;
                    value = 0;
                    inNumber = false;
                }
                if (b == '\n')
                {
                    line++;
                    field = 0;
                }
            }
            if (end) break;
        }

        if (users.Count > 0) rowStart.Add(columnOf.Count);
        return new Contents(users.ToArray(), items.ToArray(), rowStart.ToArray(), columnOf.Span.ToArray());
    }

    /// <summary>A list of ints that exposes its span without copying (tens of millions of entries).</summary>
    private sealed class GrowableInts
    {
        private int[] _items = new int[1024];

        public int Count { get; private set; }

        public ReadOnlySpan<int> Span => _items.AsSpan(0, Count);

        public void Add(int value)
        {
            if (Count == _items.Length) Array.Resize(ref _items, checked(_items.Length * 2));
            _items[Count++] = value;
        }
    }
}
