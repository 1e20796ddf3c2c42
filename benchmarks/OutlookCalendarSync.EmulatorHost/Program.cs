using System.Globalization;
using NodaTime;
using OutlookCalendarSync.Testing.Emulator;

// Usage: OutlookCalendarSync.EmulatorHost <mailbox> <event count> <latency ms> [<series count>]
// Seeds the mailbox, prints "READY <graph base url>" and serves until stdin closes.
// Or: OutlookCalendarSync.EmulatorHost --farm <mailbox count> <events per mailbox> <latency ms>: the farm benchmark's Graph (FarmGraph).
if (args is ["--farm", .. var farmArguments])
{
    return await FarmGraph.RunAsync(farmArguments);
}

int seriesCount = 0;
if (args.Length is not (3 or 4)
    || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
    || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out int latencyMs)
    || (args.Length == 4 && !int.TryParse(args[3], NumberStyles.None, CultureInfo.InvariantCulture, out seriesCount)))
{
    await Console.Error.WriteLineAsync("Usage: OutlookCalendarSync.EmulatorHost <mailbox> <event count> <latency ms> [<series count>]");
    return 2;
}

string mailbox = args[0];
await using GraphEmulator emulator = await GraphEmulator.StartAsync(new GraphEmulatorOptions { Latency = TimeSpan.FromMilliseconds(latencyMs) });

// The events of GraphAdapterBenchmarks' pull: 10,000 spread over 700 days from 2026-01-01, with an HTML body and a location.
// Event i is on day i % 700 at 06:00 + (i / 700) hours while that stays within the day (the first 12,600 events); beyond, the
// same 18 hours again, 5 minutes later per round, so 100,000 events fit (before, hour 24 and later made invalid times).
for (int i = 0; i < count; i++)
{
    int slot = i / 700;
    LocalDateTime start = new LocalDate(2026, 1, 1).PlusDays(i % 700).At(new LocalTime(6 + (slot % 18), 0)).PlusMinutes(slot / 18 * 5);
    string from = start.ToString("uuuu-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    string to = start.PlusMinutes(30).ToString("uuuu-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
    emulator.AddEvent(mailbox, $$$"""{"subject":"Outlook event {{{i}}}","body":{"contentType":"html","content":"<p>Notes {{{i}}}</p>"},"location":{"displayName":"Room {{{i % 40}}}"},"start":{"dateTime":"{{{from}}}","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{to}}}","timeZone":"W. Europe Standard Time"}}""");
}

// Weekly series of 20 occurrences each, starting on the days after 2026-11-30, a few per hour of the working day.
string[] weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"];
for (int i = 0; i < seriesCount; i++)
{
    LocalDate first = new LocalDate(2026, 11, 30).PlusDays(i % 5);
    string day = first.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture);
    int hour = 7 + (i / 5 % 12);
    int minute = i / 60 % 4 * 15;
    emulator.AddEvent(mailbox, $$$$"""{"subject":"Series {{{{i}}}}","location":{"displayName":"Room {{{{i % 40}}}}"},"start":{"dateTime":"{{{{day}}}}T{{{{hour:00}}}}:{{{{minute:00}}}}:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"{{{{day}}}}T{{{{hour:00}}}}:{{{{minute + 10:00}}}}:00","timeZone":"W. Europe Standard Time"},"recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["{{{{weekdays[i % 5]}}}}"]},"range":{"type":"numbered","startDate":"{{{{day}}}}","numberOfOccurrences":20}}}""");
}

Console.WriteLine($"READY {emulator.GraphBaseUrl}");

// The parent closes stdin when it is done (or dies): then the emulator stops.
await Console.In.ReadToEndAsync();
return 0;
