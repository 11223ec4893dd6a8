#:project ../Recommender.Api/Recommender.Api.csproj
// The impression memory holding 1 M remembered products, and what remembering one list costs: `dotnet run bench/impressions-memory.cs -c Release [-- per_list buyers]`.
// Lists of `per_list` products (default 10) for `buyers` buyers (default 100,000) until 1 M products are
// held: cuid-like buyer and product ids (25 characters) as a Prisma shop has them, 12,000 products.
using Recommender.Api.Outcomes;

var perList = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
var buyers = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
const int Target = 1_000_000;
var products = Enumerable.Range(0, 12_000).Select(p => $"cm8kq2x7d{p:D8}ab12cdef").ToArray();
var sources = Enumerable.Repeat("personalized", perList).ToArray();
var random = new Random(1);
var now = DateTimeOffset.UtcNow;

var before = GC.GetTotalMemory(forceFullCollection: true);
var memory = new ImpressionMemory(new AttributionOptions { MaxImpressions = Target, MaxPerBuyer = 100 });
var list = new string[perList];
for (var request = 0; memory.Impressions < Target; request++)
{
    for (var n = 0; n < perList; n++) list[n] = products[random.Next(products.Length)];
    // Each request makes its buyer id anew, as ASP.NET Core does from the route.
    memory.Remember($"cm8buyer{request % buyers:D8}xyz0001", "recommendations", request % 2 == 0 ? "a" : "b", list, sources, now.AddMilliseconds(request));
}
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"{memory.Impressions:N0} products remembered for {memory.Buyers:N0} buyers (lists of {perList}): " +
    $"{(after - before) / 1048576.0:F1} MiB managed heap, {(double)(after - before) / memory.Impressions:F1} bytes per product shown");

// The request path's share: one list remembered, on one thread, with the memory full (every call evicts).
var timer = System.Diagnostics.Stopwatch.StartNew();
const int Calls = 1_000_000;
for (var request = 0; request < Calls; request++)
{
    for (var n = 0; n < perList; n++) list[n] = products[(request * 7 + n * 13) % products.Length];
    memory.Remember($"cm8buyer{request % buyers:D8}xyz0002", "recommendations", "a", list, sources, now.AddSeconds(request));
}
Console.WriteLine($"Remember (list of {perList}, memory full): {timer.Elapsed.TotalNanoseconds / Calls:F0} ns per list, the buyer id string included");
GC.KeepAlive(memory);
