namespace Recommender.Training.Matrix;

/// <summary>
/// A dense row-major float32 matrix of latent factors, one row per buyer or product.
/// Rows are padded to <see cref="Stride"/>, a multiple of 8 floats (one Vector256), so every
/// row starts aligned to the vector width and kernels need no scalar tail; padding stays zero.
/// </summary>
public sealed class FactorMatrix
{
    public const int Alignment = 8;

    public FactorMatrix(int rows, int factors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factors);
        Rows = rows;
        Factors = factors;
        Stride = StrideFor(factors);
        Data = new float[checked(rows * Stride)];
    }

    public FactorMatrix(int rows, int factors, float[] data)
    {
        Rows = rows;
        Factors = factors;
        Stride = StrideFor(factors);
        if (data.Length != checked(rows * Stride))
            throw new ArgumentException($"Expected {rows * Stride} floats for {rows} rows of stride {Stride}, got {data.Length}.");
        Data = data;
    }

    public int Rows { get; }
    public int Factors { get; }
    public int Stride { get; }

    /// <summary>Row-major values, <see cref="Stride"/> floats per row, padding zero.</summary>
    public float[] Data { get; }

    public Span<float> Row(int row) => Data.AsSpan(row * Stride, Stride);

    public static int StrideFor(int factors) => (factors + Alignment - 1) / Alignment * Alignment;

    /// <summary>True when any value is NaN or infinite: a fit that diverged must not be published.</summary>
    public bool HasNonFinite()
    {
        foreach (var v in Data)
            if (!float.IsFinite(v)) return true;
        return false;
    }
}
