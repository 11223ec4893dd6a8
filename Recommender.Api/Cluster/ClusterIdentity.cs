namespace Recommender.Api.Cluster;

/// <summary>This replica's name: Quartz's instance id, and <c>published_by</c> of the models it trains.</summary>
public sealed record ClusterIdentity(string InstanceId)
{
    /// <summary>The configured id, or one made from the host name and a random suffix (two replicas on one host differ).</summary>
    public static ClusterIdentity From(string configured) => new(
        string.IsNullOrWhiteSpace(configured) ? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}" : configured);
}
