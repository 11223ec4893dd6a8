using Microsoft.Extensions.Options;
using Recommender.Api.Options;

namespace Recommender.Tests.Fakes;

/// <summary>Settings whose reading throws on demand: a stand-in for any failure while the serving model is built.</summary>
public sealed class FailingOptions : IOptions<RecommenderOptions>
{
    private readonly RecommenderOptions _value = new();
    public bool Fail { get; set; }
    public int Reads { get; private set; }

    public RecommenderOptions Value
    {
        get
        {
            Reads++;
            return Fail ? throw new InvalidOperationException("building the serving model failed") : _value;
        }
    }
}
