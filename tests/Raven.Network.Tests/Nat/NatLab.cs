using System.Net;
using Raven.Agent.Linux;
using Raven.Agent.Nat;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Nat;

/// <summary>The kinds of edge router the NAT tests build.</summary>
public enum NatKind
{
    /// <summary>MASQUERADE, unsolicited NEW from the WAN dropped on INPUT and FORWARD (a typical CPE router).</summary>
    PortRestricted,

    /// <summary>MASQUERADE --random-fully: a new public port for every flow, plus the same drops.</summary>
    Symmetric,

    /// <summary>The same, plus a DNAT of the tunnel port to the edge: reachable from anywhere on that port.</summary>
    PortForwarded,

    /// <summary>A plain router: the edge has a public TEST-NET address of its own.</summary>
    NoNat,
}

/// <summary>
/// Three namespaces (area <c>ntnat</c>): "cloud" on the public 203.0.113.0/24 (203.0.113.10, optionally a second
/// address .11) running the STUN responder, a router whose WAN is 203.0.113.2, and the edge behind it at
/// 172.16.1.10 (192.0.2.10 for <see cref="NatKind.NoNat"/>). Only TEST-NET and private addresses, all inside the
/// namespaces; nothing routes out of them.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class NatLab : IAsyncDisposable
{
    public const string Area = "ntnat";
    public const int TunnelPort = 4500;
    public static readonly IPAddress CloudAddress = IPAddress.Parse("203.0.113.10");
    public static readonly IPAddress CloudSecondAddress = IPAddress.Parse("203.0.113.11");
    public static readonly IPAddress RouterWan = IPAddress.Parse("203.0.113.2");
    private readonly List<TestNamespace> namespaces = [];

    private NatLab(NatKind kind) => Kind = kind;

    public NatKind Kind { get; }

    public TestNamespace Cloud { get; private set; } = null!;

    public TestNamespace Router { get; private set; } = null!;

    public TestNamespace Edge { get; private set; } = null!;

    public StunResponder? Responder { get; private set; }

    public IPAddress EdgeAddress => Kind == NatKind.NoNat ? IPAddress.Parse("192.0.2.10") : IPAddress.Parse("172.16.1.10");

    public IPEndPoint ResponderEndpoint => new(CloudAddress, StunResponderLayout.DefaultPrimaryPort);

    public static NatLab Create(NatKind kind, bool secondResponderAddress)
    {
        var lab = new NatLab(kind);
        try
        {
            lab.Build(secondResponderAddress);
            return lab;
        }
        catch
        {
            lab.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Opens the client's transport inside the edge namespace (the socket stays there).</summary>
    public IStunTransport OpenEdgeTransport(TunnelPortMode mode, int localPort = TunnelPort) =>
        NetworkNamespace.Run(Edge.Name, () => StunTransports.Open(mode, localPort, CloudAddress));

    public async ValueTask DisposeAsync()
    {
        if (Responder is not null)
        {
            await Responder.DisposeAsync();
        }

        foreach (var ns in namespaces)
        {
            ns.Dispose();
        }
    }

    private void Build(bool secondResponderAddress)
    {
        Cloud = Ns();
        Router = Ns();
        Edge = Ns();
        bool nat = Kind != NatKind.NoNat;
        string lanPrefix = nat ? "172.16.1" : "192.0.2";
        TestNamespace.Link(Cloud, "wan0", $"{CloudAddress}/24", Router, "wan", $"{RouterWan}/24");
        if (secondResponderAddress)
        {
            Cloud.Ip("addr", "add", $"{CloudSecondAddress}/24", "dev", "wan0");
        }

        TestNamespace.Link(Router, "lan0", $"{lanPrefix}.1/24", Edge, "lan0", $"{EdgeAddress}/24");
        Edge.Ip("route", "add", "default", "via", $"{lanPrefix}.1");
        Router.EnableForwarding();
        if (nat)
        {
            Shell.RunWithInput("ip", RouterRules(), "netns", "exec", Router.Name, "iptables-restore", "-w");
        }
        else
        {
            Cloud.Ip("route", "add", "192.0.2.0/24", "via", RouterWan.ToString());
        }

        var layout = new StunResponderLayout(CloudAddress, secondResponderAddress ? CloudSecondAddress : null,
            StunResponderLayout.DefaultPrimaryPort, StunResponderLayout.DefaultAlternatePort, StunResponderLayout.DefaultChangeSourcePort);
        Responder = NetworkNamespace.Run(Cloud.Name, () => StunResponder.Start(new StunResponderOptions
        {
            Layout = layout,
            PrimaryBindAddress = CloudAddress,
            SecondaryBindAddress = secondResponderAddress ? CloudSecondAddress : null,
        }));
    }

    private string RouterRules()
    {
        string masquerade = Kind == NatKind.Symmetric ? "-j MASQUERADE --random-fully" : "-j MASQUERADE";
        var rules = new List<string> { "*nat", ":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]" };
        if (Kind == NatKind.PortForwarded)
        {
            rules.Add($"-A PREROUTING -i wan -p udp --dport {TunnelPort} -j DNAT --to-destination {EdgeAddress}:{TunnelPort}");
        }

        rules.AddRange([$"-A POSTROUTING -o wan {masquerade}", "COMMIT", "*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]"]);
        rules.Add("-A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        rules.Add("-A INPUT -i wan -m conntrack --ctstate NEW,INVALID -j DROP");
        rules.Add("-A FORWARD -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT");
        if (Kind == NatKind.PortForwarded)
        {
            rules.Add("-A FORWARD -i wan -m conntrack --ctstate DNAT -j ACCEPT");
        }

        rules.AddRange(["-A FORWARD -i wan -m conntrack --ctstate NEW,INVALID -j DROP", "COMMIT", ""]);
        return string.Join('\n', rules);
    }

    private TestNamespace Ns()
    {
        var ns = TestNamespace.Create(Area);
        namespaces.Add(ns);
        return ns;
    }
}
