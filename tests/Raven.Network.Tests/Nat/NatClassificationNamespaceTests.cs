using System.Net;
using Raven.Agent.Nat;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Nat;

/// <summary>
/// The classifier in an edge namespace behind routers that behave like each NAT type, against the responder in a
/// "cloud" namespace: the NAT type it reports, and the public endpoint checked against what the router's conntrack
/// shows it actually did.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class NatClassificationNamespaceTests
{
    internal static readonly NatDiscoveryOptions Fast = new()
    {
        Responder = new IPEndPoint(NatLab.CloudAddress, StunResponderLayout.DefaultPrimaryPort),
        Binding = new StunRetransmission(TimeSpan.FromMilliseconds(200), 5, 4),
        Probe = new StunRetransmission(TimeSpan.FromMilliseconds(200), 3, 3),
        Deadline = TimeSpan.FromSeconds(30),
    };

    public static TheoryData<NatKind, bool, string, MappingBehavior, FilteringBehavior> Routers => new()
    {
        { NatKind.PortRestricted, false, UpstreamNatType.PortRestrictedCone, MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent },
        { NatKind.Symmetric, false, UpstreamNatType.Symmetric, MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressAndPortDependent },
        { NatKind.PortForwarded, false, UpstreamNatType.RestrictedCone, MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressDependentOrOpen },
        { NatKind.NoNat, false, UpstreamNatType.OpenInternet, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependentOrOpen },
        { NatKind.PortRestricted, true, UpstreamNatType.PortRestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent },
        { NatKind.PortForwarded, true, UpstreamNatType.FullCone, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent },
    };

    [Theory]
    [MemberData(nameof(Routers))]
    public async Task The_edge_classifies_its_router(NatKind kind, bool secondAddress, string natType, MappingBehavior mapping, FilteringBehavior filtering)
    {
        Root.Require();
        await using var lab = NatLab.Create(kind, secondAddress);
        await using var client = new StunClient(lab.OpenEdgeTransport(TunnelPortMode.Plain));

        var result = await NatProbe.RunAsync(client, Fast, CancellationToken.None);

        result.IsSuccess.Should().BeTrue(result.Detail);
        var classification = result.Classification!;
        classification.UpstreamNatType.Should().Be(natType, classification.ToString());
        classification.Mapping.Should().Be(mapping);
        classification.Filtering.Should().Be(filtering);
        classification.Local.Should().Be(new IPEndPoint(lab.EdgeAddress, NatLab.TunnelPort));
        var expectedPublic = kind == NatKind.NoNat ? classification.Local : ConntrackMapping(lab, StunResponderLayout.DefaultPrimaryPort);
        classification.Public.Should().Be(expectedPublic, "the public endpoint is what the router actually mapped the flow to");
        lab.Responder!.Answered.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_responder_that_is_down_is_reported_as_no_answer()
    {
        Root.Require();
        await using var lab = NatLab.Create(NatKind.PortRestricted, secondResponderAddress: false);
        await lab.Responder!.DisposeAsync();
        await using var client = new StunClient(lab.OpenEdgeTransport(TunnelPortMode.Plain));

        var result = await NatProbe.RunAsync(client, Fast with { Binding = new StunRetransmission(TimeSpan.FromMilliseconds(100), 2, 2) }, CancellationToken.None);

        result.Failure.Should().Be(NatDiscoveryFailure.NoAnswer);
    }

    /// <summary>
    /// The public endpoint the router gave the edge's flow towards a responder port: the destination of the reply
    /// tuple in the router's conntrack table (read from /proc, which needs no extra tool).
    /// </summary>
    internal static IPEndPoint ConntrackMapping(NatLab lab, int responderPort)
    {
        string original = $"src={lab.EdgeAddress} dst={NatLab.CloudAddress} sport={NatLab.TunnelPort} dport={responderPort} ";
        var line = lab.Router.Exec("cat", "/proc/net/nf_conntrack").Split('\n').Single(l => l.Contains(original, StringComparison.Ordinal));
        // "... src=172.16.1.10 dst=203.0.113.10 sport=4500 dport=3478 src=203.0.113.10 dst=203.0.113.2 sport=3478 dport=40123 ..."
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string Reply(string key) => fields.Where(f => f.StartsWith(key + "=", StringComparison.Ordinal)).ElementAt(1)[(key.Length + 1)..];
        return new IPEndPoint(IPAddress.Parse(Reply("dst")), int.Parse(Reply("dport"), System.Globalization.CultureInfo.InvariantCulture));
    }
}
