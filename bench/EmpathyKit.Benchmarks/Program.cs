using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/EmpathyKit.Benchmarks -- --filter '*'
// Figures go to docs/benchmarks.md.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
