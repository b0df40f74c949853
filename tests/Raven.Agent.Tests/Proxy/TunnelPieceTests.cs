using System.Net;
using Raven.Agent.Proxy;
using Raven.Agent.Proxy.Certificates;
using Raven.Agent.Proxy.Directory;
using Raven.Agent.Proxy.Tunnel;
using Raven.Api.V1Beta1;
using Raven.Kube.Resilience;
using Raven.TestSupport;

namespace Raven.Agent.Tests.Proxy;

public sealed class TunnelPieceTests
{
    [Theory]
    [InlineData("dial 7 10.0.0.5:10250", 7, "10.0.0.5", 10250)]
    [InlineData("dial 12 [fd00::5]:9100", 12, "fd00::5", 9100)]
    public void Dial_command_round_trips(string line, long id, string host, int port)
    {
        var command = DialCommand.TryParse(line, out var error);

        error.Should().BeNull();
        command.Should().Be(new DialCommand(id, new DnsEndPoint(host, port)));
        command!.ToLine().Should().Be(line + "\n");
    }

    [Theory]
    [InlineData("dial x 1.2.3.4:1", "dial id")]
    [InlineData("dial 1 1.2.3.4:0", "port")]
    [InlineData("dial 1 1.2.3.4", "host:port")]
    [InlineData("connect 1 1.2.3.4:5", "is not")]
    [InlineData("dial 0 1.2.3.4:5", "positive")]
    public void Malformed_dial_commands_are_rejected_with_a_reason(string line, string reason)
    {
        DialCommand.TryParse(line, out var error).Should().BeNull();
        error.Should().Contain(reason);
    }

    [Fact]
    public void Connect_path_round_trips_and_rejects_junk()
    {
        TunnelProtocol.TryParseConnectPath(TunnelProtocol.ConnectPath(42), out var id).Should().BeTrue();
        id.Should().Be(42);
        TunnelProtocol.TryParseConnectPath(TunnelProtocol.ConnectPathPrefix + "-1", out _).Should().BeFalse();
        TunnelProtocol.TryParseConnectPath("/elsewhere/1", out _).Should().BeFalse();
    }

    [Fact]
    public void Backoff_doubles_up_to_the_cap_and_resets()
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), BackoffJitter.TwentyPercent, () => 0.5);

        var delays = Enumerable.Range(0, 5).Select(_ => backoff.Next().TotalSeconds).ToList();
        backoff.Reset();

        delays.Should().Equal(1, 2, 4, 5, 5);
        backoff.Next().Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Ports_lists_parse_leniently()
    {
        ProxyGateway.ParsePorts(" 10250, 9100,,abc,70000,9100").Should().Equal(10250, 9100);
        ProxyGateway.ParsePorts(null).Should().BeEmpty();
    }

    [Fact]
    public void Gateway_from_api_takes_proxy_active_endpoints_and_ports()
    {
        var gateway = new Gateway
        {
            Metadata = { Name = "gw-edge" },
            Spec = { ProxyConfig = { ProxyHTTPPort = "10255,9445", ProxyHTTPSPort = "10250,9100" } },
            Status =
            {
                ActiveEndpoints =
                [
                    new Endpoint { NodeName = "n1", Type = "proxy" },
                    new Endpoint { NodeName = "n2", Type = "tunnel" },
                ],
            },
        };

        ProxyGateway.FromApi(gateway).Should().BeEquivalentTo(
            new ProxyGateway("gw-edge", ["n1"], [10255, 9445], [10250, 9100]));
    }

    [Fact]
    public void Proxy_servers_are_the_exposed_gateways_public_proxy_endpoints_except_our_own()
    {
        static Gateway Gw(string name, string? expose, params Endpoint[] endpoints) => new()
        {
            Metadata = { Name = name },
            Spec = { ExposeType = expose },
            Status = { ActiveEndpoints = [.. endpoints], Nodes = [new NodeInfo { NodeName = name + "-node" }] },
        };

        var gateways = new[]
        {
            Gw("gw-cloud", "LoadBalancer",
                new Endpoint { Type = "proxy", PublicIP = "203.0.113.2", Port = 10262 },
                new Endpoint { Type = "proxy", PublicIP = "203.0.113.1" },
                new Endpoint { Type = "tunnel", PublicIP = "203.0.113.9", Port = 4500 },
                new Endpoint { Type = "proxy", PublicIP = "" }),
            Gw("gw-hidden", null, new Endpoint { Type = "proxy", PublicIP = "198.51.100.1" }),
            Gw("gw-self", "PublicIP", new Endpoint { Type = "proxy", PublicIP = "198.51.100.2", Port = 11000 }),
        };

        ProxyServerTargets.For(gateways, "gw-self", "edge-1").Should().Equal(
            new DnsEndPoint("203.0.113.1", 10262), new DnsEndPoint("203.0.113.2", 10262));
        ProxyServerTargets.For(gateways, null, "gw-self-node").Should().HaveCount(2);
        ProxyServerTargets.For(gateways, null, "elsewhere").Should().HaveCount(3);
    }

    [Fact]
    public void Client_identity_must_match_the_certificate_dns_names()
    {
        var pki = new TestPki();
        var certificate = pki.TunnelClient("edge-1");

        ClientIdentity.Check(certificate, "edge-1").Should().BeNull();
        ClientIdentity.Check(certificate, "edge-2").Should().Contain("edge-2");
        ClientIdentity.Check(certificate, "Bad_Name").Should().Contain("DNS-1123");
        ClientIdentity.Check(pki.ProxyUser(), "any-node").Should().BeNull("a certificate without DNS names is not bound to a node");
    }

    [Fact]
    public void Certificates_must_chain_to_the_configured_authority_and_allow_the_usage()
    {
        var pki = new TestPki();
        var stranger = new TestPki("stranger");

        CertificateTrust.Check(pki.TunnelClient("n"), pki.Authorities, CertificateTrust.ClientAuth).Should().BeNull();
        CertificateTrust.Check(stranger.TunnelClient("n"), pki.Authorities, CertificateTrust.ClientAuth).Should().NotBeNull();
        CertificateTrust.Check(pki.Server(), pki.Authorities, CertificateTrust.ClientAuth).Should().NotBeNull("server certs are not client certs");
        CertificateTrust.Check(pki.Server(), [], CertificateTrust.ServerAuth).Should().Contain("no trusted");
    }

    [Fact]
    public async Task Stream_copier_copies_everything_and_reports_failures_as_values()
    {
        var data = new byte[300_000];
        Random.Shared.NextBytes(data);
        using var output = new MemoryStream();

        var ok = await StreamCopier.CopyAsync(new MemoryStream(data), output, autoFlush: true, TimeProvider.System, CancellationToken.None);
        var broken = await StreamCopier.CopyAsync(new MemoryStream(data), new BrokenStream(), autoFlush: false, TimeProvider.System, CancellationToken.None);
        var badInput = await StreamCopier.CopyAsync(new BrokenStream(), new MemoryStream(), autoFlush: false, TimeProvider.System, CancellationToken.None);
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();
        var cancel = await StreamCopier.CopyAsync(new MemoryStream(data), new MemoryStream(), autoFlush: false, TimeProvider.System, canceled.Token);

        ok.Result.Should().Be(StreamCopyResult.Success);
        ok.BytesCopied.Should().Be(data.Length);
        output.ToArray().Should().Equal(data);
        broken.Result.Should().Be(StreamCopyResult.OutputError);
        badInput.Result.Should().Be(StreamCopyResult.InputError);
        cancel.Result.Should().Be(StreamCopyResult.Canceled);
    }

    private sealed class BrokenStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("broken");

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("broken");
    }
}
