namespace Recommender.Training.Matrix;

/// <summary>
/// A sparse matrix in compressed sparse row form: the non-zeros of row r are
/// <c>Indices[RowStart[r]..RowStart[r+1]]</c> with <c>Values</c> alongside, columns ascending.
/// Rows are buyers and columns products for the buyer×product matrix; its transpose
/// gives product rows for the item half of alternating least squares.
/// </summary>
public sealed class CsrMatrix
{
    public CsrMatrix(int rows, int columns, int[] rowStart, int[] indices, float[] values)
    {
        if (rowStart.Length != rows + 1) throw new ArgumentException("rowStart must have rows + 1 entries.");
        if (indices.Length != values.Length || rowStart[rows] != indices.Length)
            throw new ArgumentException("indices and values must hold rowStart[rows] entries.");
        Rows = rows;
        Columns = columns;
        RowStart = rowStart;
        Indices = indices;
        Values = values;
    }

    public int Rows { get; }
    public int Columns { get; }
    public int[] RowStart { get; }
    public int[] Indices { get; }
    public float[] Values { get; }
    public int NonZeros => Indices.Length;

    public ReadOnlySpan<int> RowIndices(int row) => Indices.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]);
    public ReadOnlySpan<float> RowValues(int row) => Values.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]);
    public int RowLength(int row) => RowStart[row + 1] - RowStart[row];

    /// <summary>
    /// Builds a matrix from coordinate triples, summing duplicates (several interactions of one
    /// buyer with one product add up). Runs in O(nnz + rows + columns) with a counting sort.
    /// </summary>
    public static CsrMatrix FromCoordinates(int rows, int columns, ReadOnlySpan<int> rowOf, ReadOnlySpan<int> columnOf, ReadOnlySpan<float> valueOf)
    {
        var counts = new int[rows + 1];
        foreach (var r in rowOf) counts[r + 1]++;
        for (var r = 0; r < rows; r++) counts[r + 1] += counts[r];

        var next = counts[..rows];
        var cols = new int[rowOf.Length];
        var vals = new float[rowOf.Length];
        for (var n = 0; n < rowOf.Length; n++)
        {
            var at = next[rowOf[n]]++;
            cols[at] = columnOf[n];
            vals[at] = valueOf[n];
        }
        return SortAndMergeRows(rows, columns, counts, cols, vals);
    }

    /// <summary>The transpose, again with sorted columns.</summary>
    public CsrMatrix Transpose()
    {
        var counts = new int[Columns + 1];
        foreach (var c in Indices) counts[c + 1]++;
        for (var c = 0; c < Columns; c++) counts[c + 1] += counts[c];
        var next = counts[..Columns];
        var cols = new int[NonZeros];
        var vals = new float[NonZeros];
        // Visiting rows in order leaves every transposed row already sorted.
        for (var r = 0; r < Rows; r++)
        {
            for (var n = RowStart[r]; n < RowStart[r + 1]; n++)
            {
                var at = next[Indices[n]]++;
                cols[at] = r;
                vals[at] = Values[n];
            }
        }
        return new CsrMatrix(Columns, Rows, counts, cols, vals);
    }

    private static CsrMatrix SortAndMergeRows(int rows, int columns, int[] rowStart, int[] cols, float[] vals)
    {
        var outStart = new int[rows + 1];
        var write = 0;
        for (var r = 0; r < rows; r++)
        {
            var from = rowStart[r];
            var to = rowStart[r + 1];
            Array.Sort(cols, vals, from, to - from);
            outStart[r] = write;
            for (var n = from; n < to; n++)
            {
                if (write > outStart[r] && cols[write - 1] == cols[n])
                {
                    vals[write - 1] += vals[n];
                }
                else
                {
                    cols[write] = cols[n];
                    vals[write] = vals[n];
                    write++;
                }
            }
        }
        outStart[rows] = write;
        if (write != cols.Length)
        {
            Array.Resize(ref cols, write);
            Array.Resize(ref vals, write);
        }
        return new CsrMatrix(rows, columns, outStart, cols, vals);
    }
}
