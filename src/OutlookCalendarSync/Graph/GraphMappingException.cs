namespace OutlookCalendarSync.Graph;

/// <summary>An event's content cannot be written to Outlook; a per-event failure, never thrown out of the adapter.</summary>
internal sealed class GraphMappingException : Exception
{
    public GraphMappingException()
    {
    }

    public GraphMappingException(string message)
        : base(message)
    {
    }

    public GraphMappingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
