using Recommender.Training.Matrix;

namespace Recommender.Tests.Algorithms;

/// <summary>Small interaction matrices with known structure, shared by the algorithm tests.</summary>
internal static class TestMatrices
{
    /// <summary>
    /// Buyer u has bought product i iff u and i have the same parity, except the withheld cells
    /// (u, u + 2t mod n) for t below <paramref name="withheldPerBuyer"/>, which a good model must
    /// still rank above every product of the other parity.
    /// </summary>
    public static CsrMatrix Checkerboard(int size, int withheldPerBuyer, out int[][] withheld)
    {
        withheld = new int[size][];
        var rows = new List<int>();
        var columns = new List<int>();
        for (var u = 0; u < size; u++)
        {
            withheld[u] = Enumerable.Range(0, withheldPerBuyer).Select(t => (u + 2 * t) % size).ToArray();
            for (var i = u % 2; i < size; i += 2)
            {
                if (withheld[u].Contains(i)) continue;
                rows.Add(u);
                columns.Add(i);
            }
        }
        var values = Enumerable.Repeat(1f, rows.Count).ToArray();
        return CsrMatrix.FromCoordinates(size, size, rows.ToArray(), columns.ToArray(), values);
    }

    /// <summary>A random sparse matrix with weights drawn from the shop's interaction weights.</summary>
    public static CsrMatrix Random(int rows, int columns, double density, int seed)
    {
        var random = new Random(seed);
        float[] weights = [1f, 0.5f, 0.3f, 1.5f];
        var rowOf = new List<int>();
        var columnOf = new List<int>();
        var valueOf = new List<float>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (random.NextDouble() >= density) continue;
                rowOf.Add(r);
                columnOf.Add(c);
                valueOf.Add(weights[random.Next(weights.Length)]);
            }
        }
        return CsrMatrix.FromCoordinates(rows, columns, rowOf.ToArray(), columnOf.ToArray(), valueOf.ToArray());
    }

    /// <summary>Copies <paramref name="m"/> keeping only the cells <paramref name="keep"/> accepts.</summary>
    public static CsrMatrix Where(CsrMatrix m, Func<int, int, bool> keep)
    {
        var rowOf = new List<int>();
        var columnOf = new List<int>();
        var valueOf = new List<float>();
        for (var r = 0; r < m.Rows; r++)
        {
            var indices = m.RowIndices(r);
            var values = m.RowValues(r);
            for (var n = 0; n < indices.Length; n++)
            {
                if (!keep(r, indices[n])) continue;
                rowOf.Add(r);
                columnOf.Add(indices[n]);
                valueOf.Add(values[n]);
            }
        }
        return CsrMatrix.FromCoordinates(m.Rows, m.Columns, rowOf.ToArray(), columnOf.ToArray(), valueOf.ToArray());
    }

    public static float Score(FactorMatrix buyers, int buyer, FactorMatrix products, int product) =>
        VectorMath.Dot(buyers.Row(buyer), products.Row(product));

    public static double RelativeDifference(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        double difference = 0, norm = 0;
        for (var j = 0; j < expected.Length; j++)
        {
            difference += (actual[j] - expected[j]) * (double)(actual[j] - expected[j]);
            norm += expected[j] * (double)expected[j];
        }
        return Math.Sqrt(difference / Math.Max(norm, 1e-30));
    }
}
