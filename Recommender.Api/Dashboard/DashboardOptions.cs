using System.ComponentModel.DataAnnotations;

namespace Recommender.Api.Dashboard;

/// <summary>Section <c>Recommender:Dashboard</c>: the operator's page at <c>/dashboard</c>.</summary>
public sealed class DashboardOptions : IValidatableObject
{
    /// <summary>
    /// Where the shop serves its product images (<c>https://shop.example.com</c>): a product row's
    /// relative <c>thumbnail</c> or <c>images</c> path is shown from there. Empty: only absolute
    /// image URLs are shown, since a relative path means nothing on this service's host.
    /// </summary>
    public string ImageBaseUrl { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ImageBaseUrl.Length > 0 &&
            (!Uri.TryCreate(ImageBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            yield return new ValidationResult("ImageBaseUrl must be empty or an absolute http(s) URL, such as https://shop.example.com.", [nameof(ImageBaseUrl)]);
    }
}
