using System.Net;
using Microsoft.Graph;
using Microsoft.Graph.Me.Events.Item.Accept;
using Microsoft.Graph.Me.Events.Item.Decline;
using Microsoft.Graph.Me.Events.Item.TentativelyAccept;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using OutlookCalendarSync.Testing.Emulator;

namespace OutlookCalendarSync.Emulator.Tests;

/// <summary>Answering invitations: <c>POST events/{id}/accept</c>, <c>tentativelyAccept</c> and <c>decline</c>.</summary>
public sealed class ResponseTests : EmulatorTestBase
{
    private const string Organizer = "bob@example.com";

    [Fact]
    public async Task PostAccept_Invitation_SetsAcceptedNewChangeKeyAndSendsOneResponse()
    {
        var seeded = SeedInvitation();

        await Graph.Me.Events[seeded.Id].Accept.PostAsync(new AcceptPostRequestBody { SendResponse = true });

        var answered = await Graph.Me.Events[seeded.Id].GetAsync();
        Assert.Equal(ResponseType.Accepted, answered!.ResponseStatus!.Response);
        Assert.Equal(Clock.GetCurrentInstant().ToDateTimeOffset(), answered.ResponseStatus.Time);
        Assert.NotEqual(seeded.ChangeKey, answered.ChangeKey);
        var message = Assert.Single(Emulator.Outbox);
        Assert.Equal(OutboxMessageKind.Response, message.Kind);
        Assert.Equal(Organizer, message.Recipient);
        Assert.Equal(Mailbox, message.Mailbox);
        Assert.Equal(1, Emulator.CountRequests("POST /me/events/{id}/accept"));
    }

    [Fact]
    public async Task PostTentativelyAccept_WithoutSendResponse_SetsTentativeAndSendsNothing()
    {
        var seeded = SeedInvitation();

        await Graph.Me.Events[seeded.Id].TentativelyAccept.PostAsync(new TentativelyAcceptPostRequestBody { SendResponse = false });

        var answered = await Graph.Me.Events[seeded.Id].GetAsync();
        Assert.Equal(ResponseType.TentativelyAccepted, answered!.ResponseStatus!.Response);
        Assert.Empty(Emulator.Outbox);
    }

    [Fact]
    public async Task PostDecline_Invitation_KeepsTheEventDeclinedAndDeltaReportsIt()
    {
        var seeded = SeedInvitation();
        var first = await Graph.Me.CalendarView.Delta.GetAsDeltaGetResponseAsync(c =>
        {
            c.QueryParameters.StartDateTime = "2024-05-01T00:00:00Z";
            c.QueryParameters.EndDateTime = "2024-06-01T00:00:00Z";
        });

        await Graph.Me.Events[seeded.Id].Decline.PostAsync(new DeclinePostRequestBody { SendResponse = true });

        var changes = await Graph.Me.CalendarView.Delta.WithUrl(first!.OdataDeltaLink!).GetAsDeltaGetResponseAsync();
        var changed = Assert.Single(changes!.Value!);
        Assert.Equal(seeded.Id, changed.Id);
        Assert.Equal(ResponseType.Declined, changed.ResponseStatus!.Response);
        Assert.NotNull(Emulator.GetEvent(Mailbox, seeded.Id!));
        Assert.Equal(OutboxMessageKind.Response, Assert.Single(Emulator.Outbox).Kind);
    }

    [Fact]
    public async Task PostAccept_MeetingTheMailboxOrganizes_Is400AndChangesNothing()
    {
        var own = await Graph.Me.Events.PostAsync(NewEvent("Own", new DateTime(2024, 5, 2, 9, 0, 0)));

        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events[own!.Id].Accept.PostAsync(new AcceptPostRequestBody { SendResponse = true }));

        Assert.Equal((int)HttpStatusCode.BadRequest, error.ResponseStatusCode);
        Assert.Equal("ErrorInvalidRequest", error.Error!.Code);
        Assert.Equal("Your request can't be completed. You can't respond to a meeting you organized.", error.Error.Message);
        var after = await Graph.Me.Events[own!.Id].GetAsync();
        Assert.Equal(own.ChangeKey, after!.ChangeKey);
        Assert.Equal(ResponseType.Organizer, after.ResponseStatus!.Response);
        Assert.Empty(Emulator.Outbox);
    }

    [Fact]
    public async Task Batch_DeclineAndAcceptOfOwnMeeting_AnswersPerItem()
    {
        var seeded = SeedInvitation();
        var own = await Graph.Me.Events.PostAsync(NewEvent("Own", new DateTime(2024, 5, 2, 9, 0, 0)));
        var batch = new BatchRequestContentCollection(Graph);
        string decline = await batch.AddBatchRequestStepAsync(Graph.Me.Events[seeded.Id].Decline.ToPostRequestInformation(new DeclinePostRequestBody { SendResponse = true }));
        string accept = await batch.AddBatchRequestStepAsync(Graph.Me.Events[own!.Id].Accept.ToPostRequestInformation(new AcceptPostRequestBody { SendResponse = true }));

        var response = await Graph.Batch.PostAsync(batch);
        var statuses = await response.GetResponsesStatusCodesAsync();

        Assert.Equal(HttpStatusCode.Accepted, statuses[decline]);
        Assert.Equal(HttpStatusCode.BadRequest, statuses[accept]);
        Assert.Equal("declined", Emulator.GetEvent(Mailbox, seeded.Id!)!["responseStatus"]!["response"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostAccept_UnknownEvent_Is404()
    {
        var error = await Assert.ThrowsAsync<ODataError>(() => Graph.Me.Events["AAMkmissing"].Accept.PostAsync(new AcceptPostRequestBody { SendResponse = true }));

        Assert.Equal((int)HttpStatusCode.NotFound, error.ResponseStatusCode);
    }

    private Event SeedInvitation()
    {
        var json = Emulator.AddEvent(Mailbox, """
            {"subject":"Budget review",
             "start":{"dateTime":"2024-05-03T09:00:00","timeZone":"UTC"},
             "end":{"dateTime":"2024-05-03T10:00:00","timeZone":"UTC"},
             "isOrganizer":false,
             "organizer":{"emailAddress":{"address":"bob@example.com","name":"Bob"}},
             "responseStatus":{"response":"none","time":"0001-01-01T00:00:00Z"}}
            """);
        return new Event { Id = json["id"]!.GetValue<string>(), ChangeKey = json["changeKey"]!.GetValue<string>() };
    }
}
