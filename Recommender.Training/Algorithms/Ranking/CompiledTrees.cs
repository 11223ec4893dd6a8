using Microsoft.ML.Trainers.FastTree;

namespace Recommender.Training.Algorithms.Ranking;

/// <summary>
/// The trees of an ML.NET tree ensemble laid out as flat arrays, so a request scores its
/// candidates without ML.NET's per-row machinery (a <c>PredictionEngine</c> is neither
/// thread-safe nor cheap per row). The walk is ML.NET's own: at a node, a feature at or below the
/// threshold goes left, a leaf is the bitwise complement of its index, and the score is the bias
/// plus each tree's weight × its leaf value, summed in double. Tests hold it to ML.NET's
/// <c>PredictionEngine</c> on the same rows.
/// </summary>
internal sealed class CompiledTrees
{
    private readonly int[] _nodeStart;
    private readonly int[] _leafStart;
    private readonly int[] _feature;
    private readonly float[] _threshold;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly double[] _leafValue;
    private readonly double _bias;

    public CompiledTrees(TreeEnsemble<RegressionTree> ensemble, int features)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var trees = ensemble.Trees;
        _nodeStart = new int[trees.Count + 1];
        _leafStart = new int[trees.Count + 1];
        for (var t = 0; t < trees.Count; t++)
        {
            if (trees[t].CategoricalSplitFlags.Any(flag => flag))
                throw new InvalidDataException("The ranker has a categorical split; every feature here is numeric.");
            _nodeStart[t + 1] = _nodeStart[t] + trees[t].NumberOfNodes;
            _leafStart[t + 1] = _leafStart[t] + trees[t].NumberOfLeaves;
        }
        _feature = new int[_nodeStart[^1]];
        _threshold = new float[_nodeStart[^1]];
        _left = new int[_nodeStart[^1]];
        _right = new int[_nodeStart[^1]];
        _leafValue = new double[_leafStart[^1]];
        for (var t = 0; t < trees.Count; t++)
        {
            var tree = trees[t];
            for (var n = 0; n < tree.NumberOfNodes; n++)
            {
                var at = _nodeStart[t] + n;
                _feature[at] = tree.NumericalSplitFeatureIndexes[n];
                if ((uint)_feature[at] >= (uint)features)
                    throw new InvalidDataException($"A ranker tree splits on feature {_feature[at]}; there are {features}.");
                _threshold[at] = tree.NumericalSplitThresholds[n];
                _left[at] = tree.LeftChild[n];
                _right[at] = tree.RightChild[n];
            }
            for (var l = 0; l < tree.NumberOfLeaves; l++)
                _leafValue[_leafStart[t] + l] = ensemble.TreeWeights[t] * tree.LeafValues[l];
        }
        _bias = ensemble.Bias;
        Trees = trees.Count;
    }

    public int Trees { get; }

    public float Score(ReadOnlySpan<float> row)
    {
        var sum = _bias;
        for (var t = 0; t < Trees; t++)
        {
            var start = _nodeStart[t];
            var node = 0;
            // A tree of one leaf has no nodes.
            if (_nodeStart[t + 1] > start)
            {
                while (node >= 0)
                {
                    var at = start + node;
                    node = row[_feature[at]] <= _threshold[at] ? _left[at] : _right[at];
                }
                node = ~node;
            }
            sum += _leafValue[_leafStart[t] + node];
        }
        return (float)sum;
    }
}
