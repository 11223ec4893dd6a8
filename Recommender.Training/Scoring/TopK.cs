using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recommender.Training.Scoring;

/// <summary>
/// Picks the indices of the k largest scores, best first, in O(n + k log k) for the usual case:
/// a min-heap of the best k so far, and a vector test that skips whole blocks of 8 scores
/// that cannot beat the heap's minimum. Scores of -∞ (excluded items) and NaN are never picked;
/// ties go to the lower index so results are deterministic.
/// </summary>
public static class TopK
{
    /// <summary>Writes up to <c>best.Length</c> indices into <paramref name="best"/>; returns how many.</summary>
    public static int Select(ReadOnlySpan<float> scores, Span<int> best)
    {
        var k = best.Length;
        if (k == 0) return 0;
        Span<float> heapScores = k <= 256 ? stackalloc float[k] : new float[k];
        var heapIndices = best;
        var size = 0;
        var threshold = float.NegativeInfinity;
        ref var origin = ref MemoryMarshal.GetReference(scores);

        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= scores.Length; i += 8)
            {
                // Until the heap is full anything finite qualifies; after, only what beats its minimum.
                if (!Vector256.GreaterThanAny(Vector256.LoadUnsafe(ref origin, (nuint)i), Vector256.Create(threshold)))
                    continue;
                for (var j = i; j < i + 8; j++)
                    Offer(scores[j], j, heapScores, heapIndices, ref size, ref threshold);
            }
        }
        for (; i < scores.Length; i++)
            if (scores[i] > threshold)
                Offer(scores[i], i, heapScores, heapIndices, ref size, ref threshold);

        SortDescending(heapScores[..size], heapIndices[..size]);
        return size;
    }

    private static void Offer(float score, int index, Span<float> scores, Span<int> indices, ref int size, ref float threshold)
    {
        if (!(score > threshold)) return;           // also rejects NaN
        if (size < scores.Length)
        {
            scores[size] = score;
            indices[size] = index;
            SiftUp(scores, indices, size++);
            if (size == scores.Length) threshold = scores[0];
            return;
        }
        // Equal scores never displace: the earlier (lower) index stays.
        scores[0] = score;
        indices[0] = index;
        SiftDown(scores, indices, size);
        threshold = scores[0];
    }

    // Min-heap ordered by score, and among equal scores the higher index is "smaller" (evicted first).
    private static bool Less(Span<float> s, Span<int> ix, int a, int b) => s[a] < s[b] || (s[a] == s[b] && ix[a] > ix[b]);

    private static void SiftUp(Span<float> s, Span<int> ix, int n)
    {
        while (n > 0)
        {
            var parent = (n - 1) / 2;
            if (!Less(s, ix, n, parent)) break;
            Swap(s, ix, n, parent);
            n = parent;
        }
    }

    private static void SiftDown(Span<float> s, Span<int> ix, int size)
    {
        var n = 0;
        while (true)
        {
            var left = 2 * n + 1;
            if (left >= size) break;
            var child = left + 1 < size && Less(s, ix, left + 1, left) ? left + 1 : left;
            if (!Less(s, ix, child, n)) break;
            Swap(s, ix, n, child);
            n = child;
        }
    }

    private static void Swap(Span<float> s, Span<int> ix, int a, int b)
    {
        (s[a], s[b]) = (s[b], s[a]);
        (ix[a], ix[b]) = (ix[b], ix[a]);
    }

    private static void SortDescending(Span<float> s, Span<int> ix)
    {
        // k is small (≤ a few hundred): insertion sort keeps it allocation-free.
        for (var a = 1; a < s.Length; a++)
        {
            var score = s[a];
            var index = ix[a];
            var b = a - 1;
            while (b >= 0 && (s[b] < score || (s[b] == score && ix[b] > index)))
            {
                s[b + 1] = s[b];
                ix[b + 1] = ix[b];
                b--;
            }
            s[b + 1] = score;
            ix[b + 1] = index;
        }
    }
}
