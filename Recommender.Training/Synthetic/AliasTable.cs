namespace Recommender.Training.Synthetic;

/// <summary>
/// Draws index i with probability weight[i] / Σ weight in O(1): Walker's alias method, built
/// with Vose's stable variant ("A linear algorithm for generating random numbers with a given
/// distribution", IEEE TSE 1991).
/// </summary>
internal sealed class AliasTable
{
    private readonly double[] _threshold;
    private readonly int[] _alias;

    public AliasTable(ReadOnlySpan<double> weights)
    {
        if (weights.IsEmpty) throw new ArgumentException("An alias table needs at least one weight.", nameof(weights));
        var n = weights.Length;
        var total = 0.0;
        foreach (var w in weights)
        {
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"Weight {w} is not a finite number ≥ 0.", nameof(weights));
            total += w;
        }
        if (!(total > 0)) throw new ArgumentException("The weights sum to zero.", nameof(weights));

        _threshold = new double[n];
        _alias = new int[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            _threshold[i] = weights[i] * n / total;
            _alias[i] = i;
            (_threshold[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            var lo = small.Pop();
            var hi = large.Pop();
            _alias[lo] = hi;
            _threshold[hi] -= 1 - _threshold[lo];
            (_threshold[hi] < 1 ? small : large).Push(hi);
        }
        // What is left is 1 up to rounding.
        foreach (var i in small) _threshold[i] = 1;
        foreach (var i in large) _threshold[i] = 1;
    }

    public int Count => _threshold.Length;

    public int Sample(ref SplitMix64 random)
    {
        var i = random.NextInt(_threshold.Length);
        return random.NextDouble() < _threshold[i] ? i : _alias[i];
    }
}
