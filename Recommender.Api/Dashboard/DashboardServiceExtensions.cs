using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Recommender.Api.Observability;
using Recommender.Api.Options;
using Recommender.Api.Security;
using Recommender.Training.Artifacts;
using Scalar.AspNetCore;

namespace Recommender.Api.Dashboard;

/// <summary>
/// The operator's page at <c>/dashboard</c> (<c>/</c> redirects there), the JSON it reads under
/// <c>/dashboard/api</c>, and the interactive API reference at <c>/scalar</c>.
/// <para>
/// The page's files hold no data, so they are served to anyone: a browser cannot send a key
/// before the page has asked for one. Everything the page shows comes from <c>/dashboard/api</c>
/// and the list endpoints, which need the key like every endpoint.
/// </para>
/// </summary>
public static class DashboardServiceExtensions
{
    /// <summary>The page's files, embedded from <c>wwwroot/dashboard</c> so they are found whatever the working directory.</summary>
    private const string FilesNamespace = "Recommender.Api.wwwroot.dashboard";

    private const string PagePath = "/dashboard";

    public static void AddDashboard(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new TrainingHistory(sp.GetRequiredService<ModelStore>(), sp.GetRequiredService<ILogger<TrainingHistory>>()));
        services.AddHostedService<TrainingHistoryRecorder>();
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, DashboardJsonContext.Default));
        services.Configure<OpenApiOptions>("v1", openApi => openApi.AddDocumentTransformer((document, context, _) =>
        {
            document.Info.Title = "Recommender";
            document.Info.Description = "Personalized, similar and trending products for a Prisma shop, from its orders, carts and wishlists. " +
                "Every list takes the same filters; a malformed parameter is a 400 problem (RFC 7807) naming it. The operator's dashboard is at /dashboard.";
            DescribeApiKey(document, context.ApplicationServices.GetRequiredService<IOptions<RecommenderOptions>>().Value.Security.RequiresApiKey);
            return Task.CompletedTask;
        }));
    }

    /// <summary>Serves the page's files and the redirects to it, before the key check (see the class summary).</summary>
    public static void UseDashboard(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (HttpMethods.IsGet(context.Request.Method) && (path == "/" || path == PagePath))
            {
                context.Response.Redirect(context.Request.PathBase + PagePath + "/");
                return Task.CompletedTask;
            }
            return next(context);
        });
        var files = new EmbeddedFileProvider(typeof(DashboardServiceExtensions).Assembly, FilesNamespace);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = PagePath });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = PagePath,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                // Revalidated on every load (ETag), so a new version of the service shows its new page.
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' https: http: data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
                headers["Referrer-Policy"] = "no-referrer";
            },
        });
    }

    public static void MapDashboard(this WebApplication app)
    {
        app.MapDashboardApi();
        // The reference page and its script are the same for everyone, like the dashboard's files;
        // the OpenAPI document it loads, and every request tried from it, carry the key that
        // scalar-config.js asks for (the dashboard's, when opened from it).
        app.MapScalarApiReference("/scalar", scalar => scalar
                .WithTitle("Recommender API")
                .WithJavaScriptConfiguration("dashboard/scalar-config.js")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools())
            .AllowAnonymous()
            .WithMetadata(NotServingTraffic.Instance);
    }

    /// <summary>Declares the X-API-Key scheme, and requires it on every operation when keys are configured.</summary>
    private static void DescribeApiKey(OpenApiDocument document, bool required)
    {
        const string scheme = ApiKeyAuthenticationHandler.SchemeName;
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.HeaderName,
            Description = required
                ? "One of the keys in Recommender:Security:ApiKeys or API_KEY. /health and /ready need none."
                : "No key is configured: this service is open to anyone who can reach it.",
        };
        if (required)
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
    }
}
