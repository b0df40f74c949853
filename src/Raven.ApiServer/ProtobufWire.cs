namespace Raven.ApiServer;

/// <summary>Reads protocol buffers wire format: varints and length-delimited fields, nothing else is needed.</summary>
internal ref struct ProtobufWire(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public readonly bool End => _at >= _data.Length;

    /// <summary>Next field's number, with its varint value (wire types 0/1/5) or bytes (wire type 2).</summary>
    public int Next(out ulong varint, out ReadOnlySpan<byte> bytes)
    {
        var key = ReadVarint();
        var field = (int)(key >> 3);
        var wireType = (int)(key & 7);
        bytes = default;
        varint = 0;
        switch (wireType)
        {
            case 0: varint = ReadVarint(); return field;
            case 1: varint = Fixed(8); return field;
            case 5: varint = Fixed(4); return field;
            case 2:
                {
                    var length = checked((int)ReadVarint());
                    if (length < 0 || _at + length > _data.Length) throw new FormatException("protobuf: truncated field");
                    bytes = _data.Slice(_at, length);
                    _at += length;
                    return field;
                }

            default: throw new FormatException($"protobuf: unsupported wire type {wireType}");
        }
    }

    private ulong Fixed(int size)
    {
        if (_at + size > _data.Length) throw new FormatException("protobuf: truncated fixed field");
        ulong value = 0;
        for (var i = size - 1; i >= 0; i--) value = (value << 8) | _data[_at + i];
        _at += size;
        return value;
    }

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_at >= _data.Length) throw new FormatException("protobuf: truncated varint");
            var b = _data[_at++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }

        throw new FormatException("protobuf: varint too long");
    }
}
