using Recommender.Training.Algorithms.Svd;

namespace Recommender.Tests.Algorithms;

public class TruncatedSvdTests
{
    [Fact]
    public void Jacobi_eigen_decomposition_reconstructs_a_symmetric_matrix()
    {
        const int n = 6;
        var random = new Random(3);
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random.NextDouble() - 0.5;
        var original = (double[])a.Clone();
        var values = new double[n];
        var vectors = new double[n * n];

        TruncatedSvd.SymmetricEigen(a, n, values, vectors);

        for (var i = 1; i < n; i++) Assert.True(values[i - 1] >= values[i]);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double reconstructed = 0, gram = 0;
                for (var t = 0; t < n; t++)
                {
                    reconstructed += vectors[i * n + t] * values[t] * vectors[j * n + t];
                    gram += vectors[t * n + i] * vectors[t * n + j];
                }
                Assert.Equal(original[i * n + j], reconstructed, 10);
                Assert.Equal(i == j ? 1 : 0, gram, 10);
            }
        }
    }

    [Fact]
    public void Rows_with_interactions_are_unit_length()
    {
        var m = TestMatrices.Random(80, 40, 0.1, seed: 9);
        var factors = TruncatedSvd.Fit(m, components: 20, seed: 42, CancellationToken.None);
        for (var u = 0; u < m.Rows; u++)
        {
            var norm = Math.Sqrt(TestMatrices.Score(factors.Buyers, u, factors.Buyers, u));
            Assert.Equal(m.RowLength(u) == 0 ? 0 : 1, norm, 5);
        }
        var productLengths = new int[m.Columns];
        foreach (var i in m.Indices) productLengths[i]++;
        for (var i = 0; i < m.Columns; i++)
        {
            var norm = Math.Sqrt(TestMatrices.Score(factors.Products, i, factors.Products, i));
            Assert.Equal(productLengths[i] == 0 ? 0 : 1, norm, 5);
        }
    }

    [Fact]
    public void More_components_than_the_matrix_rank_leave_the_extra_columns_zero()
    {
        // Rank 1: every buyer bought the same two products.
        var m = Recommender.Training.Matrix.CsrMatrix.FromCoordinates(3, 4, [0, 0, 1, 1, 2, 2], [1, 2, 1, 2, 1, 2], [1f, 1f, 1f, 1f, 1f, 1f]);
        var factors = TruncatedSvd.Fit(m, components: 3, seed: 1, CancellationToken.None);
        Assert.False(factors.Buyers.HasNonFinite());
        for (var u = 0; u < 3; u++)
        {
            Assert.Equal(1f, Math.Abs(factors.Buyers.Row(u)[0]), 5);
            Assert.Equal(0f, factors.Buyers.Row(u)[1], 5);
        }
        Assert.Equal(1f, TestMatrices.Score(factors.Buyers, 0, factors.Products, 2), 5);
    }

    [Fact]
    public void Components_below_one_are_rejected()
    {
        var m = TestMatrices.Random(5, 5, 0.5, seed: 1);
        Assert.Throws<ArgumentException>(() => TruncatedSvd.Fit(m, 0, 1, CancellationToken.None));
    }
}
