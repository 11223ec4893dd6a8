using System.Numerics.Tensors;
using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms.Svd;

/// <summary>
/// The baseline of the original Python service: a rank-k truncated SVD A ≈ U·Σ·Vᵀ of the
/// buyer×product matrix, as scikit-learn's <c>TruncatedSVD(algorithm="randomized")</c> computes it,
/// scored by cosine similarity between a buyer's row of U·Σ and a product's row of V.
/// </summary>
/// <remarks>
/// The randomized range finder of Halko, Martinsson &amp; Tropp, "Finding structure with
/// randomness" (SIAM Review, 2011), with scikit-learn's defaults: k + 10 Gaussian test vectors and
/// 5 power iterations, re-orthonormalized after every multiply (scikit-learn normalizes by LU
/// there; QR is the more stable choice and spans the same subspace). Q is orthonormalized by
/// modified Gram-Schmidt with one re-orthogonalization pass; the small SVD of B = QᵀA comes from
/// a Jacobi eigen-decomposition of B·Bᵀ. Double precision inside, float32 out. Deterministic for
/// a seed: every dense step is sequential and the sparse products compute each row on one thread.
/// </remarks>
public static class TruncatedSvd
{
    private const int Oversamples = 10;
    private const int PowerIterations = 5;

    /// <summary>A column whose norm falls below this fraction of its norm before projection is treated as dependent.</summary>
    private const double DependentColumn = 1e-10;

    /// <summary>
    /// Fits <paramref name="components"/> singular triplets and returns both sides L2-normalized, so
    /// a dot product of a buyer row and a product row is their cosine similarity. Rows with no
    /// interactions, and components beyond the matrix's rank, are zero.
    /// </summary>
    public static LatentFactors Fit(CsrMatrix buyerProducts, int components, int seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buyerProducts);
        if (components < 1) throw new ArgumentException($"components must be at least 1, got {components}.", nameof(components));
        foreach (var value in buyerProducts.Values)
        {
            if (!float.IsFinite(value)) throw new ArgumentException($"Interaction weights must be finite; found {value}.", nameof(buyerProducts));
        }

        var m = buyerProducts.Rows;
        var n = buyerProducts.Columns;
        var buyers = new FactorMatrix(m, components);
        var products = new FactorMatrix(n, components);
        // More test vectors than min(m, n) cannot find more directions.
        var l = Math.Min(components + Oversamples, Math.Min(m, n));
        if (l == 0 || buyerProducts.NonZeros == 0) return new LatentFactors(buyers, products);

        var a = buyerProducts;
        var at = buyerProducts.Transpose();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken };

        // Range finder: Q spans the dominant column space of A, sharpened by (A·Aᵀ)^q.
        var omega = Gaussian(n, l, new Random(seed));
        var q = new double[m * l];
        var z = new double[n * l];
        Multiply(a, omega, l, q, parallel);
        Orthonormalize(q, m, l);
        for (var iteration = 0; iteration < PowerIterations; iteration++)
        {
            Multiply(at, q, l, z, parallel);
            Orthonormalize(z, n, l);
            Multiply(a, z, l, q, parallel);
            Orthonormalize(q, m, l);
        }

        // B = Qᵀ·A is l×n; keep Bᵀ = Aᵀ·Q (n×l) in z. B·Bᵀ = Ũ·Σ²·Ũᵀ gives U = Q·Ũ and V = Bᵀ·Ũ·Σ⁻¹.
        Multiply(at, q, l, z, parallel);
        var bbt = new double[l * l];
        for (var i = 0; i < n; i++)
        {
            var row = z.AsSpan(i * l, l);
            for (var s = 0; s < l; s++)
            {
                if (row[s] != 0) TensorPrimitives.MultiplyAdd(row, row[s], bbt.AsSpan(s * l, l), bbt.AsSpan(s * l, l));
            }
        }
        var eigenvalues = new double[l];
        var eigenvectors = new double[l * l];
        SymmetricEigen(bbt, l, eigenvalues, eigenvectors);

        var k = Math.Min(components, l);
        var sigma = new double[k];
        for (var j = 0; j < k; j++) sigma[j] = Math.Sqrt(Math.Max(eigenvalues[j], 0));
        // Components with (numerically) zero singular value carry no signal: leave them zero.
        var inverseSigma = new double[k];
        for (var j = 0; j < k; j++) inverseSigma[j] = sigma[j] > 1e-9 * sigma[0] ? 1 / sigma[j] : 0;

        Project(q, m, l, eigenvectors, sigma, inverseSigma, buyers, useSigma: true);
        Project(z, n, l, eigenvectors, sigma, inverseSigma, products, useSigma: false);
        return new LatentFactors(buyers, products);
    }

    /// <summary>Writes normalized rows of source·Ũ·Σ (useSigma) or source·Ũ·Σ⁻¹ into target.</summary>
    private static void Project(double[] source, int rows, int l, double[] eigenvectors, double[] sigma, double[] inverseSigma,
        FactorMatrix target, bool useSigma)
    {
        var k = sigma.Length;
        var projected = new double[k];
        for (var r = 0; r < rows; r++)
        {
            var row = source.AsSpan(r * l, l);
            for (var j = 0; j < k; j++)
            {
                double sum = 0;
                for (var t = 0; t < l; t++) sum += row[t] * eigenvectors[t * l + j];
                projected[j] = sum * (useSigma ? (inverseSigma[j] == 0 ? 0 : sigma[j]) : inverseSigma[j]);
            }
            var norm = TensorPrimitives.Norm<double>(projected);
            if (norm == 0 || !double.IsFinite(norm)) continue;
            var output = target.Row(r);
            for (var j = 0; j < k; j++) output[j] = (float)(projected[j] / norm);
        }
    }

    /// <summary>result (a.Rows×l, row-major) = a · dense (a.Columns×l, row-major).</summary>
    private static void Multiply(CsrMatrix a, double[] dense, int l, double[] result, ParallelOptions parallel)
    {
        Parallel.For(0, (a.Rows + 255) / 256, parallel, chunk =>
        {
            var end = Math.Min(a.Rows, (chunk + 1) * 256);
            for (var r = chunk * 256; r < end; r++)
            {
                var output = result.AsSpan(r * l, l);
                output.Clear();
                var indices = a.RowIndices(r);
                var values = a.RowValues(r);
                for (var n = 0; n < indices.Length; n++)
                    TensorPrimitives.MultiplyAdd(dense.AsSpan(indices[n] * l, l), values[n], output, output);
            }
        });
    }

    /// <summary>
    /// Makes the columns of the rows×l row-major matrix orthonormal in place (modified Gram-Schmidt,
    /// twice, on a column-major copy). Columns dependent on earlier ones become zero.
    /// </summary>
    private static void Orthonormalize(double[] a, int rows, int l)
    {
        var columns = new double[rows * l];
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < l; j++) columns[j * rows + r] = a[r * l + j];

        for (var j = 0; j < l; j++)
        {
            var v = columns.AsSpan(j * rows, rows);
            var before = TensorPrimitives.Norm<double>(v);
            for (var pass = 0; pass < 2; pass++)
            {
                for (var c = 0; c < j; c++)
                {
                    var basis = columns.AsSpan(c * rows, rows);
                    TensorPrimitives.MultiplyAdd(basis, -TensorPrimitives.Dot<double>(basis, v), v, v);
                }
            }
            var after = TensorPrimitives.Norm<double>(v);
            if (after <= DependentColumn * before || after == 0)
                v.Clear();
            else
                TensorPrimitives.Divide(v, after, v);
        }

        for (var r = 0; r < rows; r++)
            for (var j = 0; j < l; j++) a[r * l + j] = columns[j * rows + r];
    }

    /// <summary>
    /// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. Eigenvalues are
    /// sorted descending; column j of the row-major <paramref name="vectors"/> belongs to eigenvalue j.
    /// <paramref name="a"/> is destroyed.
    /// </summary>
    internal static void SymmetricEigen(double[] a, int n, double[] eigenvalues, double[] vectors)
    {
        Array.Clear(vectors);
        for (var i = 0; i < n; i++) vectors[i * n + i] = 1;
        var scale = TensorPrimitives.Norm<double>(a.AsSpan(0, n * n));

        for (var sweep = 0; sweep < 100 && scale > 0; sweep++)
        {
            double off = 0;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (Math.Sqrt(off) <= 1e-15 * scale) break;

            for (var p = 0; p < n; p++)
            {
                for (var q = p + 1; q < n; q++)
                {
                    var apq = a[p * n + q];
                    if (apq == 0) continue;
                    // Rotation by angle φ with t = tan φ the smaller root of t² + 2θt − 1 = 0, zeroing a[p,q].
                    var theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var r = 0; r < n; r++)
                    {
                        var arp = a[r * n + p];
                        var arq = a[r * n + q];
                        a[r * n + p] = c * arp - s * arq;
                        a[r * n + q] = s * arp + c * arq;
                    }
                    for (var r = 0; r < n; r++)
                    {
                        var apr = a[p * n + r];
                        var aqr = a[q * n + r];
                        a[p * n + r] = c * apr - s * aqr;
                        a[q * n + r] = s * apr + c * aqr;
                    }
                    for (var r = 0; r < n; r++)
                    {
                        var vrp = vectors[r * n + p];
                        var vrq = vectors[r * n + q];
                        vectors[r * n + p] = c * vrp - s * vrq;
                        vectors[r * n + q] = s * vrp + c * vrq;
                    }
                }
            }
        }

        // Sort eigenpairs by descending eigenvalue (selection sort; n is tiny).
        for (var i = 0; i < n; i++) eigenvalues[i] = a[i * n + i];
        for (var i = 0; i < n; i++)
        {
            var best = i;
            for (var j = i + 1; j < n; j++)
                if (eigenvalues[j] > eigenvalues[best]) best = j;
            if (best == i) continue;
            (eigenvalues[i], eigenvalues[best]) = (eigenvalues[best], eigenvalues[i]);
            for (var r = 0; r < n; r++)
                (vectors[r * n + i], vectors[r * n + best]) = (vectors[r * n + best], vectors[r * n + i]);
        }
    }

    private static double[] Gaussian(int rows, int columns, Random random)
    {
        var values = new double[rows * columns];
        // Box–Muller: two standard normals from two uniforms; 1 − u keeps the logarithm finite.
        for (var i = 0; i < values.Length; i += 2)
        {
            var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
            var angle = 2 * Math.PI * random.NextDouble();
            values[i] = radius * Math.Cos(angle);
            if (i + 1 < values.Length) values[i + 1] = radius * Math.Sin(angle);
        }
        return values;
    }
}
