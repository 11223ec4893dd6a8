using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Recommender.Api.Security;

/// <summary>
/// Authenticates a request by its <c>X-API-Key</c> header against the <see cref="ApiKeyRing"/>.
/// A missing or wrong key is answered 401 with problem details and a <c>WWW-Authenticate</c>
/// hint naming the header.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    ApiKeyRing keys,
    IProblemDetailsService problemDetails)
    // The base class logs every failed and challenged request at Information: under a flood of
    // bad keys that is a log line per request. Failures show as 401s in the request metrics instead.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-API-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers[HeaderName];
        if (values.Count == 0) return Task.FromResult(AuthenticateResult.NoResult());
        if (values.Count == 1 && keys.Match(values[0]) is { } ticket)
            return Task.FromResult(AuthenticateResult.Success(ticket));
        return Task.FromResult(AuthenticateResult.Fail("Invalid API key"));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        var presented = Request.Headers.ContainsKey(HeaderName);
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = presented ? "Invalid API key" : "API key required",
                Detail = $"Send a valid key in the {HeaderName} header.",
            },
        });
    }
}
