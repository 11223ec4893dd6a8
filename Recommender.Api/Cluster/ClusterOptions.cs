using System.ComponentModel.DataAnnotations;

namespace Recommender.Api.Cluster;

/// <summary>
/// Settings for running several replicas against one shop database (section
/// <c>Recommender:Cluster</c>). Off by default: one instance, an in-memory schedule and the
/// local models directory, which needs no database at all.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>
    /// True: the training schedule lives in Quartz's clustered job store and models in a table,
    /// both in <see cref="Schema"/> of the shop's database, so one replica trains per interval and
    /// every replica serves what it published. Needs a PostgreSQL shop (DATABASE_URL).
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The service's own schema in the shop's database: the only place it writes. Created at
    /// start-up when missing (which needs CREATE on the database), or made beforehand by a DBA.
    /// </summary>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Cluster:Schema must be a lower-case PostgreSQL identifier.")]
    public string Schema { get; set; } = "recommender";

    /// <summary>This replica's name in the cluster; empty: generated from the host name and the time.</summary>
    public string InstanceId { get; set; } = "";

    /// <summary>Seconds between a replica's check-ins; a replica silent for longer plus a margin is presumed dead and its training is taken over.</summary>
    [Range(1, 600)]
    public int CheckinIntervalSeconds { get; set; } = 10;

    /// <summary>
    /// Bytes per row of <c>model_chunks</c>: a published model zip is stored in pieces this size,
    /// so a model larger than PostgreSQL's 1 GB limit on one value can be shared. Each piece is
    /// held in memory once while it is written or read.
    /// </summary>
    [Range(1, 256 << 20)]
    public int ModelChunkBytes { get; set; } = 32 << 20;
}
