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
    /// disagree. Rows re-read unchanged keep what was built from them.
    /// </summary>
    public void Update(RecommenderModel? model = null, ProductCatalog? catalog = null)
    {
        lock (_updateLock)
        {
            var nextModel = model ?? _model;
            var nextCatalog = catalog ?? _catalog;
            var current = Volatile.Read(ref _current);
            var snapshot = nextModel is null || nextCatalog is null ? null
                : current is not null && current.Model == nextModel && catalog is not null && current.WithSameRows(catalog) is { } same ? same
                : new ServingSnapshot(nextModel, nextCatalog, options.Value.Sellability);
            _ = snapshot?.Content;
            Volatile.Write(ref _model, nextModel);
            Volatile.Write(ref _catalog, nextCatalog);
            if (snapshot is not null) Volatile.Write(ref _current, snapshot);
        }
    }
}
