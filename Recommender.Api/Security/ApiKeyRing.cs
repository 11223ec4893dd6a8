using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;

namespace Recommender.Api.Security;

/// <summary>
/// The accepted API keys, kept only as SHA-256 digests. A presented key is hashed and compared
/// with every digest in constant time, so neither its content nor its length shows in the time
/// the answer takes. Each key gets a name (<c>key-1</c>, <c>key-2</c>, … in configuration
/// order) that logs, metrics and rate-limit partitions use instead of the secret.
/// </summary>
public sealed class ApiKeyRing
{
    private const int DigestBytes = 32;
    private readonly byte[][] _digests;
    private readonly AuthenticationTicket[] _tickets;

    public ApiKeyRing(IReadOnlyList<string> keys, string scheme)
    {
        _digests = [.. keys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];
        _tickets = [.. keys.Select((_, i) => new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, $"key-{i + 1}")], scheme)), scheme))];
    }

    public int Count => _digests.Length;

    /// <summary>The ticket of the key presented, or null when it matches none.</summary>
    public AuthenticationTicket? Match(ReadOnlySpan<char> presented)
    {
        Span<byte> digest = stackalloc byte[DigestBytes];
        Hash(presented, digest);
        var match = -1;
        // Every digest is compared, without an early exit, whatever matched.
        for (var i = 0; i < _digests.Length; i++)
            if (CryptographicOperations.FixedTimeEquals(digest, _digests[i]))
                match = i;
        return match < 0 ? null : _tickets[match];
    }

    private static void Hash(ReadOnlySpan<char> text, Span<byte> digest)
    {
        // Kestrel caps request headers at 32 KB, so a presented key is never larger than that.
        var length = Encoding.UTF8.GetByteCount(text);
        var bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(text, bytes);
        SHA256.HashData(bytes, digest);
    }
}
