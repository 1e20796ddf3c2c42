using System.Globalization;

namespace OutlookCalendarSync.FarmWorker;

/// <summary>
/// What the worker tells its parent, one line per fact on stdout, written and flushed at once so a line printed before a SIGKILL
/// is never lost in a buffer. Times are UTC ticks of the machine's clock (parent and workers share it).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>READY &lt;worker&gt;</c>: started, syncing.</item>
/// <item><c>LEASE &lt;user&gt; &lt;lease token&gt; &lt;granted at&gt; &lt;expires at&gt;</c>: the state store granted a lease.</item>
/// <item><c>RENEW &lt;user&gt; &lt;lease token&gt; &lt;renewed at&gt; &lt;expires at&gt;</c>: a renewal was accepted.</item>
/// <item><c>RELEASE &lt;user&gt; &lt;lease token&gt; &lt;released at&gt;</c>: the run ended and gave its lease back.</item>
/// <item><c>JOB &lt;job id&gt; &lt;user&gt; &lt;failed runs&gt; &lt;due 1|0&gt; &lt;holds the user's marker 1|0&gt; &lt;started at&gt; &lt;ended at&gt; &lt;outcome&gt;</c>:
/// a user's Hangfire job ended on this worker (<see cref="JobJournal"/>).</item>
/// <item><c>RUN &lt;user&gt; &lt;status&gt; &lt;writes&gt; &lt;started at&gt; &lt;ended at&gt;</c>: a run of the loop mode ended.</item>
/// </list>
/// </remarks>
internal static class WorkerOutput
{
    private static readonly Lock Gate = new();

    public static long Now => DateTime.UtcNow.Ticks;

    public static void Line(string kind, params object[] fields)
    {
        string line = kind + " " + string.Join(' ', fields.Select(f => Convert.ToString(f, CultureInfo.InvariantCulture)));
        lock (Gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
