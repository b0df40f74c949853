using System.Text;

namespace Raven.Agent.Tests.Proxy;

/// <summary>Byte-level reads for tests that speak HTTP/1.1 by hand (upgrades, spliced connections).</summary>
internal static class RawHttp
{
    public static async Task<string> ReadUntilAsync(Stream stream, string terminator)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        while (!text.ToString().EndsWith(terminator, StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                throw new EndOfStreamException($"stream ended before \"{terminator}\"; got \"{text}\"");
            }

            text.Append((char)one[0]);
        }

        return text.ToString();
    }

    public static async Task<string> ReadExactlyAsync(Stream stream, int length)
    {
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer);
        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>True when the peer ends the stream (read returns 0 or the connection resets) before the deadline.</summary>
    public static async Task<bool> EndsAsync(Stream stream, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var buffer = new byte[256];
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
                // Drain whatever is still in flight.
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
