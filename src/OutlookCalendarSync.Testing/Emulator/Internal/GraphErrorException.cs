namespace OutlookCalendarSync.Testing.Emulator.Internal;

/// <summary>Ends a request with a Graph JSON error body.</summary>
internal sealed class GraphErrorException : Exception
{
    public GraphErrorException(int statusCode, string code, string message)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
    }

    public GraphErrorException()
    {
        Code = "generalException";
    }

    public GraphErrorException(string message)
        : base(message)
    {
        Code = "generalException";
    }

    public GraphErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "generalException";
    }

    public int StatusCode { get; } = 500;

    public string Code { get; }

    public static GraphErrorException NotFound() =>
        new(404, "ErrorItemNotFound", "The specified object was not found in the store.");

    public static GraphErrorException BadRequest(string code, string message) => new(400, code, message);
}
