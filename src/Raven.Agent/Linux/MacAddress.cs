using System.Globalization;

namespace Raven.Agent.Linux;

/// <summary>A 48-bit Ethernet address; prints as lower-case colon-separated hex like iproute2.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public static MacAddress Zero => new(0);

    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 6)
        {
            throw new ArgumentException($"a MAC address has 6 bytes, got {bytes.Length}", nameof(bytes));
        }

        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return new MacAddress(value);
    }

    public static MacAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split(':', '-');
        if (parts.Length != 6)
        {
            throw new FormatException($"invalid MAC address '{text}': expected 6 hex octets");
        }

        var bytes = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            if (!byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
            {
                throw new FormatException($"invalid MAC address '{text}': octet '{parts[i]}' is not hex");
            }
        }

        return FromBytes(bytes);
    }

    public byte[] GetBytes()
    {
        var bytes = new byte[6];
        for (int i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(Value >> (8 * (5 - i)));
        }

        return bytes;
    }

    public override string ToString() => string.Join(':', GetBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
