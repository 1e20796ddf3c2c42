using System.Globalization;
using NodaTime;
using OutlookCalendarSync.Testing.Emulator;

// Usage: OutlookCalendarSync.EmulatorHost <mailbox> <event count> <latency ms>
// Seeds the mailbox, prints "READY <graph base url>" and serves until stdin closes.
if (args.Length != 3
    || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
    || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int latencyMs))
{
    await Console.Error.WriteLineAsync("Usage: OutlookCalendarSync.EmulatorHost <mailbox> <event count> <latency ms>");
    return 2;
}

string mailbox = args[0];
await using GraphEmulator emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Latency = TimeSpan.FromMilliseconds(latencyMs) });

// The events of GraphAdapterBenchmarks' pull: 10,000 spread over 700 days from 2026-01-01, with an HTML body and a location.
for (int i = 0; i < count; i++)
{
    string day = new LocalDate(2026, 1, 1).PlusDays(i % 700).ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
    int hour = 6 + (i / 700);
    emulator.AddEvent(mailbox, $$$"""{"subject":"Outlook event {{{i}}}","body":{"contentType":"html","content":"<p>Notes {{{i}}}</p>"},"location":{"displayName":"Room {{{i % 40}}}"},"start":{"dateTime":"{{{day}}}T{{{hour:00}}}:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{day}}}T{{{hour:00}}}:30:00","timeZone":"W. Europe Standard Time"}}""");
}

Console.WriteLine($"READY {emulator.GraphBaseUrl}");

// The parent closes stdin when it is done (or dies): then the emulator stops.
await Console.In.ReadToEndAsync();
return 0;
