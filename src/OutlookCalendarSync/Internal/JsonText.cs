using System.Buffers;
using System.Text;
using System.Text.Json;

namespace OutlookCalendarSync.Internal;

/// <summary>
/// Writes a JSON document to a string through a buffer and a <see cref="Utf8JsonWriter"/> kept per thread, so the documents the
/// engine and the stores write per event (an event's document, a link's payload) cost the string alone, not a new buffer and
/// writer each.
/// </summary>
internal static class JsonText
{
    /// <summary>A buffer that grew past this is dropped after use, so one large document does not stay on the thread.</summary>
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Writes one document with <paramref name="write"/> and returns it as a string.</summary>
    /// <typeparam name="TState">What <paramref name="write"/> writes.</typeparam>
    /// <param name="state">What to write.</param>
    /// <param name="write">Writes one JSON value.</param>
    /// <returns>The document.</returns>
    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        // Taken off the thread while in use: a document written while writing another gets buffers of its own.
        ArrayBufferWriter<byte> buffer = t_buffer ?? new ArrayBufferWriter<byte>(1024);
        Utf8JsonWriter? writer = t_writer;
        t_buffer = null;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(buffer);
        }
        else
        {
            writer.Reset(buffer);
        }

        try
        {
            write(writer, state);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity <= KeptCapacity)
            {
                t_buffer = buffer;
                t_writer = writer;
            }
            else
            {
                writer.Dispose();
            }
        }
    }
}
