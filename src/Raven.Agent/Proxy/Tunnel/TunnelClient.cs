using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Proxy.Certificates;

namespace Raven.Agent.Proxy.Tunnel;

/// <summary>One connection state, as <see cref="TunnelClient.Connections"/> reports it.</summary>
public sealed record TunnelConnectionStatus(DnsEndPoint Server, bool Connected, string? LastError);

/// <summary>
/// The edge end of the reverse tunnel: keeps a tunnel to every proxy server replica it is given (the exposed
/// gateways' proxy endpoints) and dials targets in its own domain when a server asks.
/// </summary>
public sealed class TunnelClient : IAsyncDisposable
{
    private readonly TunnelClientOptions _options;
    private readonly ICertificateSource _certificates;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<DnsEndPoint, TunnelClientConnection> _connections = [];

    public TunnelClient(TunnelClientOptions options, ICertificateSource certificates, ILogger<TunnelClient>? logger = null,
        TimeProvider? clock = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        _logger = logger ?? NullLogger<TunnelClient>.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    public IReadOnlyList<TunnelConnectionStatus> Connections
    {
        get
        {
            lock (_connections)
            {
                return _connections.Values.Select(c => new TunnelConnectionStatus(c.Server, c.IsConnected, c.LastError)).ToList();
            }
        }
    }

    /// <summary>Makes the set of servers exactly <paramref name="servers"/>: new ones are connected, removed ones
    /// closed, unchanged ones untouched. Idempotent.</summary>
    public async Task SetServersAsync(IEnumerable<DnsEndPoint> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var desired = servers.ToHashSet();
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            List<TunnelClientConnection> removed;
            lock (_connections)
            {
                removed = _connections.Where(kv => !desired.Contains(kv.Key)).Select(kv => kv.Value).ToList();
                foreach (var connection in removed)
                {
                    _connections.Remove(connection.Server);
                }

                foreach (var server in desired.Where(s => !_connections.ContainsKey(s)))
                {
                    var connection = new TunnelClientConnection(server, _options, _certificates, _clock, _logger);
                    _connections[server] = connection;
                    connection.Start();
                }
            }

            foreach (var connection in removed)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await SetServersAsync([]).ConfigureAwait(false);
        _lock.Dispose();
    }
}
