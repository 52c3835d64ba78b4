using AlipayHk.Pay.Testing.Hosting.Internal;

namespace AlipayHk.Pay.Testing.Journal.Internal;

/// <summary>Every request seen, in arrival order; the oldest are dropped past <see cref="Capacity"/>.</summary>
internal sealed class RequestJournal(ChangeFeed changes)
{
    private const string Redacted = "REDACTED";
    private readonly object _gate = new();
    private readonly LinkedList<Slot> _entries = [];

    /// <summary>How many entries are kept; unlimited by default (a test's simulator lives briefly, a server's does not).</summary>
    public int Capacity { get; set; } = int.MaxValue;

    /// <summary>Adds a request as it arrives; returns its slot, for <see cref="Complete"/>.</summary>
    public Slot Add(JournalEntry entry)
    {
        var slot = new Slot(entry);
        lock (_gate)
        {
            _entries.AddLast(slot);
            while (_entries.Count > Capacity)
            {
                _entries.RemoveFirst();
            }
        }

        changes.Notify();
        return slot;
    }

    /// <summary>Replaces a slot's entry with its final form, once the request is answered or dropped. A slot cleared away since changes nothing.</summary>
    public void Complete(Slot slot, JournalEntry entry)
    {
        lock (_gate)
        {
            slot.Entry = entry;
        }

        changes.Notify();
    }

    public IReadOnlyList<JournalEntry> Snapshot()
    {
        lock (_gate)
        {
            return _entries.Select(slot => slot.Entry).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }

        changes.Notify();
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
                pairs[i] = name + "=" + Redacted;
            }
        }

        return "?" + string.Join('&', pairs);
    }

    /// <summary>An <c>Authorization</c> value with its credentials replaced: <c>Bearer REDACTED</c>.</summary>
    public static string RedactAuthorization(string value)
    {
        string trimmed = value.TrimStart();
        int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        return space <= 0 ? Redacted : trimmed[..space] + " " + Redacted;
    }

    /// <summary>One entry's place in the journal.</summary>
    internal sealed class Slot(JournalEntry entry)
    {
        public JournalEntry Entry { get; set; } = entry;
    }
}
