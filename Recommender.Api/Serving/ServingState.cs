using Microsoft.Extensions.Options;
using Recommender.Api.Catalog;
using Recommender.Api.Options;
using Recommender.Training.Artifacts;

namespace Recommender.Api.Serving;

/// <summary>
/// The model and product rows being served. Updates build a new <see cref="ServingSnapshot"/>
/// aside and swap one reference, as ML.NET's PredictionEnginePool swaps generations: a request
/// reads <see cref="Current"/> once and works on that snapshot to the end, whatever changes meanwhile.
/// </summary>
public sealed class ServingState(IOptions<RecommenderOptions> options)
{
    private readonly Lock _updateLock = new();
    private RecommenderModel? _model;
    private ProductCatalog? _catalog;
    private ServingSnapshot? _current;

    /// <summary>Null until both a model and the product rows are loaded.</summary>
    public ServingSnapshot? Current => Volatile.Read(ref _current);

    public RecommenderModel? Model => Volatile.Read(ref _model);
    public ProductCatalog? Catalog => Volatile.Read(ref _catalog);

    /// <summary>
    /// Swaps in a new model and/or product rows. The snapshot is built first, its content
    /// neighbours included (parsing every row, too slow for the requests that would otherwise wait
    /// on it): if that throws, nothing changes, so the model, the rows and the snapshot never
    /// disagree.
    /// </summary>
    public void Update(RecommenderModel? model = null, ProductCatalog? catalog = null)
    {
        lock (_updateLock) Swap(model ?? _model, catalog ?? _catalog, null);
    }

    /// <summary>
    /// Swaps in a fresh read of the product rows. When they are byte for byte the rows being
    /// served (a periodic re-read of an unchanged shop), what was built from them is kept and only
    /// the read time moves; returns whether they changed.
    /// </summary>
    public bool Refresh(ProductCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        lock (_updateLock)
        {
            var changed = _catalog is null || !catalog.HasSameRowsAs(_catalog);
            Swap(_model, catalog, changed ? null : Volatile.Read(ref _current)?.WithCatalog(catalog));
            return changed;
        }
    }

    private void Swap(RecommenderModel? model, ProductCatalog? catalog, ServingSnapshot? kept)
    {
        var snapshot = kept ?? (model is not null && catalog is not null ? new ServingSnapshot(model, catalog, options.Value.Sellability) : null);
        _ = snapshot?.Content;
        Volatile.Write(ref _model, model);
        Volatile.Write(ref _catalog, catalog);
        if (snapshot is not null) Volatile.Write(ref _current, snapshot);
    }
}
