using System.Runtime.InteropServices;

namespace Recommender.Training.Matrix;

/// <summary>
/// A two-way map between the shop's external string ids (cuid, uuid…) and dense
/// indices 0..Count-1, the row and column numbers of the interaction matrix.
/// Not thread-safe while ids are being added; read-only use is safe from many threads.
/// </summary>
public sealed class IdMap
{
    private readonly Dictionary<string, int> _indexById;
    private readonly List<string> _ids;

    public IdMap(int capacity = 0)
    {
        _indexById = new Dictionary<string, int>(capacity, StringComparer.Ordinal);
        _ids = new List<string>(capacity);
    }

    public IdMap(IEnumerable<string> ids) : this()
    {
        foreach (var id in ids)
        {
            if (_indexById.ContainsKey(id))
                throw new InvalidDataException($"Duplicate id '{id}' in an id map.");
            _indexById.Add(id, _ids.Count);
            _ids.Add(id);
        }
    }

    public int Count => _ids.Count;

    public IReadOnlyList<string> Ids => _ids;

    public string this[int index] => _ids[index];

    /// <summary>Returns the index of <paramref name="id"/>, adding it when it is new.</summary>
    public int GetOrAdd(string id)
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_indexById, id, out var exists);
        if (!exists)
        {
            slot = _ids.Count;
            _ids.Add(id);
        }
        return slot;
    }

    public bool TryGetIndex(string id, out int index) => _indexById.TryGetValue(id, out index);

    /// <summary>Looks an id up without allocating a string, for ids taken from a request path.</summary>
    public bool TryGetIndex(ReadOnlySpan<char> id, out int index) =>
        _indexById.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out index);
}
