namespace Recommender.Training.Benchmarks;

/// <summary>The figures of one <c>bench-als</c> run, printed as its last line (snake_case JSON).</summary>
public sealed record BenchAlsResult
{
    public string Source { get; init; } = "";
    public int Users { get; init; }
    public int Items { get; init; }
    public int NonZeros { get; init; }
    public int Factors { get; init; }
    public int Iterations { get; init; }
    public int CgSteps { get; init; }
    public int Threads { get; init; }
    public double LoadS { get; init; }

    /// <summary>Wall seconds of each sweep; the first includes JIT compilation of the kernels.</summary>
    public double[] IterationWallS { get; init; } = [];

    /// <summary>CPU seconds of the whole process (all threads) during each sweep.</summary>
    public double[] IterationCpuS { get; init; } = [];

    public double FirstIterationS { get; init; }
    public double? SteadyMeanS { get; init; }
    public double? SteadyMedianS { get; init; }
    public double? SteadyMinS { get; init; }
    public double TotalS { get; init; }
    public double TotalCpuS { get; init; }

    /// <summary>Resident set when the fit began (the matrix and runtime, after a full GC).</summary>
    public double RssAtFitStartMb { get; init; }

    /// <summary>Peak resident set from the start of the fit to its end (Linux VmHWM after a reset).</summary>
    public double? FitPeakRssMb { get; init; }

    /// <summary>Peak resident set of the whole process, loading included, where the fit's own could not be isolated.</summary>
    public double? ProcessPeakRssMb { get; init; }

    /// <summary>Managed bytes allocated during the fit, all threads (GC.GetTotalAllocatedBytes).</summary>
    public double FitAllocatedMb { get; init; }

    public string FactorsSha256 { get; init; } = "";
}
