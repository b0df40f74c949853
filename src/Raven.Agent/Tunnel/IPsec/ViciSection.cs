using System.Text;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// A VICI section: keys in the order they were added (charon cares about order in some trees, e.g. auth rounds),
/// each naming a value, a list or a sub-section, unique within the section. A whole message is the root section.
/// </summary>
public sealed class ViciSection : ViciElement
{
    /// <summary>Names are length-prefixed with one byte.</summary>
    public const int MaxNameBytes = byte.MaxValue;

    private readonly List<KeyValuePair<string, ViciElement>> entries = [];

    public IReadOnlyList<KeyValuePair<string, ViciElement>> Entries => entries;

    public int Count => entries.Count;

    public ViciSection Add(string key, string value) => Add(key, new ViciValue(value));

    public ViciSection Add(string key, IEnumerable<string> items) => Add(key, new ViciList(items.Select(i => new ViciValue(i))));

    public ViciSection Add(string key, ViciElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        ValidateName(key);
        if (Contains(key))
        {
            throw new ArgumentException($"The VICI section already has a key \"{key}\".", nameof(key));
        }

        entries.Add(new(key, element));
        return this;
    }

    public bool Contains(string key) => entries.Exists(e => e.Key == key);

    public ViciElement? Find(string key) => entries.Find(e => e.Key == key).Value;

    /// <summary>The text of a value; null when the key is absent.</summary>
    /// <exception cref="FormatException">The key names a list or a section.</exception>
    public string? Text(string key) => Find(key) switch
    {
        null => null,
        ViciValue value => value.Text,
        _ => throw new FormatException($"VICI key \"{key}\" is not a value."),
    };

    /// <summary>The texts of a list; empty when the key is absent.</summary>
    /// <exception cref="FormatException">The key names a value or a section.</exception>
    public IReadOnlyList<string> Texts(string key) => Find(key) switch
    {
        null => [],
        ViciList list => list.Texts,
        _ => throw new FormatException($"VICI key \"{key}\" is not a list."),
    };

    /// <summary>A sub-section; null when the key is absent.</summary>
    /// <exception cref="FormatException">The key names a value or a list.</exception>
    public ViciSection? Section(string key) => Find(key) switch
    {
        null => null,
        ViciSection section => section,
        _ => throw new FormatException($"VICI key \"{key}\" is not a section."),
    };

    /// <summary>Every sub-section with its key, in order (e.g. the connections of a list-sa event).</summary>
    public IEnumerable<KeyValuePair<string, ViciSection>> Sections() =>
        entries.Where(e => e.Value is ViciSection).Select(e => new KeyValuePair<string, ViciSection>(e.Key, (ViciSection)e.Value));

    public override string ToString()
    {
        var text = new StringBuilder();
        Render(text, 0);
        return text.ToString();
    }

    internal static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Length > MaxNameBytes || name.Any(c => c < 0x20 || c > 0x7e))
        {
            throw new ArgumentException($"Invalid VICI name \"{name}\": 1-{MaxNameBytes} printable ASCII characters.", nameof(name));
        }
    }

    private void Render(StringBuilder text, int depth)
    {
        var indent = new string(' ', depth * 2);
        foreach (var (key, element) in entries)
        {
            switch (element)
            {
                case ViciValue value:
                    text.Append(indent).Append(key).Append(" = ").Append(value.Text).Append('\n');
                    break;
                case ViciList list:
                    text.Append(indent).Append(key).Append(" = [").Append(string.Join(", ", list.Texts)).Append("]\n");
                    break;
                case ViciSection section:
                    text.Append(indent).Append(key).Append(" {\n");
                    section.Render(text, depth + 1);
                    text.Append(indent).Append("}\n");
                    break;
            }
        }
    }
}
