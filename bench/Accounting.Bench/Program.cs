using Accounting.Bench;
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(DpSgdAccountingBenchmarks).Assembly).Run(args);
