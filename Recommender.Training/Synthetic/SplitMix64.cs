namespace Recommender.Training.Synthetic;

/// <summary>
/// The splitmix64 generator (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014): specified bit for bit, so a seed gives the same data on every
/// runtime, unlike <see cref="Random"/>, whose seeded sequence is an implementation detail.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>An independent stream for one (seed, stream) pair, e.g. one per buyer.</summary>
    public static SplitMix64 For(long seed, long stream) =>
        new(Data.StableHash.Mix(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ Data.StableHash.Mix((ulong)stream)));

    public ulong NextUInt64()
    {
        var z = _state = unchecked(_state + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, n) by Lemire's multiply-shift (bias below n/2³², negligible here).</summary>
    public int NextInt(int n) => (int)(((NextUInt64() >> 32) * (ulong)(uint)n) >> 32);

    /// <summary>A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).</summary>
    public double NextGaussian()
    {
        var u = 1.0 - NextDouble();
        var v = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }
}
