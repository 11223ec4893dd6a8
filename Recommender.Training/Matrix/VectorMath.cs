using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recommender.Training.Matrix;

/// <summary>
/// The few dense kernels on factor rows that sit on hot paths (training inner loops and
/// per-request scoring). Lengths are multiples of 8 (see <see cref="FactorMatrix.Stride"/>),
/// which lets them run on Vector256 with no tail handling.
/// </summary>
public static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        if (!Vector256.IsHardwareAccelerated || (x.Length & 7) != 0)
            return TensorPrimitives.Dot(x, y);
        if (y.Length < x.Length) throw new ArgumentException("Spans must have equal lengths.");
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var py = ref MemoryMarshal.GetReference(y);
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var i = 0;
        for (; i + 16 <= x.Length; i += 16)
        {
            acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), acc0);
            acc1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)(i + 8)), Vector256.LoadUnsafe(ref py, (nuint)(i + 8)), acc1);
        }
        if (i < x.Length)
            acc0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i), acc0);
        return Vector256.Sum(acc0 + acc1);
    }

    /// <summary>y += a·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        if (!Vector256.IsHardwareAccelerated || (x.Length & 7) != 0)
        {
            TensorPrimitives.MultiplyAdd(x, a, y, y);
            return;
        }
        if (y.Length < x.Length) throw new ArgumentException("Spans must have equal lengths.");
        ref var px = ref MemoryMarshal.GetReference(x);
        ref var py = ref MemoryMarshal.GetReference(y);
        var va = Vector256.Create(a);
        for (var i = 0; i < x.Length; i += 8)
            Vector256.FusedMultiplyAdd(va, Vector256.LoadUnsafe(ref px, (nuint)i), Vector256.LoadUnsafe(ref py, (nuint)i)).StoreUnsafe(ref py, (nuint)i);
    }
}
