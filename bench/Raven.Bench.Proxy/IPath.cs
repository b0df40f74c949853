using System.Net;

namespace Raven.Bench.Proxy;

/// <summary>A way to reach a loopback target: a plain TCP connection, or a stream dialled through the tunnel.</summary>
internal interface IPath
{
    string Name { get; }

    Task<Stream> OpenAsync(DnsEndPoint target);

    /// <summary>Tells the target no more bytes come (TCP FIN / end of the tunnel stream's request body).</summary>
    Task CompleteWritesAsync(Stream stream);
}
