namespace Recommender.Training.Data;

/// <summary>
/// 64-bit hashes that are the same in every process and every run (string.GetHashCode is
/// randomized per process), for fingerprints stored in model manifests.
/// </summary>
public static class StableHash
{
    /// <summary>FNV-1a over the UTF-16 code units, finished with <see cref="Mix"/>.</summary>
    public static ulong Of(ReadOnlySpan<char> text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 0x100000001B3UL;
        }
        return Mix(hash);
    }

    /// <summary>The splitmix64 finalizer: spreads every input bit over the whole word.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
