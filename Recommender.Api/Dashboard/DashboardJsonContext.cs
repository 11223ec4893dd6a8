using System.Text.Json.Serialization;

namespace Recommender.Api.Dashboard;

[JsonSerializable(typeof(DashboardModelResponse))]
[JsonSerializable(typeof(DashboardServingResponse))]
[JsonSerializable(typeof(BuyerHistoryResponse))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
