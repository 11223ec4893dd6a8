using Microsoft.AspNetCore.Http.HttpResults;

namespace Recommender.Api.Apis;

/// <summary>The problem details (RFC 7807) every list endpoint answers with.</summary>
public static class ListProblems
{
    public static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static ProblemHttpResult NotReady() =>
        TypedResults.Problem(
            title: "No model loaded yet",
            detail: "The first training has not finished; try again in a few seconds.",
            statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>Echoes at most 32 characters of a client's value back.</summary>
    public static string Shorten(string value) => value.Length <= 32 ? value : value[..32] + "…";
}
