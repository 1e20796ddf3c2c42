using BenchmarkDotNet.Running;
using OutlookCalendarSync.Benchmarks.Farm;
using OutlookCalendarSync.Benchmarks.Memory;
using OutlookCalendarSync.Benchmarks.Table;
using OutlookCalendarSync.Benchmarks.Notifications;

// The memory measurement is a plain measured run, not a BenchmarkDotNet job: MemoryDiagnoser reports allocations, not peak memory.
return args switch
{
    [FirstSyncMemory.Argument, .. var options] => await FirstSyncMemory.RunAsync(options),
    [MeasuredRun.Argument, .. var options] => await MeasuredRun.RunAsync(options),
    [IssueTable.Argument, .. var options] => await IssueTable.RunAsync(options),
    [NotificationLatency.Argument, .. var options] => await NotificationLatency.RunAsync(options),
    [FarmProof.Argument, .. var options] => await FarmProof.RunAsync(options),
    [DispatchThroughput.Argument, .. var options] => await DispatchThroughput.RunAsync(options),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
