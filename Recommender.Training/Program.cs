using Recommender.Training.Benchmarks;
using Recommender.Training.Commands;
using Recommender.Training.Evaluation;
using Recommender.Training.Synthetic;

namespace Recommender.Training;

/// <summary>The command line that trains and measures outside the service.</summary>
public static class CommandLine
{
    private static readonly string Usage = $"""
        usage: Recommender.Training <command> [options]
          train     --database-url URL [--models DIR] [--keep N] [--algorithm auto|itemknn|als|ranked|svd|popularity] [--repeat N]
          evaluate  --dataset PATH [--algorithm NAME] [--option key=value ...]
          {GenerateCommand.Usage}
          {BenchAlsCommand.Usage}
          {BenchRankedCommand.Usage}
        """;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["train", .. var rest] => await TrainCommand.RunAsync(rest),
                ["evaluate", ..] => EvaluateCommand.Run(args),
                ["generate", .. var rest] => GenerateCommand.Run(rest),
                ["bench-als", .. var rest] => BenchAlsCommand.Run(rest),
                ["bench-ranked", .. var rest] => BenchRankedCommand.Run(rest),
                _ => Fail(Usage),
            };
        }
        catch (ArgumentException e)
        {
            return Fail($"{e.Message}\n{Usage}");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
