using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>Recurring series: masters, virtual occurrences, exceptions, deletions and series edits, through the real SDK.</summary>
public sealed partial class RecurrenceTests : EmulatorTestBase
{
    private const string Berlin = "W. Europe Standard Time";

    /// <summary>The UTC starts of the default series: Mondays at 09:00 Berlin (07:00Z in summer), 6 May to 3 June 2024.</summary>
    private static readonly string[] WeeklyStarts = ["20240506T070000Z", "20240513T070000Z", "20240520T070000Z", "20240527T070000Z", "20240603T070000Z"];

    [Fact]
    public async Task PostEvent_WeeklyRecurrence_StoresSeriesMasterWithRecurrenceInFull()
    {
        var master = await CreateWeeklyAsync();

        Assert.Equal(EventType.SeriesMaster, master.Type);
        Assert.Null(master.SeriesMasterId);
        Assert.Null(master.OriginalStart);
        Assert.Equal("2024-05-06T07:00:00.0000000", master.Start!.DateTime);
        var pattern = master.Recurrence!.Pattern!;
        Assert.Equal(RecurrencePatternType.Weekly, pattern.Type);
        Assert.Equal(1, pattern.Interval);
        Assert.Equal(0, pattern.Month);
        Assert.Equal(0, pattern.DayOfMonth);
        Assert.Equal(new DayOfWeekObject?[] { DayOfWeekObject.Monday }, pattern.DaysOfWeek!.ToArray());
        Assert.Equal(DayOfWeekObject.Sunday, pattern.FirstDayOfWeek);
        Assert.Equal(WeekIndex.First, pattern.Index);
        var range = master.Recurrence.Range!;
        Assert.Equal(RecurrenceRangeType.Numbered, range.Type);
        Assert.Equal(new Date(2024, 5, 6), range.StartDate);
        Assert.Equal(new Date(1, 1, 1), range.EndDate);
        Assert.Equal(5, range.NumberOfOccurrences);
        Assert.Equal(Berlin, range.RecurrenceTimeZone);
        Assert.Equal(master.ChangeKey, (await Graph.Me.Events[master.Id].GetAsync())!.ChangeKey);
    }

    [Fact]
    public async Task PostEvent_StartOffThePattern_MasterMovesToFirstOccurrence()
    {
        var master = await Graph.Me.Events.PostAsync(Weekly("Off pattern", "2024-05-05T09:00:00", Range(RecurrenceRangeType.Numbered, count: 2)));

        Assert.Equal("2024-05-06T07:00:00.0000000", master!.Start!.DateTime);
        Assert.Equal("2024-05-06T07:30:00.0000000", master.End!.DateTime);
        Assert.Equal(["20240506T070000Z", "20240513T070000Z"], IdSuffixes(await InstancesAsync(master.Id!)));
    }

    [Fact]
    public async Task Instances_WeeklySeries_ListsOccurrencesInWindowByStart()
    {
        var master = await CreateWeeklyAsync();

        var instances = await InstancesAsync(master.Id!, "2024-05-10T00:00:00Z", "2024-06-01T00:00:00Z");

        Assert.Equal(WeeklyStarts[1..4], IdSuffixes(instances));
        Assert.All(instances, i =>
        {
            Assert.Equal(EventType.Occurrence, i.Type);
            Assert.Equal(master.Id, i.SeriesMasterId);
            Assert.Equal("Weekly sync", i.Subject);
            Assert.Null(i.Recurrence);
            Assert.Equal(master.ChangeKey, i.ChangeKey);
            Assert.Equal($"W/\"{master.ChangeKey}\"", i.AdditionalData["@odata.etag"]?.ToString());
            Assert.Equal(Berlin, i.OriginalStartTimeZone);
            Assert.Equal(TimeSpan.FromMinutes(30), i.End!.ToDateTimeOffset() - i.Start!.ToDateTimeOffset());
        });
        Assert.Equal(new DateTimeOffset(2024, 5, 13, 7, 0, 0, TimeSpan.Zero), instances[0].OriginalStart);
        Assert.Equal("2024-05-13T07:00:00.0000000", instances[0].Start!.DateTime);
        Assert.Equal(1, Emulator.CountRequests("GET /me/events/{id}/instances"));
    }

    [Fact]
    public async Task Instances_WeeklyBerlinSeriesAcrossDaylightSavingChange_StaysAtNineLocal()
    {
        var master = await Graph.Me.Events.PostAsync(Weekly("Berlin standup", "2024-03-18T09:00:00", Range(RecurrenceRangeType.Numbered, "2024-03-18", count: 3)));

        var utc = await InstancesAsync(master!.Id!, "2024-03-01T00:00:00Z", "2024-05-01T00:00:00Z");
        var local = await Graph.Me.Events[master.Id].Instances.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-03-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-05-01T00:00:00Z";
            c.Headers.Add("Prefer", $"outlook.timezone=\"{Berlin}\"");
        });

        Assert.Equal(["2024-03-18T08:00:00.0000000", "2024-03-25T08:00:00.0000000", "2024-04-01T07:00:00.0000000"], utc.Select(i => i.Start!.DateTime!).ToArray());
        Assert.All(local!.Value!, i => Assert.EndsWith("T09:00:00.0000000", i.Start!.DateTime, StringComparison.Ordinal));
        Assert.All(local.Value!, i => Assert.Equal(Berlin, i.Start!.TimeZone));
        Assert.Equal(new DateTimeOffset(2024, 4, 1, 7, 0, 0, TimeSpan.Zero), utc[2].OriginalStart);
    }

    [Fact]
    public async Task Instances_AllDayDailySeries_StayOnTheirDates()
    {
        var master = await Graph.Me.Events.PostAsync(new Event
        {
            Subject = "Conference",
            IsAllDay = true,
            Start = new DateTimeTimeZone { DateTime = "2024-03-30T00:00:00", TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = "2024-03-31T00:00:00", TimeZone = Berlin },
            Recurrence = new PatternedRecurrence
            {
                Pattern = new RecurrencePattern { Type = RecurrencePatternType.Daily, Interval = 1 },
                Range = Range(RecurrenceRangeType.Numbered, "2024-03-30", count: 3),
            },
        });

        var instances = await InstancesAsync(master!.Id!, "2024-03-01T00:00:00Z", "2024-05-01T00:00:00Z");

        Assert.Equal(["2024-03-30T00:00:00.0000000", "2024-03-31T00:00:00.0000000", "2024-04-01T00:00:00.0000000"], instances.Select(i => i.Start!.DateTime!).ToArray());
        Assert.Equal(["2024-03-31T00:00:00.0000000", "2024-04-01T00:00:00.0000000", "2024-04-02T00:00:00.0000000"], instances.Select(i => i.End!.DateTime!).ToArray());
        Assert.All(instances, i => Assert.True(i.IsAllDay));
        Assert.All(instances, i => Assert.Equal(Berlin, i.Start!.TimeZone));
    }

    [Fact]
    public async Task Instances_EndlessSeries_ListsOccurrencesThreeYearsOut()
    {
        var master = await Graph.Me.Events.PostAsync(Weekly("Forever", "2024-05-06T09:00:00", Range(RecurrenceRangeType.NoEnd)));

        var instances = await InstancesAsync(master!.Id!, "2027-05-01T00:00:00Z", "2027-05-15T00:00:00Z");

        Assert.Equal(RecurrenceRangeType.NoEnd, master.Recurrence!.Range!.Type);
        Assert.Equal(0, master.Recurrence.Range.NumberOfOccurrences);
        Assert.Equal(["20270503T070000Z", "20270510T070000Z"], IdSuffixes(instances));
    }

    [Fact]
    public async Task Instances_MoreThanTop_PagesThroughNextLinks()
    {
        var master = await CreateWeeklyAsync();

        var first = await Graph.Me.Events[master.Id].Instances.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-07-01T00:00:00Z";
            c.QueryParameters.Top = 2;
        });
        var second = await Graph.Me.Events[master.Id].Instances.WithUrl(first!.OdataNextLink!).GetAsync();
        var third = await Graph.Me.Events[master.Id].Instances.WithUrl(second!.OdataNextLink!).GetAsync();

        Assert.Equal(WeeklyStarts, IdSuffixes([.. first.Value!, .. second.Value!, .. third!.Value!]));
        Assert.Null(third.OdataNextLink);
    }

    [Fact]
    public async Task Instances_SeriesWithoutWindow_Answers400()
    {
        var master = await CreateWeeklyAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[master.Id].Instances.GetAsync());

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("ErrorInvalidParameter", error.Error!.Code);
    }

    [Fact]
    public async Task GetEvent_OccurrenceId_ReturnsTheOccurrence()
    {
        var master = await CreateWeeklyAsync();

        var occurrence = await Graph.Me.Events[OccurrenceId(master, 2)].GetAsync();

        Assert.Equal(OccurrenceId(master, 2), occurrence!.Id);
        Assert.Equal(EventType.Occurrence, occurrence.Type);
        Assert.Equal(master.Id, occurrence.SeriesMasterId);
        Assert.Equal("2024-05-20T07:00:00.0000000", occurrence.Start!.DateTime);
        Assert.Equal(new DateTimeOffset(2024, 5, 20, 7, 0, 0, TimeSpan.Zero), occurrence.OriginalStart);
        Assert.Equal(master.ChangeKey, occurrence.ChangeKey);
        Assert.NotEqual(master.ICalUId, occurrence.ICalUId);
        Assert.Null(occurrence.Recurrence);
    }

    [Fact]
    public async Task GetEvent_IdOffThePattern_Answers404()
    {
        var master = await CreateWeeklyAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[$"{master.Id}_20240507T070000Z"].GetAsync());

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Equal("ErrorItemNotFound", error.Error!.Code);
    }

    [Fact]
    public async Task PatchOccurrence_WithIfMatch_BecomesExceptionWithSameIdAndMasterGetsNewChangeKey()
    {
        var master = await CreateWeeklyAsync();
        var occurrence = await Graph.Me.Events[OccurrenceId(master, 1)].GetAsync();
        Clock.AdvanceMinutes(5);

        var exception = await Graph.Me.Events[occurrence!.Id].PatchAsync(
            new Event { Subject = "Moved sync", Location = new Location { DisplayName = "Room 2" } },
            c => c.Headers.Add("If-Match", $"W/\"{occurrence.ChangeKey}\""));

        Assert.Equal(occurrence.Id, exception!.Id);
        Assert.Equal(EventType.Exception, exception.Type);
        Assert.Equal(master.Id, exception.SeriesMasterId);
        Assert.Equal(occurrence.OriginalStart, exception.OriginalStart);
        Assert.Equal("Moved sync", exception.Subject);
        Assert.Equal("Room 2", exception.Location!.DisplayName);
        Assert.Equal(occurrence.Start!.DateTime, exception.Start!.DateTime);
        Assert.NotEqual(master.ChangeKey, exception.ChangeKey);
        var masterAfter = await Graph.Me.Events[master.Id].GetAsync();
        Assert.NotEqual(master.ChangeKey, masterAfter!.ChangeKey);
        Assert.NotEqual(exception.ChangeKey, masterAfter.ChangeKey);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 8, 5, 0, TimeSpan.Zero), masterAfter.LastModifiedDateTime);
        Assert.Equal("Weekly sync", masterAfter.Subject);
        var instances = await InstancesAsync(master.Id!);
        Assert.Equal(WeeklyStarts, IdSuffixes(instances));
        Assert.Equal(["Weekly sync", "Moved sync", "Weekly sync", "Weekly sync", "Weekly sync"], instances.Select(i => i.Subject!).ToArray());
        Assert.Equal(EventType.Exception, (await Graph.Me.Events[occurrence.Id].GetAsync())!.Type);
    }

    [Fact]
    public async Task PatchOccurrence_StaleIfMatchAfterAnotherOccurrenceChanged_Answers412()
    {
        var master = await CreateWeeklyAsync();
        var occurrence = await Graph.Me.Events[OccurrenceId(master, 3)].GetAsync();
        await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Other change" });

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[occurrence!.Id].PatchAsync(
            new Event { Subject = "Mine" },
            c => c.Headers.Add("If-Match", $"W/\"{occurrence.ChangeKey}\"")));

        Assert.Equal(412, error.ResponseStatusCode);
        Assert.Equal(EventType.Occurrence, (await Graph.Me.Events[occurrence!.Id].GetAsync())!.Type);
    }

    [Fact]
    public async Task PatchOccurrence_InBatch_BecomesException()
    {
        var master = await CreateWeeklyAsync();
        var occurrence = await Graph.Me.Events[OccurrenceId(master, 2)].GetAsync();
        var batch = new BatchRequestContentCollection(Graph);
        var step = await batch.AddBatchRequestStepAsync(Graph.Me.Events[occurrence!.Id].ToPatchRequestInformation(
            new Event { Subject = "Batched" },
            c => c.Headers.Add("If-Match", $"W/\"{occurrence.ChangeKey}\"")));

        var response = await Graph.Batch.PostAsync(batch);

        Assert.Equal(HttpStatusCode.OK, (await response.GetResponsesStatusCodesAsync())[step]);
        var exception = await response.GetResponseByIdAsync<Event>(step);
        Assert.Equal(occurrence.Id, exception.Id);
        Assert.Equal(EventType.Exception, exception.Type);
        Assert.Equal("Batched", Emulator.GetEvent(Mailbox, occurrence.Id!)!["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchOccurrence_MovedWithinItsWeek_IsListedAtItsNewTime()
    {
        var master = await CreateWeeklyAsync();

        var moved = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = "2024-05-16T14:00:00", TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = "2024-05-16T15:00:00", TimeZone = Berlin },
        });

        Assert.Equal("2024-05-16T12:00:00.0000000", moved!.Start!.DateTime);
        Assert.Equal(new DateTimeOffset(2024, 5, 13, 7, 0, 0, TimeSpan.Zero), moved.OriginalStart);
        var inWindow = await InstancesAsync(master.Id!, "2024-05-15T00:00:00Z", "2024-05-17T00:00:00Z");
        Assert.Equal(moved.Id, Assert.Single(inWindow).Id);
        var originalDay = await InstancesAsync(master.Id!, "2024-05-13T00:00:00Z", "2024-05-14T00:00:00Z");
        Assert.Empty(originalDay);
    }

    [Theory]
    [InlineData("2024-05-20T10:00:00", "2024-05-20T10:30:00")]
    [InlineData("2024-05-21T10:00:00", "2024-05-21T10:30:00")]
    [InlineData("2024-05-06T12:00:00", "2024-05-06T12:30:00")]
    [InlineData("2024-05-01T09:00:00", "2024-05-01T09:30:00")]
    public async Task PatchOccurrence_MovedToOrPastANeighboursDate_Answers400CrossingBoundary(string start, string end)
    {
        var master = await CreateWeeklyAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = start, TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = end, TimeZone = Berlin },
        }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("ErrorOccurrenceCrossingBoundary", error.Error!.Code);
        Assert.Equal("An occurrence cannot be moved to or past the date of the next or previous occurrence.", error.Error.Message);
        Assert.Equal(EventType.Occurrence, (await Graph.Me.Events[OccurrenceId(master, 1)].GetAsync())!.Type);
    }

    [Fact]
    public async Task PatchOccurrence_OntoTheMovedDateOfANeighbourException_Answers400CrossingBoundary()
    {
        var master = await CreateWeeklyAsync();
        await Graph.Me.Events[OccurrenceId(master, 2)].PatchAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = "2024-05-15T09:00:00", TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = "2024-05-15T09:30:00", TimeZone = Berlin },
        });

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = "2024-05-16T09:00:00", TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = "2024-05-16T09:30:00", TimeZone = Berlin },
        }));

        Assert.Equal("ErrorOccurrenceCrossingBoundary", error.Error!.Code);
    }

    [Fact]
    public async Task PatchOccurrence_WithRecurrence_Answers400()
    {
        var master = await CreateWeeklyAsync();

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event
        {
            Recurrence = new PatternedRecurrence { Pattern = WeeklyPattern(), Range = Range(RecurrenceRangeType.NoEnd) },
        }));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("ErrorInvalidRequest", error.Error!.Code);
        Assert.Equal(EventType.Occurrence, (await Graph.Me.Events[OccurrenceId(master, 1)].GetAsync())!.Type);
    }

    [Fact]
    public async Task PatchException_AgainWithItsOwnChangeKey_UpdatesItAndTheMaster()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "First edit" });
        var masterBetween = await Graph.Me.Events[master.Id].GetAsync();

        var again = await Graph.Me.Events[exception!.Id].PatchAsync(new Event { Subject = "Second edit" }, c => c.Headers.Add("If-Match", $"W/\"{exception.ChangeKey}\""));

        Assert.Equal(EventType.Exception, again!.Type);
        Assert.Equal("Second edit", again.Subject);
        Assert.NotEqual(exception.ChangeKey, again.ChangeKey);
        Assert.NotEqual(masterBetween!.ChangeKey, (await Graph.Me.Events[master.Id].GetAsync())!.ChangeKey);
    }

    [Fact]
    public async Task DeleteOccurrence_FirstAndLast_AbsentFromInstancesAndGetAnswers404()
    {
        var master = await CreateWeeklyAsync();
        var first = await Graph.Me.Events[OccurrenceId(master, 0)].GetAsync();

        await Graph.Me.Events[first!.Id].DeleteAsync(c => c.Headers.Add("If-Match", $"W/\"{first.ChangeKey}\""));
        await Graph.Me.Events[OccurrenceId(master, 4)].DeleteAsync();

        Assert.Equal(WeeklyStarts[1..4], IdSuffixes(await InstancesAsync(master.Id!)));
        foreach (var gone in new[] { OccurrenceId(master, 0), OccurrenceId(master, 4) })
        {
            var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[gone].GetAsync());
            Assert.Equal(404, error.ResponseStatusCode);
            Assert.Equal("ErrorItemNotFound", error.Error!.Code);
        }

        var masterAfter = await Graph.Me.Events[master.Id].GetAsync();
        Assert.NotEqual(master.ChangeKey, masterAfter!.ChangeKey);
        Assert.Equal(master.Start!.DateTime, masterAfter.Start!.DateTime);
        var again = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[OccurrenceId(master, 0)].DeleteAsync());
        Assert.Equal(404, again.ResponseStatusCode);
    }

    [Fact]
    public async Task DeleteException_TakesItOutOfTheSeries()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 2)].PatchAsync(new Event { Subject = "Special" });

        await Graph.Me.Events[exception!.Id].DeleteAsync(c => c.Headers.Add("If-Match", $"W/\"{exception.ChangeKey}\""));

        Assert.Equal([WeeklyStarts[0], WeeklyStarts[1], WeeklyStarts[3], WeeklyStarts[4]], IdSuffixes(await InstancesAsync(master.Id!)));
        Assert.Null(Emulator.GetEvent(Mailbox, exception.Id!));
    }

    [Fact]
    public async Task PatchMaster_StartTime_WipesExceptionsAndRestoresDeletedOccurrences()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        await Graph.Me.Events[OccurrenceId(master, 3)].DeleteAsync();

        var moved = await Graph.Me.Events[master.Id].PatchAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = "2024-05-06T10:00:00", TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = "2024-05-06T10:30:00", TimeZone = Berlin },
        });

        var instances = await InstancesAsync(master.Id!);
        Assert.Equal(["20240506T080000Z", "20240513T080000Z", "20240520T080000Z", "20240527T080000Z", "20240603T080000Z"], IdSuffixes(instances));
        Assert.All(instances, i => Assert.Equal(EventType.Occurrence, i.Type));
        Assert.All(instances, i => Assert.Equal("Weekly sync", i.Subject));
        Assert.Equal(EventType.SeriesMaster, moved!.Type);
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[exception!.Id].GetAsync());
        Assert.Equal(404, error.ResponseStatusCode);
    }

    [Fact]
    public async Task PatchMaster_Pattern_WipesExceptionsAndRestoresDeletedOccurrences()
    {
        var master = await CreateWeeklyAsync();
        await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        await Graph.Me.Events[OccurrenceId(master, 2)].DeleteAsync();
        var recurrence = new PatternedRecurrence
        {
            Pattern = new RecurrencePattern { Type = RecurrencePatternType.Weekly, Interval = 1, DaysOfWeek = [DayOfWeekObject.Monday, DayOfWeekObject.Tuesday] },
            Range = Range(RecurrenceRangeType.Numbered, count: 5),
        };

        await Graph.Me.Events[master.Id].PatchAsync(new Event { Recurrence = recurrence });

        var instances = await InstancesAsync(master.Id!);
        Assert.Equal(["20240506T070000Z", "20240507T070000Z", "20240513T070000Z", "20240514T070000Z", "20240520T070000Z"], IdSuffixes(instances));
        Assert.All(instances, i => Assert.Equal(EventType.Occurrence, i.Type));
    }

    [Fact]
    public async Task PatchMaster_Subject_ChangesOccurrencesButKeepsExceptionsAndDeletions()
    {
        var master = await CreateWeeklyAsync();
        await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        await Graph.Me.Events[OccurrenceId(master, 3)].DeleteAsync();

        var sameRecurrence = new PatternedRecurrence { Pattern = WeeklyPattern(), Range = Range(RecurrenceRangeType.Numbered, count: 5) };

        await Graph.Me.Events[master.Id].PatchAsync(new Event { Subject = "Renamed sync", Recurrence = sameRecurrence });

        var instances = await InstancesAsync(master.Id!);
        Assert.Equal([WeeklyStarts[0], WeeklyStarts[1], WeeklyStarts[2], WeeklyStarts[4]], IdSuffixes(instances));
        Assert.Equal(["Renamed sync", "Special", "Renamed sync", "Renamed sync"], instances.Select(i => i.Subject!).ToArray());
        Assert.Equal(EventType.Exception, instances[1].Type);
    }

    [Fact]
    public async Task PatchMaster_ShortenedRange_RemovesExceptionsBeyondTheNewEnd()
    {
        var master = await CreateWeeklyAsync();
        await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Kept" });
        await Graph.Me.Events[OccurrenceId(master, 3)].PatchAsync(new Event { Subject = "Beyond" });
        var recurrence = new PatternedRecurrence { Pattern = WeeklyPattern(), Range = Range(RecurrenceRangeType.EndDate, endDate: "2024-05-20") };

        var shortened = await Graph.Me.Events[master.Id].PatchAsync(new Event { Recurrence = recurrence });

        Assert.Equal(new Date(2024, 5, 20), shortened!.Recurrence!.Range!.EndDate);
        Assert.Equal(0, shortened.Recurrence.Range.NumberOfOccurrences);
        var instances = await InstancesAsync(master.Id!);
        Assert.Equal(WeeklyStarts[..3], IdSuffixes(instances));
        Assert.Equal("Kept", instances[1].Subject);
        Assert.Equal(EventType.Exception, instances[1].Type);
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[OccurrenceId(master, 3)].GetAsync());
        Assert.Equal(404, error.ResponseStatusCode);
    }

    [Fact]
    public async Task PatchMaster_RecurrenceNull_BecomesSingleEventWithoutExceptions()
    {
        var master = await CreateWeeklyAsync();
        await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        using var content = new StringContent("""{"recurrence":null}""", Encoding.UTF8, "application/json");

        using var response = await RawClient().PatchAsync($"me/events/{master.Id}", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var single = await Graph.Me.Events[master.Id].GetAsync();
        Assert.Equal(EventType.SingleInstance, single!.Type);
        Assert.Null(single.Recurrence);
        Assert.Equal("2024-05-06T07:00:00.0000000", single.Start!.DateTime);
        Assert.Null(Emulator.GetEvent(Mailbox, OccurrenceId(master, 1)));
    }

    [Fact]
    public async Task PatchSingle_WithRecurrence_BecomesSeriesMaster()
    {
        var single = await Graph.Me.Events.PostAsync(new Event
        {
            Subject = "Becomes weekly",
            Start = new DateTimeTimeZone { DateTime = "2024-05-06T09:00:00", TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = "2024-05-06T09:30:00", TimeZone = Berlin },
        });

        var master = await Graph.Me.Events[single!.Id].PatchAsync(new Event
        {
            Recurrence = new PatternedRecurrence { Pattern = WeeklyPattern(), Range = Range(RecurrenceRangeType.Numbered, count: 2) },
        });

        Assert.Equal(EventType.SeriesMaster, master!.Type);
        Assert.Equal(single.Id, master.Id);
        Assert.Equal(2, (await InstancesAsync(single.Id!)).Count);
    }

    [Fact]
    public async Task DeleteMaster_RemovesTheWholeSeriesWithItsExceptions()
    {
        var master = await CreateWeeklyAsync();
        var exception = await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });

        await Graph.Me.Events[master.Id].DeleteAsync();

        Assert.Empty(Emulator.GetEvents(Mailbox));
        Assert.Null(Emulator.GetEvent(Mailbox, exception!.Id!));
        Assert.Null(Emulator.GetEvent(Mailbox, OccurrenceId(master, 2)));
        var view = await Graph.Me.CalendarView.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-07-01T00:00:00Z";
        });
        Assert.Empty(view!.Value!);
    }

    [Fact]
    public async Task ListEvents_WithSeries_ListsSinglesAndMastersOnly()
    {
        var master = await CreateWeeklyAsync();
        await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        var single = await Graph.Me.Events.PostAsync(NewEvent("Single", new DateTime(2024, 5, 7, 9, 0, 0)));

        var events = await Graph.Me.Events.GetAsync();
        var calendarEvents = await Graph.Me.Calendar.Events.GetAsync();

        Assert.Equal(new[] { master.Id, single!.Id }, events!.Value!.Select(e => e.Id).ToArray());
        Assert.Equal(new[] { master.Id, single.Id }, calendarEvents!.Value!.Select(e => e.Id).ToArray());
        Assert.Equal(2, Emulator.GetEvents(Mailbox).Count);
    }

    [Fact]
    public async Task CalendarView_WithSeries_ListsSinglesOccurrencesAndExceptionsButNoMaster()
    {
        var master = await CreateWeeklyAsync();
        await Graph.Me.Events[OccurrenceId(master, 1)].PatchAsync(new Event { Subject = "Special" });
        await Graph.Me.Events[OccurrenceId(master, 2)].DeleteAsync();
        var single = await Graph.Me.Events.PostAsync(NewEvent("Single", new DateTime(2024, 5, 7, 9, 0, 0)));

        var view = await Graph.Me.CalendarView.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-06-01T00:00:00Z";
        });

        Assert.DoesNotContain(view!.Value!, e => e.Type == EventType.SeriesMaster || e.Id == master.Id);
        Assert.Equal(
            new[] { OccurrenceId(master, 0), single!.Id, OccurrenceId(master, 1), OccurrenceId(master, 3) },
            view.Value!.Select(e => e.Id).ToArray());
        Assert.Equal(
            new EventType?[] { EventType.Occurrence, EventType.SingleInstance, EventType.Exception, EventType.Occurrence },
            view.Value!.Select(e => e.Type).ToArray());
    }

    [Theory]
    [InlineData("""{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"noEnd"}}""", "ErrorInvalidRequest", "startDate")]
    [InlineData("""{"pattern":{"type":"weekly","interval":1},"range":{"type":"noEnd","startDate":"2024-05-06"}}""", "ErrorPropertyValidationFailure", "daysOfWeek")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"endDate","startDate":"2024-05-06"}}""", "ErrorPropertyValidationFailure", "endDate")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"numbered","startDate":"2024-05-06"}}""", "ErrorPropertyValidationFailure", "numberOfOccurrences")]
    [InlineData("""{"pattern":{"type":"daily","interval":0},"range":{"type":"noEnd","startDate":"2024-05-06"}}""", "ErrorPropertyValidationFailure", "interval")]
    [InlineData("""{"pattern":{"type":"hourly","interval":1},"range":{"type":"noEnd","startDate":"2024-05-06"}}""", "ErrorInvalidRequest", "hourly")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"sometimes","startDate":"2024-05-06"}}""", "ErrorInvalidRequest", "sometimes")]
    [InlineData("""{"pattern":{"type":"absoluteMonthly","interval":1},"range":{"type":"noEnd","startDate":"2024-05-06"}}""", "ErrorPropertyValidationFailure", "dayOfMonth")]
    [InlineData("""{"pattern":{"type":"absoluteYearly","interval":1,"dayOfMonth":6},"range":{"type":"noEnd","startDate":"2024-05-06"}}""", "ErrorPropertyValidationFailure", "month")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"endDate","startDate":"2024-05-06","endDate":"2024-05-01"}}""", "ErrorPropertyValidationFailure", "before")]
    [InlineData("""{"pattern":{"type":"daily","interval":1}}""", "ErrorInvalidRequest", "range")]
    [InlineData("""{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2024-05-06","recurrenceTimeZone":"Mars/Olympus"}}""", "TimeZoneNotSupportedException", "Mars/Olympus")]
    public async Task PostEvent_InvalidRecurrence_Answers400WithReason(string recurrence, string code, string messagePart)
    {
        var body = $$$"""{"subject":"Bad","start":{"dateTime":"2024-05-06T09:00:00","timeZone":"{{{Berlin}}}"},"end":{"dateTime":"2024-05-06T09:30:00","timeZone":"{{{Berlin}}}"},"recurrence":{{{recurrence}}}}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await RawClient().PostAsync("me/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Contains(messagePart, error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Emulator.GetEvents(Mailbox));
    }

    [Fact]
    public async Task PostEvent_SeriesWithAttendees_SendsOneInvitationPerAttendee()
    {
        var request = Weekly("Team meeting", "2024-05-06T09:00:00", Range(RecurrenceRangeType.NoEnd));
        request.Attendees = [Attendee("bob@example.com"), Attendee("carol@example.com")];

        var master = await Graph.Me.Events.PostAsync(request);

        Assert.Equal(["bob@example.com", "carol@example.com"], Emulator.Outbox.Select(m => m.Recipient).ToArray());
        Assert.All(Emulator.Outbox, m => Assert.Equal(OutboxMessageKind.Invitation, m.Kind));
        Assert.All(Emulator.Outbox, m => Assert.Equal(master!.Id, m.EventId));
    }

    [Fact]
    public async Task PatchAndDeleteOccurrence_OfOwnMeeting_SendUpdateAndCancellationForThatOccurrence()
    {
        var request = Weekly("Team meeting", "2024-05-06T09:00:00", Range(RecurrenceRangeType.Numbered, count: 5));
        request.Attendees = [Attendee("bob@example.com")];
        var master = await Graph.Me.Events.PostAsync(request);
        Emulator.ClearOutbox();

        await Graph.Me.Events[OccurrenceId(master!, 1)].PatchAsync(new Event
        {
            Start = new DateTimeTimeZone { DateTime = "2024-05-14T09:00:00", TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = "2024-05-14T09:30:00", TimeZone = Berlin },
        });
        await Graph.Me.Events[OccurrenceId(master!, 2)].DeleteAsync();

        Assert.Collection(
            Emulator.Outbox,
            m => Assert.Equal((OutboxMessageKind.Update, OccurrenceId(master!, 1), "bob@example.com"), (m.Kind, m.EventId, m.Recipient)),
            m => Assert.Equal((OutboxMessageKind.Cancellation, OccurrenceId(master!, 2), "bob@example.com"), (m.Kind, m.EventId, m.Recipient)));
    }

    [Fact]
    public async Task CancelOccurrence_AsOrganizer_TakesItOutAndSendsCancellation()
    {
        var request = Weekly("Team meeting", "2024-05-06T09:00:00", Range(RecurrenceRangeType.Numbered, count: 5));
        request.Attendees = [Attendee("bob@example.com")];
        var master = await Graph.Me.Events.PostAsync(request);
        Emulator.ClearOutbox();

        await Graph.Me.Events[OccurrenceId(master!, 1)].Cancel.PostAsync(new Microsoft.Graph.Me.Events.Item.Cancel.CancelPostRequestBody { Comment = "Holiday" });

        Assert.Equal(4, (await InstancesAsync(master!.Id!)).Count);
        var message = Assert.Single(Emulator.Outbox);
        Assert.Equal((OutboxMessageKind.Cancellation, OccurrenceId(master, 1)), (message.Kind, message.EventId));
    }

    [Fact]
    public void SeedingApi_SeriesEditedAsTheUser_ActsOnOccurrencesWithoutOutbox()
    {
        var master = Emulator.AddEvent(Mailbox, """
            {"subject":"Seeded weekly","attendees":[{"emailAddress":{"address":"bob@example.com"}}],
             "start":{"dateTime":"2024-05-06T09:00:00","timeZone":"W. Europe Standard Time"},"end":{"dateTime":"2024-05-06T09:30:00","timeZone":"W. Europe Standard Time"},
             "recurrence":{"pattern":{"type":"weekly","interval":1,"daysOfWeek":["monday"]},"range":{"type":"numbered","startDate":"2024-05-06","numberOfOccurrences":5}}}
            """);
        var masterId = master["id"]!.GetValue<string>();

        var exception = Emulator.UpdateEvent(Mailbox, $"{masterId}_{WeeklyStarts[1]}", """{"subject":"Seeded exception"}""");
        var deleted = Emulator.DeleteEvent(Mailbox, $"{masterId}_{WeeklyStarts[2]}");
        var deletedAgain = Emulator.DeleteEvent(Mailbox, $"{masterId}_{WeeklyStarts[2]}");
        var instances = Emulator.GetInstances(Mailbox, masterId, new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal("seriesMaster", master["type"]!.GetValue<string>());
        Assert.Equal("W. Europe Standard Time", master["recurrence"]!["range"]!["recurrenceTimeZone"]!.GetValue<string>());
        Assert.Equal("exception", exception["type"]!.GetValue<string>());
        Assert.Equal(masterId, exception["seriesMasterId"]!.GetValue<string>());
        Assert.Equal("2024-05-13T07:00:00Z", exception["originalStart"]!.GetValue<string>());
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Equal(
            [$"{masterId}_{WeeklyStarts[0]}", $"{masterId}_{WeeklyStarts[1]}", $"{masterId}_{WeeklyStarts[3]}"],
            instances.Select(i => i["id"]!.GetValue<string>()).ToArray());
        Assert.Equal(["occurrence", "exception", "occurrence"], instances.Select(i => i["type"]!.GetValue<string>()).ToArray());
        Assert.Equal("2024-05-06T07:00:00.0000000", instances[0]["start"]!["dateTime"]!.GetValue<string>());
        Assert.Equal("UTC", instances[0]["start"]!["timeZone"]!.GetValue<string>());
        Assert.Null(Emulator.GetEvent(Mailbox, $"{masterId}_{WeeklyStarts[2]}"));
        Assert.Equal("occurrence", Emulator.GetEvent(Mailbox, $"{masterId}_{WeeklyStarts[3]}")!["type"]!.GetValue<string>());
        Assert.NotEqual(master["changeKey"]!.GetValue<string>(), Emulator.GetEvent(Mailbox, masterId)!["changeKey"]!.GetValue<string>());
        Assert.Empty(Emulator.Outbox);
        Assert.Throws<ArgumentException>(() => Emulator.GetInstances(Mailbox, "no-such-series", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Throws<ArgumentException>(() => Emulator.UpdateEvent(Mailbox, $"{masterId}_{WeeklyStarts[0]}", """{"recurrence":{"pattern":{"type":"daily","interval":1},"range":{"type":"noEnd","startDate":"2024-05-06"}}}"""));
    }

    private static Event Weekly(string subject, string startLocal, RecurrenceRange range)
    {
        var start = DateTime.Parse(startLocal, System.Globalization.CultureInfo.InvariantCulture);
        return new Event
        {
            Subject = subject,
            Start = new DateTimeTimeZone { DateTime = startLocal, TimeZone = Berlin },
            End = new DateTimeTimeZone { DateTime = start.AddMinutes(30).ToString("yyyy-MM-ddTHH:mm:ss"), TimeZone = Berlin },
            Recurrence = new PatternedRecurrence { Pattern = WeeklyPattern(), Range = range },
        };
    }

    private static RecurrencePattern WeeklyPattern() =>
        new() { Type = RecurrencePatternType.Weekly, Interval = 1, DaysOfWeek = [DayOfWeekObject.Monday] };

    private static RecurrenceRange Range(RecurrenceRangeType type, string startDate = "2024-05-06", int? count = null, string? endDate = null) => new()
    {
        Type = type,
        StartDate = new Date(DateTime.Parse(startDate, System.Globalization.CultureInfo.InvariantCulture)),
        EndDate = endDate is null ? null : new Date(DateTime.Parse(endDate, System.Globalization.CultureInfo.InvariantCulture)),
        NumberOfOccurrences = count,
    };

    private static Attendee Attendee(string address) => new() { EmailAddress = new EmailAddress { Address = address }, Type = AttendeeType.Required };

    /// <summary>The id of the default series' occurrence number <paramref name="index"/> (from 0).</summary>
    private static string OccurrenceId(Event master, int index) => $"{master.Id}_{WeeklyStarts[index]}";

    private static string[] IdSuffixes(IEnumerable<Event> instances) => instances.Select(i => i.Id![(i.Id!.LastIndexOf('_') + 1)..]).ToArray();

    /// <summary>Creates the default series: weekly on Mondays 09:00-09:30 Berlin, five occurrences from 6 May 2024.</summary>
    private async Task<Event> CreateWeeklyAsync() =>
        (await Graph.Me.Events.PostAsync(Weekly("Weekly sync", "2024-05-06T09:00:00", Range(RecurrenceRangeType.Numbered, count: 5))))!;

    private async Task<List<Event>> InstancesAsync(string masterId, string start = "2024-05-01T00:00:00Z", string end = "2024-07-01T00:00:00Z")
    {
        var page = await Graph.Me.Events[masterId].Instances.GetAsync(c =>
        {
            c.QueryParameters.StartDateTime = start;
            c.QueryParameters.EndDateTime = end;
            c.QueryParameters.Top = 100;
        });
        Assert.Null(page!.OdataNextLink);
        return page.Value!;
    }
}
