using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using Recommender.Training.Algorithms.Als;
using Recommender.Training.Algorithms.Factorization;
using Recommender.Training.Data;
using Recommender.Training.Matrix;
using Recommender.Training.Synthetic;

namespace Recommender.Training.Benchmarks;

/// <summary>
/// <c>bench-als</c>: times <see cref="ImplicitAls.Fit"/> on a data set file or on a synthetic
/// shop built in memory, iteration by iteration, and reports peak memory. The last line of
/// output is one JSON object for scripts.
/// </summary>
public static class BenchAlsCommand
{
    public const string Usage =
        "bench-als (--dataset PATH | --interactions K [--users N] [--items M] [--seed S]) " +
        "[--factors 64] [--iterations 5] [--threads 2] [--cg-steps 3]";

    /// <summary>Interactions per user of a synthetic shop when --users is not given: 10 M over ~140 k users.</summary>
    private const int DefaultInteractionsPerUser = 71;

    private const int DefaultItems = 20_000;

    public static int Run(string[] args)
    {
        AlsOptions als;
        string? dataset;
        SyntheticShopOptions? synthetic = null;
        try
        {
            var arguments = new OptionArguments(args);
            dataset = arguments.String("dataset");
            var interactions = arguments.Long("interactions");
            if ((dataset is null) == (interactions is null))
                throw new ArgumentException("Give exactly one of --dataset and --interactions.");
            if (interactions is { } k)
            {
                synthetic = new SyntheticShopOptions
                {
                    Interactions = k,
                    Users = arguments.Int("users") ?? (int)Math.Max(1, k / DefaultInteractionsPerUser),
                    Items = arguments.Int("items") ?? DefaultItems,
                    Seed = arguments.Long("seed") ?? 1,
                };
                synthetic.Validate();
            }
            als = new AlsOptions
            {
                Factors = arguments.Int("factors") ?? 64,
                Iterations = arguments.Int("iterations") ?? 5,
                MaxDegreeOfParallelism = arguments.Int("threads") ?? 2,
                ConjugateGradientSteps = arguments.Int("cg-steps") ?? new AlsOptions().ConjugateGradientSteps,
            };
            arguments.RejectUnknown();
            als.Validate();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: Recommender.Training " + Usage);
            return 2;
        }

        var load = Stopwatch.StartNew();
        var matrix = synthetic is null ? InteractionListFile.Read(dataset!).ToMatrix() : BuildInMemory(synthetic);
        var loadSeconds = load.Elapsed.TotalSeconds;
        var source = synthetic is null ? dataset! : $"synthetic, seed {synthetic.Seed}";
        Console.WriteLine($"matrix: {matrix.Rows:N0} users × {matrix.Columns:N0} items, {matrix.NonZeros:N0} non-zeros " +
                          $"({source}), loaded in {loadSeconds:F2} s");
        Console.WriteLine($"fit: {als.Factors} factors, {als.Iterations} iterations, {als.ConjugateGradientSteps} CG steps, " +
                          $"{als.MaxDegreeOfParallelism} threads, {Environment.ProcessorCount} cores visible");

        var result = Measure(matrix, als);
        result = result with { LoadS = Math.Round(loadSeconds, 3), Source = source };
        Report(result);
        return 0;
    }

    private static BenchAlsResult Measure(CsrMatrix matrix, AlsOptions als)
    {
        // Start the fit from a clean heap and a fresh high-water mark, so the fit's peak is its own.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var fitPeakReset = ResetPeakResidentSet();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var residentAtStart = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var wall = new List<double>();
        var cpu = new List<double>();
        var clock = Stopwatch.StartNew();
        var lastWall = TimeSpan.Zero;
        var lastCpu = process.TotalProcessorTime;
        var cpuAtStart = lastCpu;
        var factors = ImplicitAls.Fit(matrix, als, CancellationToken.None, _ =>
        {
            var nowWall = clock.Elapsed;
            process.Refresh();
            var nowCpu = process.TotalProcessorTime;
            wall.Add((nowWall - lastWall).TotalSeconds);
            cpu.Add((nowCpu - lastCpu).TotalSeconds);
            (lastWall, lastCpu) = (nowWall, nowCpu);
        });
        var total = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var totalCpu = (process.TotalProcessorTime - cpuAtStart).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var fitPeak = fitPeakReset ? process.PeakWorkingSet64 : (long?)null;
        var processPeak = fitPeakReset ? (long?)null : process.PeakWorkingSet64;

        var steady = wall.Skip(1).Order().ToArray();
        return new BenchAlsResult
        {
            Users = matrix.Rows,
            Items = matrix.Columns,
            NonZeros = matrix.NonZeros,
            Factors = als.Factors,
            Iterations = als.Iterations,
            CgSteps = als.ConjugateGradientSteps,
            Threads = als.MaxDegreeOfParallelism,
            IterationWallS = wall.Select(s => Math.Round(s, 4)).ToArray(),
            IterationCpuS = cpu.Select(s => Math.Round(s, 4)).ToArray(),
            FirstIterationS = Math.Round(wall[0], 4),
            SteadyMeanS = steady.Length == 0 ? null : Math.Round(steady.Average(), 4),
            SteadyMedianS = steady.Length == 0 ? null : Math.Round(steady[steady.Length / 2], 4),
            SteadyMinS = steady.Length == 0 ? null : Math.Round(steady[0], 4),
            TotalS = Math.Round(total, 4),
            TotalCpuS = Math.Round(totalCpu, 4),
            RssAtFitStartMb = Megabytes(residentAtStart),
            FitPeakRssMb = fitPeak is { } f ? Megabytes(f) : null,
            ProcessPeakRssMb = processPeak is { } p ? Megabytes(p) : null,
            FitAllocatedMb = Megabytes(allocated),
            FactorsSha256 = Fingerprint(factors),
        };
    }

    private static void Report(BenchAlsResult r)
    {
        for (var n = 0; n < r.IterationWallS.Length; n++)
        {
            Console.WriteLine($"iteration {n + 1}: {r.IterationWallS[n]:F3} s wall, {r.IterationCpuS[n]:F3} s CPU" +
                              (n == 0 ? " (includes JIT warm-up)" : ""));
        }
        if (r.SteadyMeanS is { } mean)
            Console.WriteLine($"s/iteration after the first: mean {mean:F3}, median {r.SteadyMedianS:F3}, min {r.SteadyMinS:F3}");
        Console.WriteLine($"fit total: {r.TotalS:F3} s wall, {r.TotalCpuS:F3} s CPU");
        Console.WriteLine(r.FitPeakRssMb is { } peak
            ? $"memory: peak RSS during the fit {peak:F0} MB (VmHWM, reset through /proc/self/clear_refs when the fit began; " +
              $"the matrix alone was resident: {r.RssAtFitStartMb:F0} MB at the start); managed bytes the fit allocated {r.FitAllocatedMb:F0} MB"
            : $"memory: peak RSS of the whole process {r.ProcessPeakRssMb:F0} MB (loading included; no clear_refs to reset it); " +
              $"RSS at the fit's start {r.RssAtFitStartMb:F0} MB; managed bytes the fit allocated {r.FitAllocatedMb:F0} MB");
        Console.WriteLine($"factors sha256: {r.FactorsSha256}");
        Console.WriteLine(JsonSerializer.Serialize(r, JsonOptions));
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A synthetic shop straight into CSR: its rows are distinct products, so sorting each row is all that is left.</summary>
    private static CsrMatrix BuildInMemory(SyntheticShopOptions options)
    {
        var rowStart = new int[options.Users + 1];
        var indices = new int[checked((int)options.Interactions)];
        var written = 0;
        var summary = SyntheticShop.Generate(options, (buyer, products) =>
        {
            products.CopyTo(indices.AsSpan(written));
            indices.AsSpan(written, products.Length).Sort();
            written += products.Length;
            rowStart[buyer + 1] = written;
        });
        Array.Resize(ref indices, written);
        var values = new float[written];
        Array.Fill(values, 1f);
        return new CsrMatrix(options.Users, summary.Products, rowStart, indices, values);
    }

    /// <summary>
    /// Linux resets the peak resident set (VmHWM) of a process when "5" is written to
    /// /proc/self/clear_refs; false where that is not possible.
    /// </summary>
    private static bool ResetPeakResidentSet()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static double Megabytes(long bytes) => Math.Round(bytes / 1048576.0, 1);

    /// <summary>Identifies the factors bit for bit, to compare builds and thread counts.</summary>
    private static string Fingerprint(LatentFactors factors)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(MemoryMarshal.AsBytes(factors.Buyers.Data.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(factors.Products.Data.AsSpan()));
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }
}
