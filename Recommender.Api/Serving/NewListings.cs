using System.Buffers;
using Recommender.Training.Algorithms;

namespace Recommender.Api.Serving;

/// <summary>
/// A place for a listing nobody has interacted with yet: when a product of the anchors' category
/// is one (<see cref="ContentNeighbours"/>), the last place of the first page is kept from the
/// model's source and given to the best of them, source <see cref="ListSource.Content"/>. No
/// collaborative source can propose such a product, so without this a new listing waits for the
/// newest fallback, which a full list never reaches. Dispose it.
/// </summary>
public readonly struct NewListings : IDisposable
{
    private readonly float[]? _scores;
    private readonly int _products;
    private readonly Func<int, IReadOnlyList<Contribution>>? _explain;

    private NewListings(float[] scores, int products, Func<int, IReadOnlyList<Contribution>>? explain) =>
        (_scores, _products, _explain) = (scores, products, explain);

    /// <summary>Scores the new listings like <paramref name="anchors"/> and reserves the slot when there is one to show.</summary>
    public static NewListings Of(ServingSnapshot snapshot, ListBuilder list, ReadOnlySpan<int> anchors, bool explain)
    {
        if (!list.CanReserve || anchors.IsEmpty) return default;
        var products = snapshot.ProductCount;
        var scores = ArrayPool<float>.Shared.Rent(products);
        var span = scores.AsSpan(0, products);
        if (!snapshot.Content.Score(anchors, span))
        {
            ArrayPool<float>.Shared.Return(scores);
            return default;
        }
        list.Reserve();
        var share = 1f / anchors.Length;
        Contribution[] because = [.. anchors.ToArray().Distinct().Select(a => new Contribution(a, share))];
        return new NewListings(scores, products, explain ? _ => because : null);
    }

    /// <summary>Gives the kept place to the best new listing the list may still show.</summary>
    public void Take(ListBuilder list)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (_scores is null) return;
        list.Release();
        _scores.AsSpan(0, _products).CopyTo(list.AllScores);
        list.TakeFromAll(ListSource.Content, _explain);
    }

    public void Dispose()
    {
        if (_scores is not null) ArrayPool<float>.Shared.Return(_scores);
    }
}
