using Recommender.Training.Artifacts;

namespace Recommender.Api.ModelVersions;

/// <summary>
/// Where trained models go and where every instance finds them: the models directory
/// (<see cref="DirectoryModelPublisher"/>, one instance or a shared directory) or, with
/// <c>Cluster:Enabled</c>, a table in the service's own PostgreSQL schema.
/// </summary>
public interface IModelPublisher
{
    /// <summary>Serves the newest published model if it is newer than the one serving.</summary>
    Task SyncAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Publishes a model, whole or not at all; returns it as published (the version may have been
    /// raised to stay unique among replicas) and where it went, for the log.
    /// </summary>
    Task<(RecommenderModel Model, string Location)> PublishAsync(RecommenderModel model, CancellationToken cancellationToken);
}

/// <summary>Publishes into the models directory, which <see cref="ModelReloader"/> watches.</summary>
public sealed class DirectoryModelPublisher(ModelStore store, ModelReloader reloader) : IModelPublisher
{
    public Task SyncAsync(CancellationToken cancellationToken) => reloader.ReloadIfNewerAsync(cancellationToken);

    public Task<(RecommenderModel Model, string Location)> PublishAsync(RecommenderModel model, CancellationToken cancellationToken) =>
        Task.FromResult((model, store.Publish(model, cancellationToken)));
}
