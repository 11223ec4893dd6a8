using System.Buffers;
using System.Numerics.Tensors;
using Recommender.Training.Algorithms;
using Recommender.Training.Data;
using Recommender.Training.Scoring;

namespace Recommender.Api.Serving;

/// <summary>
/// Fills one list from a sequence of sources. Every product that must not appear (cannot be
/// sold, fails the client's filter, excluded by the client, already owned, or already picked)
/// is -∞ in a per-request mask that is added to each source's scores before the top-k, so no
/// source can let one through. Rents its buffers; dispose it.
/// </summary>
public sealed class ListBuilder : IDisposable
{
    private readonly ServingSnapshot _snapshot;
    private readonly int _need;
    private int _reserved;
    private readonly int _offset;
    private readonly int _products;
    private readonly int _modelProducts;
    private readonly float[] _mask;
    private readonly float[] _scores;
    private readonly List<(int Product, float Score, string Source, Func<int, IReadOnlyList<Contribution>>? Explain)> _picks;
    private string? _firstSource;

    public ListBuilder(ServingSnapshot snapshot, ProductFilter filter, int topK)
    {
        _snapshot = snapshot;
        _offset = filter.Offset;
        _need = filter.Offset + topK;
        _products = snapshot.ProductCount;
        _modelProducts = snapshot.Model.Products.Count;
        _picks = new(_need);
        _mask = ArrayPool<float>.Shared.Rent(_products);
        _scores = ArrayPool<float>.Shared.Rent(_products);
        snapshot.Penalty.CopyTo(_mask, 0);

        if (filter.NarrowsProducts)
        {
            var rows = snapshot.Rows;
            for (var p = 0; p < _products; p++)
                if (rows[p] is { } row && !filter.Matches(row))
                    _mask[p] = float.NegativeInfinity;
        }
    }

    public bool IsFull => _picks.Count >= _need - _reserved;

    /// <summary>True for the first page of a list of at least two: where a slot may be kept for a new listing.</summary>
    public bool CanReserve => _offset == 0 && _need >= 2;

    /// <summary>Keeps the last place of the page from the sources that follow, until <see cref="Release"/>.</summary>
    public void Reserve() => _reserved = 1;

    public void Release() => _reserved = 0;

    /// <summary>A span to write a model source's scores into, one per product of the model.</summary>
    public Span<float> Scores => _scores.AsSpan(0, _modelProducts);

    /// <summary>Keeps these products out of the list (what the buyer has, the product asked about).</summary>
    public void Exclude(ReadOnlySpan<int> products)
    {
        foreach (var p in products)
            _mask[p] = float.NegativeInfinity;
    }

    /// <summary>Takes the best products of <see cref="Scores"/> as written by the source, until the list is full.</summary>
    /// <param name="explain">What made a product score as it did, for lists that explain; null for sources without a reason per product.</param>
    public void TakeFrom(string source, Func<int, IReadOnlyList<Contribution>>? explain = null)
    {
        _firstSource ??= source;
        if (IsFull) return;
        // Products the model has never seen have no model score.
        _scores.AsSpan(_modelProducts, _products - _modelProducts).Fill(float.NegativeInfinity);
        Take(source, explain);
    }

    /// <summary>A span to write a source's scores into, one per product of the snapshot (the model's, then the unseen ones).</summary>
    public Span<float> AllScores => _scores.AsSpan(0, _products);

    /// <summary>Takes the best products of <see cref="AllScores"/> as written by the source, until the list is full.</summary>
    public void TakeFromAll(string source, Func<int, IReadOnlyList<Contribution>>? explain = null)
    {
        _firstSource ??= source;
        if (IsFull) return;
        Take(source, explain);
    }

    /// <summary>Takes the best products of a source that scores every product of the snapshot, until the list is full.</summary>
    public void TakeFrom(string source, ReadOnlySpan<float> allScores)
    {
        _firstSource ??= source;
        if (IsFull) return;
        allScores.CopyTo(_scores);
        Take(source, explain: null);
    }

    private void Take(string source, Func<int, IReadOnlyList<Contribution>>? explain)
    {
        var scores = _scores.AsSpan(0, _products);
        TensorPrimitives.Add(scores, _mask.AsSpan(0, _products), scores);
        var want = _need - _reserved - _picks.Count;
        var best = ArrayPool<int>.Shared.Rent(want);
        try
        {
            var found = TopK.Select(scores, best.AsSpan(0, want));
            for (var n = 0; n < found; n++)
            {
                var product = best[n];
                _picks.Add((product, scores[product], source, explain));
                _mask[product] = float.NegativeInfinity;      // a later source must not pick it again
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(best);
        }
    }

    /// <summary>The requested page: skips the offset, then joins the sources that page uses.</summary>
    /// <param name="explain">Also say, per product, which products contributed most to its score.</param>
    public RankedList Build(bool explain = false)
    {
        var page = _picks.Skip(_offset).ToList();
        var rows = new ProductRow[page.Count];
        var scores = new float[page.Count];
        for (var n = 0; n < page.Count; n++)
        {
            rows[n] = _snapshot.Rows[page[n].Product]!;
            scores[n] = page[n].Score;
        }
        var sources = page.Count == 0
            ? _firstSource ?? ListSource.Popular
            : string.Join('+', page.Select(p => p.Source).Distinct());
        return new RankedList(_snapshot.Model.Version, sources, rows, scores, explain ? Explain(page) : null)
        {
            ProductSources = [.. page.Select(p => p.Source)],
        };
    }

    private Explanation[] Explain(List<(int Product, float Score, string Source, Func<int, IReadOnlyList<Contribution>>? Explain)> page)
    {
        var ids = _snapshot.Model.Products;
        return [.. page.Select(pick => new Explanation(_snapshot.Rows[pick.Product]!.Id,
            pick.Explain is null ? [] : [.. pick.Explain(pick.Product).Select(c => new ExplanationPart(ids[c.Product], c.Share))]))];
    }

    public void Dispose()
    {
        ArrayPool<float>.Shared.Return(_mask);
        ArrayPool<float>.Shared.Return(_scores);
    }
}
