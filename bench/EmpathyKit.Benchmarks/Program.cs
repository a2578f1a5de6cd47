using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/EmpathyKit.Benchmarks -- --filter '*'
// Figures go to docs/benchmarks.md.
// dotnet run -c Release --project bench/EmpathyKit.Benchmarks -- load [users] [turns]: the web sample under load.
if (args is ["load", ..])
{
    return await EmpathyKit.Benchmarks.WebLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(EmpathyKit.Benchmarks.WebLoad).Assembly).Run(args);
return 0;
