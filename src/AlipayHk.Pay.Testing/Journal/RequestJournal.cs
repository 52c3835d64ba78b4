namespace AlipayHk.Pay.Testing.Journal;

/// <summary>Every request seen, in arrival order.</summary>
internal sealed class RequestJournal
{
    private readonly object _gate = new();
    private readonly List<JournalEntry> _entries = [];

    /// <summary>Adds a request as it arrives; returns its place, for <see cref="Complete"/>.</summary>
    public int Add(JournalEntry entry)
    {
        lock (_gate)
        {
            _entries.Add(entry);
            return _entries.Count - 1;
        }
    }

    /// <summary>Replaces the entry at <paramref name="index"/> with its final form, once the request is answered or dropped.</summary>
    public void Complete(int index, JournalEntry entry)
    {
        lock (_gate)
        {
            if (index < _entries.Count)
            {
                _entries[index] = entry;
            }
        }
    }

    public IReadOnlyList<JournalEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.ToArray();
        }
    }

    /// <summary>The query string with every <c>client_secret</c> value replaced by <c>REDACTED</c>.</summary>
    public static string RedactQuery(string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        string[] pairs = query.TrimStart('?').Split('&');
        for (int i = 0; i < pairs.Length; i++)
        {
            int equals = pairs[i].IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? pairs[i] : pairs[i][..equals];
            if (string.Equals(Uri.UnescapeDataString(name), "client_secret", StringComparison.OrdinalIgnoreCase))
            {
                pairs[i] = name + "=REDACTED";
            }
        }

        return "?" + string.Join('&', pairs);
    }
}
