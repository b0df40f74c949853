using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Raven.Agent.Tunnel.IPsec;

/// <summary>
/// The VICI message encoding: a flat sequence of typed elements. Names carry a 1-byte length, values a 2-byte
/// big-endian length; sections nest, lists hold values only and do not nest.
/// </summary>
public static class ViciMessageCodec
{
    private const byte SectionStart = 1;
    private const byte SectionEnd = 2;
    private const byte KeyValue = 3;
    private const byte ListStart = 4;
    private const byte ListItem = 5;
    private const byte ListEnd = 6;

    public static byte[] Encode(ViciSection message)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, message);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(IBufferWriter<byte> output, ViciSection message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (key, element) in message.Entries)
        {
            switch (element)
            {
                case ViciValue value:
                    WriteByte(output, KeyValue);
                    WriteName(output, key);
                    WriteValue(output, value);
                    break;
                case ViciList list:
                    WriteByte(output, ListStart);
                    WriteName(output, key);
                    foreach (var item in list.Items)
                    {
                        WriteByte(output, ListItem);
                        WriteValue(output, item);
                    }

                    WriteByte(output, ListEnd);
                    break;
                case ViciSection section:
                    WriteByte(output, SectionStart);
                    WriteName(output, key);
                    Write(output, section);
                    WriteByte(output, SectionEnd);
                    break;
            }
        }
    }

    /// <exception cref="FormatException">The bytes are not a well-formed message; the text names the offset.</exception>
    public static ViciSection Decode(ReadOnlySpan<byte> bytes)
    {
        var root = new ViciSection();
        var open = new Stack<ViciSection>();
        var current = root;
        string? listName = null;
        List<ViciValue>? listItems = null;
        var offset = 0;
        while (offset < bytes.Length)
        {
            var at = offset;
            var type = bytes[offset++];
            if (listItems is not null && type is not (ListItem or ListEnd))
            {
                throw Malformed(at, $"element type {type} inside list \"{listName}\"");
            }

            switch (type)
            {
                case SectionStart:
                    {
                        var name = ReadName(bytes, ref offset);
                        var section = new ViciSection();
                        AddDecoded(current, name, section, at);
                        open.Push(current);
                        current = section;
                        break;
                    }

                case SectionEnd:
                    if (open.Count == 0)
                    {
                        throw Malformed(at, "section end without a section");
                    }

                    current = open.Pop();
                    break;
                case KeyValue:
                    {
                        var name = ReadName(bytes, ref offset);
                        AddDecoded(current, name, ReadValue(bytes, ref offset), at);
                        break;
                    }

                case ListStart:
                    listName = ReadName(bytes, ref offset);
                    listItems = [];
                    break;
                case ListItem:
                    if (listItems is null)
                    {
                        throw Malformed(at, "list item outside a list");
                    }

                    listItems.Add(ReadValue(bytes, ref offset));
                    break;
                case ListEnd:
                    if (listItems is null)
                    {
                        throw Malformed(at, "list end outside a list");
                    }

                    AddDecoded(current, listName!, new ViciList(listItems), at);
                    listItems = null;
                    listName = null;
                    break;
                default:
                    throw Malformed(at, $"unknown element type {type}");
            }
        }

        if (listItems is not null)
        {
            throw Malformed(bytes.Length, $"list \"{listName}\" is not closed");
        }

        if (open.Count > 0)
        {
            throw Malformed(bytes.Length, $"{open.Count} section(s) not closed");
        }

        return root;
    }

    private static void AddDecoded(ViciSection section, string name, ViciElement element, int at)
    {
        if (section.Contains(name))
        {
            throw Malformed(at, $"duplicate key \"{name}\"");
        }

        section.Add(name, element);
    }

    private static string ReadName(ReadOnlySpan<byte> bytes, ref int offset)
    {
        if (offset >= bytes.Length)
        {
            throw Malformed(offset, "name length missing");
        }

        int length = bytes[offset++];
        if (length == 0 || offset + length > bytes.Length)
        {
            throw Malformed(offset - 1, $"name of {length} bytes does not fit");
        }

        var name = Encoding.ASCII.GetString(bytes.Slice(offset, length));
        offset += length;
        return name;
    }

    private static ViciValue ReadValue(ReadOnlySpan<byte> bytes, ref int offset)
    {
        if (offset + 2 > bytes.Length)
        {
            throw Malformed(offset, "value length missing");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
        offset += 2;
        if (offset + length > bytes.Length)
        {
            throw Malformed(offset - 2, $"value of {length} bytes does not fit");
        }

        var value = new ViciValue(bytes.Slice(offset, length).ToArray());
        offset += length;
        return value;
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteName(IBufferWriter<byte> output, string name)
    {
        ViciSection.ValidateName(name);
        WriteByte(output, (byte)name.Length);
        var span = output.GetSpan(name.Length);
        Encoding.ASCII.GetBytes(name, span);
        output.Advance(name.Length);
    }

    private static void WriteValue(IBufferWriter<byte> output, ViciValue value)
    {
        var span = output.GetSpan(2 + value.Bytes.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value.Bytes.Length);
        value.Bytes.Span.CopyTo(span[2..]);
        output.Advance(2 + value.Bytes.Length);
    }

    private static FormatException Malformed(int offset, string what) => new($"Malformed VICI message at byte {offset}: {what}.");
}
