using Recommender.Bench;

// recommender-bench: tools for benchmarking the recommendation service.
//   load-shop   build a Prisma-style shop in PostgreSQL from an Amazon dataset file
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };

if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine(LoadShopOptions.Usage);
    return args.Length == 0 ? 2 : 0;
}

switch (args[0])
{
    case "load-shop":
        if (!LoadShopOptions.TryParse(args.AsSpan(1), out var options, out var error))
        {
            Console.Error.WriteLine(error);
            Console.Error.WriteLine(LoadShopOptions.Usage);
            return 2;
        }
        return await LoadShopCommand.RunAsync(options, Console.Out, cancellation.Token);

    default:
        Console.Error.WriteLine($"unknown command '{args[0]}'");
        Console.Error.WriteLine(LoadShopOptions.Usage);
        return 2;
}
