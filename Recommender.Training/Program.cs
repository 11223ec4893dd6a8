namespace Recommender.Training;

/// <summary>The command line that measures the pipeline: <c>evaluate</c> and <c>generate</c>.</summary>
public static class CommandLine
{
    public static int Main(string[] args)
    {
        if (args is ["evaluate", ..]) return Evaluation.EvaluateCommand.Run(args);
        Console.Error.WriteLine("usage: Recommender.Training evaluate|generate …");
        return 2;
    }
}
