using System.Net;
using System.Net.Sockets;
using Prometheus;
using Raven.Kube.Observability;

namespace Raven.Kube.Tests.Observability;

public sealed class ProbeServerBindTests
{
    [Fact]
    public async Task An_address_in_use_is_one_clear_error_naming_it()
    {
        // Seen in the lab: two controller replicas on one node, the second crashed with a Kestrel stack trace.
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var start = () => ProbeServer.StartAsync(address, () => null, Metrics.NewCustomRegistry(), CancellationToken.None);

        var error = (await start.Should().ThrowAsync<ProbeServerStartException>()).Which;
        error.Message.Should().Be($"cannot listen on {address} for /healthz, /readyz and /metrics: address already in use");
        error.Address.Should().Be(address);
    }
}
