using Raven.Bench;

if (ApiServerMemoryBench.IsServeMode(args))
{
    await ApiServerMemoryBench.ServeAsync();
    return;
}

var which = args.Length > 0 ? args[0] : "all";
var scale = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
if (which is "apiserver" or "all")
{
    Console.WriteLine(await ApiServerBench.RunAsync(scale));
}

if (which is "apiserver-memory" or "all")
{
    Console.WriteLine(await ApiServerMemoryBench.RunAsync(scale));
}

if (which is "controller" or "all")
{
    Console.WriteLine(await ControllerBench.RunAsync(scale));
}
