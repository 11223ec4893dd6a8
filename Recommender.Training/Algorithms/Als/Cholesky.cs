namespace Recommender.Training.Algorithms.Als;

/// <summary>
/// Dense Cholesky factorization A = L·Lᵀ of a small symmetric positive definite matrix, for the
/// exact k×k solves of fold-in (k is the factor count, so n³/6 is cheap). Row-major, in place,
/// double precision: the normal equations of implicit ALS are often poorly conditioned.
/// </summary>
internal static class Cholesky
{
    /// <summary>
    /// Overwrites the lower triangle of the n×n row-major <paramref name="a"/> with L; the strict
    /// upper triangle is left as it was and never read. Only the lower triangle of A is read.
    /// Throws <see cref="InvalidOperationException"/> when A is not positive definite.
    /// </summary>
    public static void Factor(Span<double> a, int n)
    {
        if (a.Length < n * n) throw new ArgumentException($"Expected {n * n} values for a {n}×{n} matrix.", nameof(a));
        for (var j = 0; j < n; j++)
        {
            var rowJ = a.Slice(j * n, n);
            var diagonal = rowJ[j];
            for (var p = 0; p < j; p++) diagonal -= rowJ[p] * rowJ[p];
            // Also rejects NaN, which compares false with everything.
            if (!(diagonal > 0))
                throw new InvalidOperationException($"Matrix is not positive definite (pivot {j} is {diagonal}).");
            var ljj = Math.Sqrt(diagonal);
            rowJ[j] = ljj;
            for (var i = j + 1; i < n; i++)
            {
                var rowI = a.Slice(i * n, n);
                var sum = rowI[j];
                for (var p = 0; p < j; p++) sum -= rowI[p] * rowJ[p];
                rowI[j] = sum / ljj;
            }
        }
    }

    /// <summary>Solves L·Lᵀ·x = b in place (<paramref name="b"/> becomes x), with L from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        if (b.Length < n) throw new ArgumentException($"Expected {n} right-hand-side values.", nameof(b));
        // Forward substitution: L·y = b.
        for (var i = 0; i < n; i++)
        {
            var row = l.Slice(i * n, n);
            var sum = b[i];
            for (var p = 0; p < i; p++) sum -= row[p] * b[p];
            b[i] = sum / row[i];
        }
        // Back substitution: Lᵀ·x = y, reading L by columns.
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var p = i + 1; p < n; p++) sum -= l[p * n + i] * b[p];
            b[i] = sum / l[i * n + i];
        }
    }
}
