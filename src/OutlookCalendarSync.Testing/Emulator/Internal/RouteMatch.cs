namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>
/// The route a request matched: the template it is logged under, the path that faults are matched against
/// (<c>/users/{id}/</c> written as <c>/me/</c>), the mailbox named in the path, if any, and the event id.
/// </summary>
internal sealed record RouteMatch(RouteKind Kind, string Template, string NormalizedPath, string? PathMailbox, string? EventId, string LinkPrefix)
{
    public static RouteMatch Match(string method, string path)
    {
        var relative = path.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase) ? path[6..] : null;
        if (relative is null)
        {
            return Unknown(method, path, "me");
        }

        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 1 && segments[0] == "$batch")
        {
            return new RouteMatch(method == "POST" ? RouteKind.Batch : RouteKind.Unknown, $"{method} /$batch", "/$batch", null, null, string.Empty);
        }

        if (segments.Length is 1 or 2 && segments[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            return segments.Length == 1
                ? new RouteMatch(method is "GET" or "POST" ? RouteKind.Subscriptions : RouteKind.Unknown, $"{method} /subscriptions", "/subscriptions", null, null, string.Empty)
                : new RouteMatch(method is "GET" or "PATCH" or "DELETE" ? RouteKind.Subscription : RouteKind.Unknown, $"{method} /subscriptions/{{id}}", "/subscriptions/" + segments[1], null, segments[1], string.Empty);
        }

        string? pathMailbox;
        string linkPrefix;
        string[] rest;
        if (segments.Length >= 1 && segments[0].Equals("me", StringComparison.OrdinalIgnoreCase))
        {
            pathMailbox = null;
            linkPrefix = "me";
            rest = segments[1..];
        }
        else if (segments.Length >= 2 && segments[0].Equals("users", StringComparison.OrdinalIgnoreCase))
        {
            pathMailbox = segments[1];
            linkPrefix = "users/" + Uri.EscapeDataString(segments[1]);
            rest = segments[2..];
        }
        else
        {
            return Unknown(method, path, "me");
        }

        var normalized = "/me/" + string.Join('/', rest);
        if (rest.Length == 1 && rest[0].Equals("calendar", StringComparison.OrdinalIgnoreCase))
        {
            return new RouteMatch(method == "GET" ? RouteKind.GetDefaultCalendar : RouteKind.Unknown, $"{method} /me/calendar", normalized, pathMailbox, null, linkPrefix);
        }

        if (rest.Length >= 1 && rest[0].Equals("calendar", StringComparison.OrdinalIgnoreCase))
        {
            // Graph documents GET /me/calendar/events/{id} but not whether it answers for an event of another calendar of the
            // mailbox; the emulator answers it as /me/events/{id} does, the less helpful reading for a client.
            rest = rest[1..];
        }

        var (kind, template, id) = Classify(method, rest);
        return new RouteMatch(kind, $"{method} {template ?? "(unknown)"}", normalized, pathMailbox, id, linkPrefix);
    }

    private static RouteMatch Unknown(string method, string path, string linkPrefix) =>
        new(RouteKind.Unknown, $"{method} (unknown)", path, null, null, linkPrefix);

    private static (RouteKind Kind, string? Template, string? Id) Classify(string method, string[] rest)
    {
        static bool Is(string segment, string name) => segment.Equals(name, StringComparison.OrdinalIgnoreCase);

        switch (rest.Length)
        {
            case 1 when Is(rest[0], "events"):
                return method switch
                {
                    "GET" => (RouteKind.ListEvents, "/me/events", null),
                    "POST" => (RouteKind.CreateEvent, "/me/events", null),
                    _ => (RouteKind.Unknown, "/me/events", null),
                };
            case 1 when Is(rest[0], "mailboxSettings"):
                return (method == "GET" ? RouteKind.MailboxSettings : RouteKind.Unknown, "/me/mailboxSettings", null);
            case 1 when Is(rest[0], "calendarView"):
                return (method == "GET" ? RouteKind.CalendarView : RouteKind.Unknown, "/me/calendarView", null);
            case 2 when Is(rest[0], "calendarView") && (Is(rest[1], "delta") || Is(rest[1], "delta()")):
                return (method == "GET" ? RouteKind.Delta : RouteKind.Unknown, "/me/calendarView/delta", null);
            case 2 when Is(rest[0], "events"):
                return method switch
                {
                    "GET" => (RouteKind.GetEvent, "/me/events/{id}", rest[1]),
                    "PATCH" => (RouteKind.UpdateEvent, "/me/events/{id}", rest[1]),
                    "DELETE" => (RouteKind.DeleteEvent, "/me/events/{id}", rest[1]),
                    _ => (RouteKind.Unknown, "/me/events/{id}", rest[1]),
                };
            case 3 when Is(rest[0], "events") && Is(rest[2], "instances"):
                return (method == "GET" ? RouteKind.Instances : RouteKind.Unknown, "/me/events/{id}/instances", rest[1]);
            case 3 when Is(rest[0], "events") && Is(rest[2], "calendar"):
                return (method == "GET" ? RouteKind.GetEventCalendar : RouteKind.Unknown, "/me/events/{id}/calendar", rest[1]);
            case 3 when Is(rest[0], "events") && Is(rest[2], "cancel"):
                return (method == "POST" ? RouteKind.CancelEvent : RouteKind.Unknown, "/me/events/{id}/cancel", rest[1]);
            case 3 when Is(rest[0], "events") && Is(rest[2], "accept"):
                return (method == "POST" ? RouteKind.AcceptEvent : RouteKind.Unknown, "/me/events/{id}/accept", rest[1]);
            case 3 when Is(rest[0], "events") && Is(rest[2], "tentativelyAccept"):
                return (method == "POST" ? RouteKind.TentativelyAcceptEvent : RouteKind.Unknown, "/me/events/{id}/tentativelyAccept", rest[1]);
            case 3 when Is(rest[0], "events") && Is(rest[2], "decline"):
                return (method == "POST" ? RouteKind.DeclineEvent : RouteKind.Unknown, "/me/events/{id}/decline", rest[1]);
            default:
                return (RouteKind.Unknown, null, null);
        }
    }
}
