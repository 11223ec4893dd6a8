using Recommender.Api.Apis;
using Recommender.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddDotEnvFile(Directory.GetCurrentDirectory());
builder.AddApplicationServices();
builder.AddServiceProtection();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseServiceProtection();

app.MapOpenApi();
app.MapHealthApi();
app.MapRecommendationsApi();

app.Run();

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
