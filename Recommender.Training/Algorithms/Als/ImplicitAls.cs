using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Matrix;

namespace Recommender.Training.Algorithms.Als;

/// <summary>
/// Matrix factorization for implicit feedback by alternating least squares.
/// </summary>
/// <remarks>
/// <para>
/// The model is that of Hu, Koren &amp; Volinsky, "Collaborative Filtering for Implicit Feedback
/// Datasets" (ICDM 2008). In their notation, r_ui is buyer u's summed interaction weight with
/// product i, p_ui = 1 when r_ui is stored (0 otherwise) is the preference, and
/// c_ui = 1 + α·r_ui the confidence in it. Buyer vectors x_u and product vectors y_i minimise
/// Σ_u,i c_ui (p_ui − x_uᵀy_i)² + λ(Σ_u ‖x_u‖² + Σ_i ‖y_i‖²). With Y fixed, each x_u solves
/// </para>
/// <code>(YᵀY + Yᵀ(Cᵘ − I)Y + λI) x_u = YᵀCᵘp(u)</code>
/// <para>
/// where Cᵘ − I is non-zero only on the products u interacted with, so YᵀY is shared by all rows
/// and the rest costs O(n_u·k). The same holds for products with X fixed.
/// </para>
/// <para>
/// Rather than forming and factoring that k×k matrix per row, <see cref="Fit"/> takes a few
/// conjugate-gradient steps warm-started from the previous sweep's vector, as in Takács,
/// Pilászy &amp; Tikk, "Applications of the conjugate gradient method for implicit feedback
/// collaborative filtering" (RecSys 2011): the matrix is only ever applied to a vector,
/// A·p = (YᵀY + λI)·p + Σ_{i: r_ui&gt;0} (c_ui − 1)(y_iᵀp)·y_i, which is O(k² + n_u·k).
/// <see cref="RecalculateBuyer(FactorMatrix, ReadOnlySpan{int}, ReadOnlySpan{float}, AlsOptions, Span{float})"/>
/// folds a single buyer in exactly, with Cholesky.
/// </para>
/// <para>
/// Everything is float32 on <see cref="FactorMatrix.Stride"/>-long rows whose padding stays zero.
/// Results are bit-identical for a seed and input whatever the thread count: every row solve is
/// sequential code, and YᵀY is summed over fixed blocks of rows in block order.
/// </para>
/// </remarks>
public static class ImplicitAls
{
    /// <summary>Rows per partial Gram matrix; fixed so the summation order never depends on threads.</summary>
    private const int GramBlockRows = 2048;

    /// <summary>Rows handed to a worker at a time: small enough to balance power-law row lengths.</summary>
    private const int RowsPerChunk = 64;

    /// <summary>Initial factors are uniform in [0, InitialScale): small, so early sweeps are not dominated by noise.</summary>
    private const float InitialScale = 0.01f;

    /// <summary>How many observed entries ahead to prefetch product rows: enough to cover a memory miss.</summary>
    private const int PrefetchDistance = 8;

    /// <summary>Observed entries whose projections are computed before their rows are summed (see AccumulateObserved).</summary>
    private const int ObservedBatch = 16;

    /// <summary>A squared residual norm below this counts as solved (and guards the CG divisions).</summary>
    private const float SolvedResidual = 1e-20f;

    /// <summary>
    /// Fits buyer and product factors to a buyer×product matrix of non-negative interaction
    /// weights. Buyers or products without interactions get zero vectors.
    /// </summary>
    /// <param name="onIteration">Called after each sweep with the number of sweeps done (1-based).</param>
    /// <exception cref="ArgumentException">Invalid options, or an index or value out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; checked between chunks of rows.</exception>
    /// <exception cref="FitDivergedException">A factor came out NaN or infinite.</exception>
    public static LatentFactors Fit(CsrMatrix buyerProducts, AlsOptions options, CancellationToken cancellationToken, Action<int>? onIteration = null)
    {
        ArgumentNullException.ThrowIfNull(buyerProducts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ValidateInteractions(buyerProducts);

        var productBuyers = buyerProducts.Transpose();
        var buyers = new FactorMatrix(buyerProducts.Rows, options.Factors);
        var products = new FactorMatrix(buyerProducts.Columns, options.Factors);
        var random = new Random(options.Seed);
        FillRandom(buyers, random);
        FillRandom(products, random);

        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.EffectiveParallelism,
            CancellationToken = cancellationToken,
        };
        for (var iteration = 1; iteration <= options.Iterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            SolveRows(buyerProducts, products, buyers, options, parallel);
            SolveRows(productBuyers, buyers, products, options, parallel);
            onIteration?.Invoke(iteration);
        }

        if (buyers.HasNonFinite() || products.HasNonFinite())
            throw new FitDivergedException(
                $"The fit diverged (non-finite factors with alpha {options.Alpha}, regularization {options.Regularization}); lower alpha or raise regularization.");
        return new LatentFactors(buyers, products);
    }

    /// <summary>
    /// The Gram matrix MᵀM of a factor matrix, <see cref="FactorMatrix.Stride"/>×Stride row-major
    /// (entries in padding rows and columns are zero). Precompute it once per model and pass it to
    /// <see cref="RecalculateBuyer(FactorMatrix, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{float}, AlsOptions, Span{float})"/>
    /// when folding in many buyers.
    /// </summary>
    public static float[] Gram(FactorMatrix m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return Gram(m, new ParallelOptions { MaxDegreeOfParallelism = 1 });
    }

    /// <summary>
    /// Computes the vector of a buyer who is not (or no longer correctly) in the model from their
    /// interactions, against fixed product factors, by solving the normal equation exactly.
    /// Only <see cref="AlsOptions.Regularization"/> and <see cref="AlsOptions.Alpha"/> are read.
    /// </summary>
    /// <param name="productIndices">Distinct product rows the buyer interacted with.</param>
    /// <param name="values">Summed interaction weights (≥ 0) alongside.</param>
    /// <param name="result">At least <see cref="FactorMatrix.Factors"/> floats; entries beyond that are zeroed, so a Stride-long row works.</param>
    public static void RecalculateBuyer(FactorMatrix products, ReadOnlySpan<int> productIndices, ReadOnlySpan<float> values, AlsOptions options, Span<float> result)
    {
        ArgumentNullException.ThrowIfNull(products);
        RecalculateBuyer(products, Gram(products), productIndices, values, options, result);
    }

    /// <inheritdoc cref="RecalculateBuyer(FactorMatrix, ReadOnlySpan{int}, ReadOnlySpan{float}, AlsOptions, Span{float})"/>
    /// <param name="productGram"><see cref="Gram(FactorMatrix)"/> of <paramref name="products"/>.</param>
    public static void RecalculateBuyer(FactorMatrix products, ReadOnlySpan<float> productGram, ReadOnlySpan<int> productIndices, ReadOnlySpan<float> values, AlsOptions options, Span<float> result)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var k = products.Factors;
        var stride = products.Stride;
        if (productGram.Length != stride * stride)
            throw new ArgumentException($"Expected a {stride}×{stride} Gram matrix of the products.", nameof(productGram));
        if (productIndices.Length != values.Length)
            throw new ArgumentException("productIndices and values must have the same length.");
        if (result.Length < k)
            throw new ArgumentException($"result must hold at least {k} floats.", nameof(result));
        for (var n = 0; n < values.Length; n++)
        {
            if ((uint)productIndices[n] >= (uint)products.Rows)
                throw new ArgumentOutOfRangeException(nameof(productIndices), $"Product index {productIndices[n]} is outside 0..{products.Rows - 1}.");
            if (!(values[n] >= 0) || !float.IsFinite(values[n]))
                throw new ArgumentOutOfRangeException(nameof(values), $"Interaction weight {values[n]} is not a finite number ≥ 0.");
        }

        result.Clear();
        if (productIndices.Length == 0) return;

        var pooled = ArrayPool<double>.Shared.Rent(k * k + k);
        try
        {
            var a = pooled.AsSpan(0, k * k);
            var b = pooled.AsSpan(k * k, k);
            // A = YᵀY + λI + Σ (c−1)·y·yᵀ (lower triangle is all Cholesky reads), b = Σ c·y.
            for (var j = 0; j < k; j++)
                for (var l = 0; l <= j; l++)
                    a[j * k + l] = productGram[j * stride + l];
            for (var j = 0; j < k; j++) a[j * k + j] += options.Regularization;
            b.Clear();
            for (var n = 0; n < productIndices.Length; n++)
            {
                var y = products.Row(productIndices[n]);
                double confidenceMinusOne = options.Alpha * values[n];
                var confidence = 1 + confidenceMinusOne;
                for (var j = 0; j < k; j++)
                {
                    var weighted = confidenceMinusOne * y[j];
                    var row = a.Slice(j * k, j + 1);
                    for (var l = 0; l <= j; l++) row[l] += weighted * y[l];
                    b[j] += confidence * y[j];
                }
            }
            Cholesky.Factor(a, k);
            Cholesky.Solve(a, k, b);
            for (var j = 0; j < k; j++) result[j] = (float)b[j];
        }
        finally
        {
            ArrayPool<double>.Shared.Return(pooled);
        }
    }

    /// <summary>
    /// One half of a sweep: re-solves every row of <paramref name="target"/> (one per row of
    /// <paramref name="interactions"/>) against <paramref name="fixedSide"/>, warm-starting
    /// <see cref="AlsOptions.ConjugateGradientSteps"/> CG steps from the row's current value.
    /// </summary>
    internal static void SolveRows(CsrMatrix interactions, FactorMatrix fixedSide, FactorMatrix target, AlsOptions options, ParallelOptions parallel)
    {
        var stride = fixedSide.Stride;
        // YᵀY + λI, applied to every row. Padding diagonal entries stay zero: padding never mixes in.
        var gram = Gram(fixedSide, parallel);
        for (var j = 0; j < fixedSide.Factors; j++) gram[j * stride + j] += options.Regularization;
        if (interactions.Rows == 0) return;

        var alpha = options.Alpha;
        var steps = options.ConjugateGradientSteps;
        Parallel.ForEach(
            Partitioner.Create(0, interactions.Rows, RowsPerChunk),
            parallel,
            () => new float[3 * stride],
            (range, _, scratch) =>
            {
                for (var row = range.Item1; row < range.Item2; row++)
                {
                    SolveRow(interactions.RowIndices(row), interactions.RowValues(row), fixedSide.Data, gram,
                        alpha, steps, target.Row(row), scratch);
                }
                return scratch;
            },
            _ => { });
    }

    /// <summary>
    /// Conjugate gradient on (YᵀY + λI + Yᵀ(Cᵘ−I)Y) x = YᵀCᵘp(u), warm-started from x.
    /// <paramref name="gram"/> already holds YᵀY + λI; scratch holds 3 rows (r, p, A·p).
    /// </summary>
    private static unsafe void SolveRow(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float[] fixedData, ReadOnlySpan<float> gram,
        float alpha, int steps, Span<float> x, Span<float> scratch)
    {
        if (indices.Length == 0)
        {
            // The exact solution of (YᵀY + λI) x = 0.
            x.Clear();
            return;
        }
        var stride = x.Length;
        var r = scratch[..stride];
        var p = scratch.Slice(stride, stride);
        var ap = scratch.Slice(2 * stride, stride);
        fixed (float* y0 = fixedData)
        {
            // r = b − A·x = −(YᵀY + λI)·x + Σ (c − (c−1)·yᵀx)·y.
            MultiplySymmetric(gram, x, r);
            TensorPrimitives.Negate(r, r);
            AccumulateObserved(indices, values, y0, stride, alpha, residual: true, x, r);
            r.CopyTo(p);
            var rsOld = VectorMath.Dot(r, r);

            for (var step = 0; step < steps && rsOld > SolvedResidual; step++)
            {
                // A·p without forming A.
                MultiplySymmetric(gram, p, ap);
                AccumulateObserved(indices, values, y0, stride, alpha, residual: false, p, ap);
                var pAp = VectorMath.Dot(p, ap);
                // A is positive definite, so this only fails on overflow or NaN; stop rather than divide.
                if (!(pAp > 0)) break;
                var stepLength = rsOld / pAp;
                VectorMath.Axpy(stepLength, p, x);
                VectorMath.Axpy(-stepLength, ap, r);
                var rsNew = VectorMath.Dot(r, r);
                // p = r + (rsNew / rsOld)·p
                TensorPrimitives.MultiplyAdd(p, rsNew / rsOld, r, p);
                rsOld = rsNew;
            }
        }
    }

    /// <summary>
    /// The sparse, memory-bound part of a CG pass over the row's observed products:
    /// accumulator += Σ (c−1)(yᵀv)·y, or for the initial residual Σ (c − (c−1)·yᵀv)·y.
    /// </summary>
    /// <remarks>
    /// Entries go in batches: first the batch's projections yᵀv (independent of each other, so
    /// they overlap, with product rows prefetched a few entries ahead since they are scattered
    /// in memory), then Σ weight·y over the batch with 32 accumulator columns held in registers,
    /// so the accumulator is loaded and stored once per batch rather than once per entry. Each
    /// accumulator element still receives the same fused multiply-adds in entry order, so the
    /// result is bit for bit that of one axpy per entry.
    /// </remarks>
    private static unsafe void AccumulateObserved(ReadOnlySpan<int> indices, ReadOnlySpan<float> values, float* y0, int stride,
        float alpha, bool residual, ReadOnlySpan<float> v, Span<float> accumulator)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            for (var n = 0; n < indices.Length; n++)
            {
                var y = new ReadOnlySpan<float>(y0 + (nint)indices[n] * stride, stride);
                var confidenceMinusOne = alpha * values[n];
                var projection = VectorMath.Dot(y, v);
                VectorMath.Axpy(residual ? 1 + confidenceMinusOne - confidenceMinusOne * projection : confidenceMinusOne * projection, y, accumulator);
            }
            return;
        }
        if (accumulator.Length < stride) throw new ArgumentException("The accumulator is shorter than a row.", nameof(accumulator));
        var rows = stackalloc float*[ObservedBatch];
        var weights = stackalloc float[ObservedBatch];
        fixed (float* acc = accumulator)
        {
            for (var start = 0; start < indices.Length; start += ObservedBatch)
            {
                var count = Math.Min(ObservedBatch, indices.Length - start);
                for (var b = 0; b < count; b++)
                {
                    var n = start + b;
                    if (Sse.IsSupported && n + PrefetchDistance < indices.Length)
                    {
                        var ahead = y0 + (nint)indices[n + PrefetchDistance] * stride;
                        for (var line = 0; line < stride; line += 16) Sse.Prefetch0(ahead + line);
                        Sse.Prefetch0(ahead + stride - 1);
                    }
                    var y = y0 + (nint)indices[n] * stride;
                    rows[b] = y;
                    var confidenceMinusOne = alpha * values[n];
                    var projection = VectorMath.Dot(new ReadOnlySpan<float>(y, stride), v);
                    weights[b] = residual ? 1 + confidenceMinusOne - confidenceMinusOne * projection : confidenceMinusOne * projection;
                }

                var column = 0;
                for (; column + 32 <= stride; column += 32)
                {
                    var acc0 = Vector256.Load(acc + column);
                    var acc1 = Vector256.Load(acc + column + 8);
                    var acc2 = Vector256.Load(acc + column + 16);
                    var acc3 = Vector256.Load(acc + column + 24);
                    for (var b = 0; b < count; b++)
                    {
                        var w = Vector256.Create(weights[b]);
                        var y = rows[b] + column;
                        acc0 = Vector256.FusedMultiplyAdd(w, Vector256.Load(y), acc0);
                        acc1 = Vector256.FusedMultiplyAdd(w, Vector256.Load(y + 8), acc1);
                        acc2 = Vector256.FusedMultiplyAdd(w, Vector256.Load(y + 16), acc2);
                        acc3 = Vector256.FusedMultiplyAdd(w, Vector256.Load(y + 24), acc3);
                    }
                    acc0.Store(acc + column);
                    acc1.Store(acc + column + 8);
                    acc2.Store(acc + column + 16);
                    acc3.Store(acc + column + 24);
                }
                for (; column < stride; column += 8)
                {
                    var acc0 = Vector256.Load(acc + column);
                    for (var b = 0; b < count; b++)
                        acc0 = Vector256.FusedMultiplyAdd(Vector256.Create(weights[b]), Vector256.Load(rows[b] + column), acc0);
                    acc0.Store(acc + column);
                }
            }
        }
    }

    /// <summary>
    /// result = A·v for a symmetric Stride×Stride A, as Σ_j v_j·A[j,:] over register-held
    /// accumulators (no horizontal sums, one pass over A per 32 outputs).
    /// </summary>
    private static void MultiplySymmetric(ReadOnlySpan<float> a, ReadOnlySpan<float> v, Span<float> result)
    {
        var n = v.Length;
        if (!Vector256.IsHardwareAccelerated)
        {
            for (var i = 0; i < n; i++) result[i] = TensorPrimitives.Dot(a.Slice(i * n, n), v);
            return;
        }
        if (a.Length < n * n || result.Length < n) throw new ArgumentException("Matrix and vector sizes do not match.");
        ref var pa = ref MemoryMarshal.GetReference(a);
        ref var pv = ref MemoryMarshal.GetReference(v);
        ref var pr = ref MemoryMarshal.GetReference(result);
        var column = 0;
        for (; column + 32 <= n; column += 32)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            var acc2 = Vector256<float>.Zero;
            var acc3 = Vector256<float>.Zero;
            for (var j = 0; j < n; j++)
            {
                var vj = Vector256.Create(Unsafe.Add(ref pv, j));
                var at = (nuint)(j * n + column);
                acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, at), vj, acc0);
                acc1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, at + 8), vj, acc1);
                acc2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, at + 16), vj, acc2);
                acc3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, at + 24), vj, acc3);
            }
            acc0.StoreUnsafe(ref pr, (nuint)column);
            acc1.StoreUnsafe(ref pr, (nuint)column + 8);
            acc2.StoreUnsafe(ref pr, (nuint)column + 16);
            acc3.StoreUnsafe(ref pr, (nuint)column + 24);
        }
        for (; column < n; column += 8)
        {
            var acc = Vector256<float>.Zero;
            for (var j = 0; j < n; j++)
                acc = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref pa, (nuint)(j * n + column)), Vector256.Create(Unsafe.Add(ref pv, j)), acc);
            acc.StoreUnsafe(ref pr, (nuint)column);
        }
    }

    /// <summary>MᵀM (Stride×Stride), as partial sums over fixed blocks of rows added in block order.</summary>
    private static float[] Gram(FactorMatrix m, ParallelOptions parallel)
    {
        var stride = m.Stride;
        var size = stride * stride;
        var gram = new float[size];
        var blocks = (m.Rows + GramBlockRows - 1) / GramBlockRows;
        if (blocks == 0) return gram;
        var partials = new float[blocks * size];
        Parallel.For(0, blocks, parallel, block =>
        {
            var end = Math.Min(m.Rows, (block + 1) * GramBlockRows);
            AddGramOfRows(m.Data, stride, m.Factors, block * GramBlockRows, end, partials.AsSpan(block * size, size));
        });
        for (var block = 0; block < blocks; block++)
            TensorPrimitives.Add(gram, partials.AsSpan(block * size, size), gram);
        return gram;
    }

    /// <summary>
    /// partial[j, :] = Σ_rows y_j·y over rows [from, to), for j below <paramref name="factors"/>.
    /// Each 32-column strip of output row j is summed in registers down the whole block of rows
    /// (the block is a few hundred KB, so it stays in cache across strips); every element gets its
    /// fused multiply-adds in row order, as a row-by-row rank-1 update would give it.
    /// </summary>
    private static unsafe void AddGramOfRows(float[] data, int stride, int factors, int from, int to, Span<float> partial)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            for (var row = from; row < to; row++)
            {
                ReadOnlySpan<float> y = data.AsSpan(row * stride, stride);
                for (var j = 0; j < factors; j++) VectorMath.Axpy(y[j], y, partial.Slice(j * stride, stride));
            }
            return;
        }
        fixed (float* y0 = data)
        fixed (float* g = partial)
        {
            for (var j = 0; j < factors; j++)
            {
                var column = 0;
                for (; column + 32 <= stride; column += 32)
                {
                    var acc0 = Vector256<float>.Zero;
                    var acc1 = Vector256<float>.Zero;
                    var acc2 = Vector256<float>.Zero;
                    var acc3 = Vector256<float>.Zero;
                    for (var row = from; row < to; row++)
                    {
                        var y = y0 + (nint)row * stride;
                        var yj = Vector256.Create(y[j]);
                        acc0 = Vector256.FusedMultiplyAdd(yj, Vector256.Load(y + column), acc0);
                        acc1 = Vector256.FusedMultiplyAdd(yj, Vector256.Load(y + column + 8), acc1);
                        acc2 = Vector256.FusedMultiplyAdd(yj, Vector256.Load(y + column + 16), acc2);
                        acc3 = Vector256.FusedMultiplyAdd(yj, Vector256.Load(y + column + 24), acc3);
                    }
                    var out0 = g + j * stride + column;
                    acc0.Store(out0);
                    acc1.Store(out0 + 8);
                    acc2.Store(out0 + 16);
                    acc3.Store(out0 + 24);
                }
                for (; column < stride; column += 8)
                {
                    var acc0 = Vector256<float>.Zero;
                    for (var row = from; row < to; row++)
                    {
                        var y = y0 + (nint)row * stride;
                        acc0 = Vector256.FusedMultiplyAdd(Vector256.Create(y[j]), Vector256.Load(y + column), acc0);
                    }
                    acc0.Store(g + j * stride + column);
                }
            }
        }
    }

    private static void FillRandom(FactorMatrix m, Random random)
    {
        for (var row = 0; row < m.Rows; row++)
        {
            var values = m.Row(row);
            for (var j = 0; j < m.Factors; j++) values[j] = random.NextSingle() * InitialScale;
        }
    }

    private static void ValidateInteractions(CsrMatrix m)
    {
        foreach (var column in m.Indices)
        {
            if ((uint)column >= (uint)m.Columns)
                throw new ArgumentException($"The interaction matrix has a column index {column} outside 0..{m.Columns - 1}.");
        }
        foreach (var value in m.Values)
        {
            if (!(value >= 0) || !float.IsFinite(value))
                throw new ArgumentException($"Interaction weights must be finite and ≥ 0; found {value}.");
        }
    }
}
