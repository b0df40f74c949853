namespace Raven.Agent.Proxy.Tunnel;

/// <summary>A tunnel stream failed under its user (its proxy client's connection died, or the stream was reset);
/// the message names the proxy client, so a front end can say which tunnel broke.</summary>
public sealed class TunnelBrokenException : IOException
{
    public TunnelBrokenException()
    {
    }

    public TunnelBrokenException(string message)
        : base(message)
    {
    }

    public TunnelBrokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
