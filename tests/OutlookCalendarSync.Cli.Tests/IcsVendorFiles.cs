namespace OutlookCalendarSync.Cli.Tests;

/// <summary>iCalendar files shaped as Google Calendar, Outlook and Apple Calendar export them (trimmed to what the tests read).</summary>
internal static class IcsVendorFiles
{
    /// <summary>
    /// Google Calendar's export: X-WR-TIMEZONE, a VTIMEZONE per zone with rules from 1970, a weekly series with an EXDATE and a moved
    /// occurrence, an all-day event, a single event in UTC, descriptions with escaped line breaks.
    /// </summary>
    public const string Google = """
        BEGIN:VCALENDAR
        PRODID:-//Google Inc//Google Calendar 70.9054//EN
        VERSION:2.0
        CALSCALE:GREGORIAN
        METHOD:PUBLISH
        X-WR-CALNAME:Team
        X-WR-TIMEZONE:Europe/Berlin
        BEGIN:VTIMEZONE
        TZID:Europe/Berlin
        X-LIC-LOCATION:Europe/Berlin
        BEGIN:DAYLIGHT
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        TZNAME:CEST
        DTSTART:19700329T020000
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        TZNAME:CET
        DTSTART:19701025T030000
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
        END:STANDARD
        END:VTIMEZONE
        BEGIN:VEVENT
        DTSTART;TZID=Europe/Berlin:20260302T100000
        DTEND;TZID=Europe/Berlin:20260302T103000
        RRULE:FREQ=WEEKLY;WKST=MO;UNTIL=20260430T215959Z;BYDAY=MO,WE,FR
        EXDATE;TZID=Europe/Berlin:20260304T100000
        DTSTAMP:20260301T120000Z
        ORGANIZER;CN=Ada Lovelace:mailto:ada@example.com
        UID:5n2c8h1m0q3c1r7v6g1a0b2c3d@google.com
        ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ada Lov
         elace;X-NUM-GUESTS=0:mailto:ada@example.com
        ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;CN=gr
         ace@example.com;X-NUM-GUESTS=0:mailto:grace@example.com
        CREATED:20260225T090000Z
        DESCRIPTION:Daily sync.\nJoin with Google Meet: https://meet.google.com/abc
         -defg-hij
        LAST-MODIFIED:20260301T115959Z
        LOCATION:
        SEQUENCE:0
        STATUS:CONFIRMED
        SUMMARY:Team sync
        TRANSP:OPAQUE
        BEGIN:VALARM
        ACTION:DISPLAY
        DESCRIPTION:This is an event reminder
        TRIGGER:-P0DT0H10M0S
        END:VALARM
        END:VEVENT
        BEGIN:VEVENT
        DTSTART;TZID=Europe/Berlin:20260306T140000
        DTEND;TZID=Europe/Berlin:20260306T143000
        DTSTAMP:20260301T120000Z
        ORGANIZER;CN=Ada Lovelace:mailto:ada@example.com
        UID:5n2c8h1m0q3c1r7v6g1a0b2c3d@google.com
        RECURRENCE-ID;TZID=Europe/Berlin:20260306T100000
        CREATED:20260225T090000Z
        DESCRIPTION:Moved: offsite in the morning.
        LAST-MODIFIED:20260301T115959Z
        LOCATION:Room 5
        SEQUENCE:1
        STATUS:CONFIRMED
        SUMMARY:Team sync (afternoon)
        TRANSP:OPAQUE
        END:VEVENT
        BEGIN:VEVENT
        DTSTART;VALUE=DATE:20260406
        DTEND;VALUE=DATE:20260407
        DTSTAMP:20260301T120000Z
        UID:20260406_easter_monday@google.com
        CLASS:PUBLIC
        CREATED:20260101T000000Z
        DESCRIPTION:Public holiday
        LAST-MODIFIED:20260101T000000Z
        SEQUENCE:0
        STATUS:CONFIRMED
        SUMMARY:Easter Monday
        TRANSP:TRANSPARENT
        END:VEVENT
        BEGIN:VEVENT
        DTSTART:20260310T080000Z
        DTEND:20260310T090000Z
        DTSTAMP:20260301T120000Z
        UID:0b1c2d3e4f5g6h7i8j9k@google.com
        CREATED:20260228T170000Z
        LAST-MODIFIED:20260228T170000Z
        LOCATION:https://meet.google.com/xyz-abcd-efg
        SEQUENCE:0
        STATUS:CONFIRMED
        SUMMARY:Call with Tokyo
        TRANSP:OPAQUE
        END:VEVENT
        END:VCALENDAR

        """;

    /// <summary>
    /// Outlook's export: VTIMEZONEs named by display name and "Customized Time Zone" with rules from 1601, quoted TZIDs, HTML in
    /// X-ALT-DESC, Outlook's busy status, a weekly series across the March change, a private event.
    /// </summary>
    public const string Outlook = """
        BEGIN:VCALENDAR
        PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
        VERSION:2.0
        METHOD:PUBLISH
        X-CALSTART:20260302T090000Z
        X-CALEND:20260331T170000Z
        X-WR-CALNAME:Calendar
        X-PRIMARY-CALENDAR:TRUE
        X-OWNER;CN="Ada Lovelace":mailto:ada@contoso.example
        X-MS-OLK-WKHRSTART;TZID="W. Europe Standard Time":080000
        X-MS-OLK-WKHREND;TZID="W. Europe Standard Time":170000
        X-MS-OLK-WKHRDAYS:MO,TU,WE,TH,FR
        BEGIN:VTIMEZONE
        TZID:(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna
        BEGIN:STANDARD
        DTSTART:16011028T030000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
        TZOFFSETFROM:+0200
        TZOFFSETTO:+0100
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:16010325T020000
        RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
        TZOFFSETFROM:+0100
        TZOFFSETTO:+0200
        END:DAYLIGHT
        END:VTIMEZONE
        BEGIN:VTIMEZONE
        TZID:Customized Time Zone
        BEGIN:STANDARD
        DTSTART:16011104T020000
        RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11
        TZOFFSETFROM:-0400
        TZOFFSETTO:-0500
        END:STANDARD
        BEGIN:DAYLIGHT
        DTSTART:16010311T020000
        RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3
        TZOFFSETFROM:-0500
        TZOFFSETTO:-0400
        END:DAYLIGHT
        END:VTIMEZONE
        BEGIN:VEVENT
        CLASS:PUBLIC
        CREATED:20260220T101500Z
        DESCRIPTION:Quarterly numbers and the plan for Q2.\n
        DTEND;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna":2
         0260302T110000
        DTSTAMP:20260301T090000Z
        DTSTART;TZID="(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"
         :20260302T100000
        LAST-MODIFIED:20260220T101500Z
        LOCATION:Room 2.14
        ORGANIZER;CN="Ada Lovelace":mailto:ada@contoso.example
        ATTENDEE;CN="Grace Hopper";RSVP=TRUE:mailto:grace@contoso.example
        ATTENDEE;CN="Alan Turing";ROLE=OPT-PARTICIPANT;RSVP=TRUE:mailto:alan@contoso
         .example
        PRIORITY:5
        RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=MO
        SEQUENCE:0
        SUMMARY;LANGUAGE=en-gb:Weekly review
        TRANSP:OPAQUE
        UID:040000008200E00074C5B7101A82E00800000000D0E1F2A3B4C5D6010000000000000000
         10000000A1B2C3D4E5F60718293A4B5C6D7E8F90
        X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Quarterly numbers and the plan 
         for <b>Q2</b>.</p></body></html>
        X-MICROSOFT-CDO-BUSYSTATUS:BUSY
        X-MICROSOFT-CDO-IMPORTANCE:1
        X-MICROSOFT-DISALLOW-COUNTER:FALSE
        X-MS-OLK-AUTOFILLLOCATION:FALSE
        X-MS-OLK-CONFTYPE:0
        BEGIN:VALARM
        TRIGGER:-PT15M
        ACTION:DISPLAY
        DESCRIPTION:Reminder
        END:VALARM
        END:VEVENT
        BEGIN:VEVENT
        CLASS:PRIVATE
        CREATED:20260221T080000Z
        DTEND;TZID="Customized Time Zone":20260310T100000
        DTSTAMP:20260301T090000Z
        DTSTART;TZID="Customized Time Zone":20260310T093000
        LAST-MODIFIED:20260221T080000Z
        LOCATION:Microsoft Teams Meeting
        PRIORITY:5
        SEQUENCE:0
        SUMMARY;LANGUAGE=en-gb:Call with the New York office
        TRANSP:OPAQUE
        UID:040000008200E00074C5B7101A82E00800000000F1E2D3C4B5A6D6010000000000000000
         10000000B1C2D3E4F5A60718293A4B5C6D7E8F91
        X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE
        X-MICROSOFT-CDO-IMPORTANCE:1
        END:VEVENT
        BEGIN:VEVENT
        CLASS:PUBLIC
        CREATED:20260221T080000Z
        DTEND;VALUE=DATE:20260326
        DTSTAMP:20260301T090000Z
        DTSTART;VALUE=DATE:20260324
        LAST-MODIFIED:20260221T080000Z
        PRIORITY:5
        SEQUENCE:0
        SUMMARY;LANGUAGE=en-gb:Conference
        TRANSP:TRANSPARENT
        UID:040000008200E00074C5B7101A82E00800000000A9B8C7D6E5F4D6010000000000000000
         10000000C1D2E3F4A5B60718293A4B5C6D7E8F92
        X-MICROSOFT-CDO-BUSYSTATUS:OOF
        END:VEVENT
        END:VCALENDAR

        """;

    /// <summary>
    /// Apple Calendar's export: organizer and attendees as <c>urn:uuid:</c> with EMAIL parameters, a VTIMEZONE from 2007, a floating
    /// event, an all-day yearly series, Apple's own properties.
    /// </summary>
    public const string Apple = """
        BEGIN:VCALENDAR
        VERSION:2.0
        PRODID:-//Apple Inc.//macOS 15.3//EN
        CALSCALE:GREGORIAN
        BEGIN:VTIMEZONE
        TZID:America/Los_Angeles
        BEGIN:DAYLIGHT
        TZOFFSETFROM:-0800
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
        DTSTART:20070311T020000
        TZNAME:PDT
        TZOFFSETTO:-0700
        END:DAYLIGHT
        BEGIN:STANDARD
        TZOFFSETFROM:-0700
        RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
        DTSTART:20071104T020000
        TZNAME:PST
        TZOFFSETTO:-0800
        END:STANDARD
        END:VTIMEZONE
        BEGIN:VEVENT
        TRANSP:OPAQUE
        DTEND;TZID=America/Los_Angeles:20260311T110000
        UID:9F1C2B7E-4D3A-4E5B-8C6D-7E8F9A0B1C2D
        DTSTAMP:20260301T180000Z
        LOCATION:Infinite Loop 1
        DESCRIPTION:Bring the prototype.
        SEQUENCE:0
        X-APPLE-TRAVEL-ADVISORY-BEHAVIOR:AUTOMATIC
        SUMMARY:Design review
        LAST-MODIFIED:20260301T175959Z
        CREATED:20260301T175900Z
        DTSTART;TZID=America/Los_Angeles:20260311T100000
        ORGANIZER;CN="Ada Lovelace";EMAIL="ada@icloud.example":urn:uuid:3F2504E0-4F8
         9-11D3-9A0C-0305E82C3301
        ATTENDEE;CN="Ada Lovelace";CUTYPE=INDIVIDUAL;EMAIL="ada@icloud.example";PAR
         TSTAT=ACCEPTED;ROLE=CHAIR:urn:uuid:3F2504E0-4F89-11D3-9A0C-0305E82C3301
        ATTENDEE;CN="Grace Hopper";CUTYPE=INDIVIDUAL;EMAIL="grace@example.com";PART
         STAT=TENTATIVE;ROLE=REQ-PARTICIPANT:urn:uuid:7C9E6679-7425-40DE-944B-E07FC1
         F90AE7
        ATTENDEE;CN="Alan Turing";CUTYPE=INDIVIDUAL;EMAIL="alan@example.com";PARTST
         AT=NEEDS-ACTION;ROLE=OPT-PARTICIPANT;RSVP=TRUE:mailto:alan@example.com
        BEGIN:VALARM
        X-WR-ALARMUID:5E3A1B2C-6D7E-4F80-9A1B-2C3D4E5F6A7B
        UID:5E3A1B2C-6D7E-4F80-9A1B-2C3D4E5F6A7B
        TRIGGER:-PT30M
        ATTACH;VALUE=URI:Chord
        ACTION:AUDIO
        END:VALARM
        END:VEVENT
        BEGIN:VEVENT
        TRANSP:TRANSPARENT
        DTEND;VALUE=DATE:20261211
        UID:B7D3E1F0-2A4C-4E6B-8D0F-1A3C5E7B9D2F
        DTSTAMP:20260301T180000Z
        SEQUENCE:0
        SUMMARY:Ada's birthday
        DTSTART;VALUE=DATE:20261210
        RRULE:FREQ=YEARLY
        END:VEVENT
        BEGIN:VEVENT
        TRANSP:OPAQUE
        DTEND:20260312T083000
        UID:C4E2A0B1-3D5F-4A7C-9E1B-2D4F6A8C0E3B
        DTSTAMP:20260301T180000Z
        SEQUENCE:0
        SUMMARY:Morning run
        DTSTART:20260312T080000
        END:VEVENT
        END:VCALENDAR

        """;
}
