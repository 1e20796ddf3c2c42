using OutlookCalendarSync.SampleHost;

// dotnet run --project samples/OutlookCalendarSync.SampleHost -- --emulator
await using SampleApp sample = await SampleApp.CreateAsync(args);
await sample.App.RunAsync();
