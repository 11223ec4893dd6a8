using Recommender.Training.Commands;

namespace Recommender.Training;

/// <summary>The command line that trains and measures outside the service.</summary>
public static class CommandLine
{
    private const string Usage = """
        usage: Recommender.Training <command> [options]
          train     --database-url URL [--models DIR] [--keep N] [--algorithm auto|itemknn|als|svd|popularity] [--repeat N]
          evaluate  --dataset PATH [--algorithm NAME] [--option key=value ...]
        """;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            return args switch
            {
                ["train", .. var rest] => await TrainCommand.RunAsync(rest),
                ["evaluate", ..] => Evaluation.EvaluateCommand.Run(args),
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
