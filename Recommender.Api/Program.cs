using Recommender.Api.Apis;
using Recommender.Api.Dashboard;
using Recommender.Api.Experiments;
using Recommender.Api.Extensions;
using Recommender.Api.Security;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddDotEnvFile(Directory.GetCurrentDirectory());
builder.AddApplicationServices();
builder.AddServiceProtection();
builder.AddObservability();
builder.AddDashboard();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDashboard();
app.UseRequestMetrics();
app.UseServiceProtection();

app.MapOpenApi();
app.MapHealthApi();
app.MapRecommendationsApi();
app.MapProductsApi();
app.MapExperimentsApi();
app.MapMetricsApi();
app.MapDashboard();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
