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

    public void Update(RecommenderModel? model = null, ProductCatalog? catalog = null)
    {
        lock (_updateLock)
        {
            if (model is not null) Volatile.Write(ref _model, model);
            if (catalog is not null) Volatile.Write(ref _catalog, catalog);
            if (_model is not null && _catalog is not null)
                Volatile.Write(ref _current, new ServingSnapshot(_model, _catalog, options.Value.Sellability));
        }
    }
}
