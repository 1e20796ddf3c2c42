namespace OutlookCalendarSync.Internal;

/// <summary>
/// FNV-1a 64-bit hashing: stable across processes and machines (unlike <see cref="string.GetHashCode()"/>),
/// so content hashes can be persisted in sync state.
/// </summary>
internal struct StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;
    private ulong _value;
    private bool _started;

    public readonly ulong Value => _started ? _value : OffsetBasis;

    public void Add(string? text)
    {
        if (text is null)
        {
            AddByte(0xFF);
            AddByte(0xFE);
            return;
        }

        foreach (char c in text)
        {
            // Both bytes of the UTF-16 code unit; unchecked because characters above U+00FF do not fit in the low byte.
            AddByte(unchecked((byte)c));
            AddByte(unchecked((byte)(c >> 8)));
        }

        AddByte(0x00);
        AddByte(0x01);
    }

    public void Add(long number)
    {
        unchecked
        {
            for (int i = 0; i < 8; i++)
            {
                AddByte((byte)(number >> (i * 8)));
            }
        }
    }

    public void Add(bool flag) => AddByte(flag ? (byte)1 : (byte)2);

    private void AddByte(byte b)
    {
        if (!_started)
        {
            _value = OffsetBasis;
            _started = true;
        }

        unchecked
        {
            _value ^= b;
            _value *= Prime;
        }
    }

    public static long DateKey(NodaTime.LocalDate date) => (date.Year * 10_000L) + (date.Month * 100L) + date.Day;
}
