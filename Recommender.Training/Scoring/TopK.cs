using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Recommender.Training.Scoring;

/// <summary>
/// Picks the indices of the k largest scores, best first, in O(n + k log k) expected time
/// whatever k is. Candidates go into a buffer of 2k; when it fills, a quickselect keeps its best
/// k and raises the bar to the k-th score, so each element costs O(1) amortised. A vector test
/// skips whole blocks of 8 scores that cannot beat the bar. Only the final k are sorted.
/// Scores of -∞ (excluded items) and NaN are never picked; ties go to the lower index, so results
/// are deterministic.
/// </summary>
public static class TopK
{
    private const int StackKeys = 512;

    /// <summary>Writes up to <c>best.Length</c> indices into <paramref name="best"/>; returns how many.</summary>
    public static int Select(ReadOnlySpan<float> scores, Span<int> best)
    {
        var k = best.Length;
        if (k == 0 || scores.IsEmpty) return 0;
        // Room for k kept plus k newcomers; never more than there are scores.
        var capacity = (int)Math.Min(2L * k, scores.Length);
        ulong[]? rented = null;
        var keys = capacity <= StackKeys ? stackalloc ulong[capacity] : (rented = ArrayPool<ulong>.Shared.Rent(capacity)).AsSpan(0, capacity);
        try
        {
            var count = 0;
            var threshold = float.NegativeInfinity;
            ref var origin = ref MemoryMarshal.GetReference(scores);

            var i = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 8 <= scores.Length; i += 8)
                {
                    // Until k are kept anything finite qualifies; after, only what beats the k-th.
                    if (!Vector256.GreaterThanAny(Vector256.LoadUnsafe(ref origin, (nuint)i), Vector256.Create(threshold)))
                        continue;
                    for (var j = i; j < i + 8; j++)
                        Offer(scores[j], j, keys, k, ref count, ref threshold);
                }
            }
            for (; i < scores.Length; i++)
                Offer(scores[i], i, keys, k, ref count, ref threshold);

            if (count > k) SelectLargest(keys[..count], k);
            var found = Math.Min(count, k);
            var top = keys[..found];
            top.Sort();         // ascending keys: the best is last
            for (var n = 0; n < found; n++) best[n] = IndexOf(top[found - 1 - n]);
            return found;
        }
        finally
        {
            if (rented is not null) ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    private static void Offer(float score, int index, Span<ulong> keys, int k, ref int count, ref float threshold)
    {
        // Indices arrive in increasing order, so a score equal to the bar loses its tie: strictly greater only.
        if (!(score > threshold)) return;      // also rejects NaN
        if (count == keys.Length)
        {
            SelectLargest(keys, k);
            count = k;
            threshold = ScoreOf(keys[k - 1]);
            if (!(score > threshold)) return;
        }
        keys[count++] = Key(score, index);
    }

    /// <summary>
    /// One sortable number per candidate: the score's bits made order-preserving in the high half,
    /// the inverted index in the low half, so a larger key is a higher score or, on a tie, a lower index.
    /// </summary>
    private static ulong Key(float score, int index)
    {
        if (score == 0) score = 0;      // −0 and +0 are one score: the index decides
        var bits = BitConverter.SingleToUInt32Bits(score);
        var ordered = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)ordered << 32) | (uint)(int.MaxValue - index);
    }

    private static int IndexOf(ulong key) => int.MaxValue - (int)(uint)key;

    private static float ScoreOf(ulong key)
    {
        var ordered = (uint)(key >> 32);
        return BitConverter.UInt32BitsToSingle((ordered & 0x8000_0000u) != 0 ? ordered & 0x7FFF_FFFFu : ~ordered);
    }

    /// <summary>
    /// Rearranges <paramref name="keys"/> so its <paramref name="k"/> largest come first, the k-th
    /// largest at <c>k − 1</c> (quickselect, median-of-three pivots; keys are distinct). After
    /// too many unlucky partitions it sorts instead, which bounds the worst case at O(m log m).
    /// </summary>
    private static void SelectLargest(Span<ulong> keys, int k)
    {
        var budget = 2 * (64 - (int)ulong.LeadingZeroCount((ulong)keys.Length));
        var target = k - 1;
        while (keys.Length > 1)
        {
            if (budget-- == 0)
            {
                keys.Sort();
                keys.Reverse();
                return;
            }
            var split = Partition(keys);     // keys[..split] > pivot, keys[split] = pivot, keys[split+1..] < pivot
            if (split == target) return;
            if (target < split)
            {
                keys = keys[..split];
            }
            else
            {
                keys = keys[(split + 1)..];
                target -= split + 1;
            }
        }
    }

    /// <summary>Partitions around a median-of-three pivot, larger keys first; returns the pivot's final position.</summary>
    private static int Partition(Span<ulong> keys)
    {
        var last = keys.Length - 1;
        var middle = last / 2;
        // Order first, middle, last descending, then park the median at the end as the pivot.
        if (keys[middle] > keys[0]) (keys[0], keys[middle]) = (keys[middle], keys[0]);
        if (keys[last] > keys[0]) (keys[0], keys[last]) = (keys[last], keys[0]);
        if (keys[last] > keys[middle]) (keys[middle], keys[last]) = (keys[last], keys[middle]);
        (keys[middle], keys[last]) = (keys[last], keys[middle]);
        var pivot = keys[last];
        var store = 0;
        for (var n = 0; n < last; n++)
        {
            if (keys[n] > pivot)
            {
                (keys[n], keys[store]) = (keys[store], keys[n]);
                store++;
            }
        }
        (keys[store], keys[last]) = (keys[last], keys[store]);
        return store;
    }
}
