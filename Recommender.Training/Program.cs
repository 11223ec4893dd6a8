using Recommender.Training.Benchmarks;
using Recommender.Training.Synthetic;

namespace Recommender.Training;

/// <summary>The command line that measures the pipeline: <c>evaluate</c> and <c>generate</c>.</summary>
public static class CommandLine
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "generate": return GenerateCommand.Run(args[1..]);
            case "bench-als": return BenchAlsCommand.Run(args[1..]);
        }
        Console.Error.WriteLine("usage: Recommender.Training evaluate|generate|bench-als …");
        Console.Error.WriteLine("  " + GenerateCommand.Usage);
        Console.Error.WriteLine("  " + BenchAlsCommand.Usage);
        return 2;
    }
}
