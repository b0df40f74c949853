using System.Text;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>One node of a VICI message tree: a value, a list of values, or a section.</summary>
public abstract class ViciElement
{
    private protected ViciElement()
    {
    }
}

/// <summary>A raw blob; charon sends and expects non-terminated UTF-8 strings, numbers as decimal text.</summary>
public sealed class ViciValue : ViciElement
{
    public ViciValue(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"A VICI value holds at most {ushort.MaxValue} bytes, not {bytes.Length}.", nameof(bytes));
        }

        Bytes = bytes;
    }

    public ViciValue(string text)
        : this(Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))))
    {
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    public override string ToString() => Text;
}

/// <summary>An ordered list of values (lists hold values only, never sections or other lists).</summary>
public sealed class ViciList : ViciElement
{
    public ViciList(IEnumerable<ViciValue> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        Items = items.ToList();
    }

    public IReadOnlyList<ViciValue> Items { get; }

    public IReadOnlyList<string> Texts => Items.Select(i => i.Text).ToList();
}
