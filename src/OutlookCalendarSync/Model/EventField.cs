using System.Text.Json;
using OutlookCalendarSync.Internal;

namespace OutlookCalendarSync.Model;

/// <summary>
/// One property of <see cref="CalendarEvent"/> in <see cref="CalendarEvent.Fields"/>, the one list that names them all: how to read
/// and set it, compare it, hash it and store it as JSON.
/// </summary>
/// <remarks>
/// <see cref="CalendarEvent.DiffersFrom"/>, <see cref="CalendarEvent.WithFieldsFrom"/>, equality, <see cref="CalendarEvent.ContentHash"/>
/// and <see cref="CalendarEventJson"/> all walk the list, so a property added to it is copied, compared, hashed and stored
/// everywhere at once; a test fails for a public property of <see cref="CalendarEvent"/> that is not in it.
/// </remarks>
internal abstract class EventField
{
    private protected EventField(string name, EventFields flag)
    {
        Name = name;
        Flag = flag;
    }

    /// <summary>The name of the <see cref="CalendarEvent"/> property.</summary>
    public string Name { get; }

    /// <summary>The synced field this property is, or <see cref="EventFields.None"/> for identity (id, version, ...), which is no content.</summary>
    public EventFields Flag { get; }

    /// <summary>Whether both events hold the same content in this field (normalized: the comparison of <see cref="CalendarEvent.DiffersFrom"/>).</summary>
    public abstract bool SameContent(CalendarEvent a, CalendarEvent b);

    /// <summary>Whether both events hold exactly the same value (the comparison of record equality).</summary>
    public abstract bool SameExactly(CalendarEvent a, CalendarEvent b);

    /// <summary>Sets this field of <paramref name="target"/>, an instance not yet handed out, to <paramref name="source"/>'s value.</summary>
    public abstract void Copy(CalendarEvent source, CalendarEvent target);

    /// <summary>Adds the field's normalized value to a content hash; nothing for identity fields.</summary>
    public abstract void AddToHash(CalendarEvent e, ref StableHash hash);

    /// <summary>Writes the field as a property of the event's JSON object (or nothing when it holds its default).</summary>
    public abstract void WriteJson(Utf8JsonWriter writer, CalendarEvent e);

    /// <summary>Reads the field from the event's JSON object into <paramref name="target"/>, an instance not yet handed out.</summary>
    public abstract void ReadJson(JsonElement json, CalendarEvent target);
}

/// <summary>Adds a value to a content hash.</summary>
internal delegate void HashContribution<in T>(T value, ref StableHash hash);

/// <summary>An <see cref="EventField"/> of values of type <typeparamref name="T"/>.</summary>
internal sealed class EventField<T> : EventField
{
    private readonly Func<CalendarEvent, T> _get;
    private readonly Action<CalendarEvent, T> _set;
    private readonly Func<T, T, bool> _sameContent;
    private readonly Func<T, T, bool> _sameExactly;
    private readonly HashContribution<T>? _hash;
    private readonly Action<Utf8JsonWriter, T> _writeJson;
    private readonly Func<JsonElement, T> _readJson;

    /// <param name="name">The property's name.</param>
    /// <param name="flag">The synced field, or <see cref="EventFields.None"/> for an identity field.</param>
    /// <param name="get">Reads the value.</param>
    /// <param name="set">Sets the value of an instance not yet handed out.</param>
    /// <param name="sameContent">Compares values as content (normalized).</param>
    /// <param name="hash">Adds a value to the content hash; null for identity fields.</param>
    /// <param name="writeJson">Writes the value as a JSON property.</param>
    /// <param name="readJson">Reads the value from the event's JSON object.</param>
    /// <param name="sameExactly">Compares values exactly, when stricter than <paramref name="sameContent"/>.</param>
    public EventField(
        string name,
        EventFields flag,
        Func<CalendarEvent, T> get,
        Action<CalendarEvent, T> set,
        Func<T, T, bool> sameContent,
        HashContribution<T>? hash,
        Action<Utf8JsonWriter, T> writeJson,
        Func<JsonElement, T> readJson,
        Func<T, T, bool>? sameExactly = null)
        : base(name, flag)
    {
        if ((flag == EventFields.None) != (hash is null))
        {
            throw new ArgumentException($"{name}: a synced field is hashed, an identity field is not.", nameof(hash));
        }

        _get = get;
        _set = set;
        _sameContent = sameContent;
        _sameExactly = sameExactly ?? sameContent;
        _hash = hash;
        _writeJson = writeJson;
        _readJson = readJson;
    }

    public override bool SameContent(CalendarEvent a, CalendarEvent b) => _sameContent(_get(a), _get(b));

    public override bool SameExactly(CalendarEvent a, CalendarEvent b) => _sameExactly(_get(a), _get(b));

    public override void Copy(CalendarEvent source, CalendarEvent target) => _set(target, _get(source));

    public override void AddToHash(CalendarEvent e, ref StableHash hash) => _hash?.Invoke(_get(e), ref hash);

    public override void WriteJson(Utf8JsonWriter writer, CalendarEvent e) => _writeJson(writer, _get(e));

    public override void ReadJson(JsonElement json, CalendarEvent target) => _set(target, _readJson(json));
}
