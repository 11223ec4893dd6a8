using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.ML.Trainers.FastTree;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// The trees of an ML.NET tree ensemble laid out as flat arrays, so a request scores its
/// candidates without ML.NET's per-row machinery (a <c>PredictionEngine</c> is neither
/// thread-safe nor cheap per row). The decisions are ML.NET's own: at a split, a feature at or
/// below the threshold goes left, and the score is the bias plus each tree's weight × its leaf
/// value, summed in double in tree order. Tests hold it to ML.NET's <c>PredictionEngine</c> on
/// the same rows.
/// <para>
/// The walk has no branch to mispredict, which on candidate rows costs more than the walk itself:
/// a leaf is a node that leads to itself whatever the row, so every row takes exactly the tree's
/// depth in steps, each step picking a child by arithmetic; and eight rows walk a tree side by
/// side, so their chains of loads overlap.
/// </para>
/// </summary>
internal sealed class CompiledTrees
{
    /// <summary>A split, or a leaf (any row goes to itself). Children are absolute node indices.</summary>
    private struct Node
    {
        public int Feature;
        public float Threshold;
        public int Left;
        public int Right;
    }

    private readonly Node[] _nodes;
    private readonly double[] _value;
    private readonly int[] _root;
    private readonly int[] _depth;
    private readonly double _bias;
    private readonly int _features;

    public CompiledTrees(TreeEnsemble<RegressionTree> ensemble, int features)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var trees = ensemble.Trees;
        _features = features;
        _root = new int[trees.Count];
        _depth = new int[trees.Count];
        var total = trees.Sum(tree => tree.NumberOfNodes + tree.NumberOfLeaves);
        _nodes = new Node[total];
        _value = new double[total];
        var at = 0;
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            if (tree.CategoricalSplitFlags.Any(flag => flag))
                throw new InvalidDataException("The ranker has a categorical split; every feature here is numeric.");
            // Splits first, then leaves: ML.NET's child index c ≥ 0 is split c, ~c is leaf c.
            var splits = tree.NumberOfNodes;
            int Absolute(int child) => at + (child >= 0 ? child : splits + ~child);
            for (var n = 0; n < splits; n++)
            {
                var feature = tree.NumericalSplitFeatureIndexes[n];
                if ((uint)feature >= (uint)features)
                    throw new InvalidDataException($"A ranker tree splits on feature {feature}; there are {features}.");
                _nodes[at + n] = new Node
                {
                    Feature = feature, Threshold = tree.NumericalSplitThresholds[n],
                    Left = Absolute(tree.LeftChild[n]), Right = Absolute(tree.RightChild[n]),
                };
            }
            for (var l = 0; l < tree.NumberOfLeaves; l++)
            {
                var leaf = at + splits + l;
                _nodes[leaf] = new Node { Feature = 0, Threshold = float.PositiveInfinity, Left = leaf, Right = leaf };
                _value[leaf] = ensemble.TreeWeights[t] * tree.LeafValues[l];
            }
            // A tree of one leaf has no splits: its root is that leaf.
            _root[t] = splits > 0 ? at : at + splits;
            _depth[t] = splits > 0 ? Depth(tree, 0) : 0;
            at += splits + tree.NumberOfLeaves;
        }
        _bias = ensemble.Bias;
        Trees = trees.Count;
    }

    public int Trees { get; }

    /// <summary>Steps a row takes per tree, on average over the trees: what a score costs.</summary>
    public double MeanDepth => Trees == 0 ? 0 : _depth.Average();

    public float Score(ReadOnlySpan<float> row)
    {
        if (row.Length < _features) throw new ArgumentException($"A row has {_features} features.", nameof(row));
        var sum = _bias;
        for (var t = 0; t < Trees; t++)
        {
            var node = _root[t];
            for (var step = 0; step < _depth[t]; step++) node = Next(ref MemoryArrayStart(_nodes), node, ref MemoryMarshal.GetReference(row), 0);
            sum += _value[node];
        }
        return (float)sum;
    }

    /// <summary>
    /// Scores <paramref name="count"/> rows of <paramref name="rows"/> (row-major) into
    /// <paramref name="scores"/>, tree by tree so each tree's nodes stay in cache across the rows;
    /// each row's sum is taken in the same order as <see cref="Score(ReadOnlySpan{float})"/>.
    /// </summary>
    public void Score(ReadOnlySpan<float> rows, int count, Span<float> scores)
    {
        if (count < 0 || rows.Length < count * _features || scores.Length < count)
            throw new ArgumentException($"{count} rows need {count * _features} features and {count} scores.");
        var sums = count <= 1024 ? stackalloc double[count] : new double[count];
        sums.Fill(_bias);
        // Unchecked from here: every split's feature is below _features (checked when compiled)
        // and every row lies inside rows (checked above).
        ref var row = ref MemoryMarshal.GetReference(rows);
        ref var nodes = ref MemoryArrayStart(_nodes);
        var f = _features;
        for (var t = 0; t < Trees; t++)
        {
            var root = _root[t];
            var depth = _depth[t];
            var r = 0;
            for (; r + 8 <= count; r += 8)
            {
                int n0 = root, n1 = root, n2 = root, n3 = root, n4 = root, n5 = root, n6 = root, n7 = root;
                var o = r * f;
                for (var step = 0; step < depth; step++)
                {
                    n0 = Next(ref nodes, n0, ref row, o);
                    n1 = Next(ref nodes, n1, ref row, o + f);
                    n2 = Next(ref nodes, n2, ref row, o + 2 * f);
                    n3 = Next(ref nodes, n3, ref row, o + 3 * f);
                    n4 = Next(ref nodes, n4, ref row, o + 4 * f);
                    n5 = Next(ref nodes, n5, ref row, o + 5 * f);
                    n6 = Next(ref nodes, n6, ref row, o + 6 * f);
                    n7 = Next(ref nodes, n7, ref row, o + 7 * f);
                }
                sums[r] += _value[n0];
                sums[r + 1] += _value[n1];
                sums[r + 2] += _value[n2];
                sums[r + 3] += _value[n3];
                sums[r + 4] += _value[n4];
                sums[r + 5] += _value[n5];
                sums[r + 6] += _value[n6];
                sums[r + 7] += _value[n7];
            }
            for (; r < count; r++)
            {
                var node = root;
                for (var step = 0; step < depth; step++) node = Next(ref nodes, node, ref row, r * f);
                sums[r] += _value[node];
            }
        }
        for (var r = 0; r < count; r++) scores[r] = (float)sums[r];
    }

    /// <summary>One step down: the child the row goes to, chosen without a branch (a leaf goes to itself).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Next(ref Node nodes, int node, ref float rows, int row)
    {
        ref var split = ref Unsafe.Add(ref nodes, node);
        // Not "feature > threshold": a NaN feature goes right, as in ML.NET.
        var right = Unsafe.Add(ref rows, row + split.Feature) <= split.Threshold ? 0 : 1;
        return Unsafe.Add(ref split.Left, right);
    }

    private static ref Node MemoryArrayStart(Node[] nodes) => ref MemoryMarshal.GetArrayDataReference(nodes);

    private static int Depth(RegressionTree tree, int node)
    {
        var left = tree.LeftChild[node];
        var right = tree.RightChild[node];
        return 1 + Math.Max(left >= 0 ? Depth(tree, left) : 0, right >= 0 ? Depth(tree, right) : 0);
    }
}
