using System.Globalization;
using System.Text.RegularExpressions;
using Raven.TestSupport.Network;

namespace Raven.Network.Tests.Health;

/// <summary>
/// prober (198.51.100.1) — veth — router — veth — responder (198.51.100.6): three namespaces, routes only between
/// themselves, removed on Dispose. The router forwards, so a DROP there cuts the path without touching either end.
/// </summary>
internal sealed partial class ProbeLab : IDisposable
{
    public const string ProberAddress = "198.51.100.1";
    public const string ResponderAddress = "198.51.100.6";

    private ProbeLab(TestNamespace prober, TestNamespace router, TestNamespace responder)
    {
        Prober = prober;
        Router = router;
        Responder = responder;
    }

    public TestNamespace Prober { get; }

    public TestNamespace Router { get; }

    public TestNamespace Responder { get; }

    public static ProbeLab Create()
    {
        var created = new List<TestNamespace>();
        try
        {
            var prober = Add(created);
            var router = Add(created);
            var responder = Add(created);
            TestNamespace.CreateVethPair(prober, "p0", router, "r0");
            TestNamespace.CreateVethPair(router, "r1", responder, "b0");
            Configure(prober, "p0", ProberAddress + "/30");
            Configure(router, "r0", "198.51.100.2/30");
            Configure(router, "r1", "198.51.100.5/30");
            Configure(responder, "b0", ResponderAddress + "/30");
            prober.Ip("route", "add", "198.51.100.4/30", "via", "198.51.100.2");
            responder.Ip("route", "add", "198.51.100.0/30", "via", "198.51.100.5");
            router.EnableForwarding();
            return new ProbeLab(prober, router, responder);
        }
        catch
        {
            created.ForEach(n => n.Dispose());
            throw;
        }
    }

    /// <summary>Drops probe requests in the router.</summary>
    public void CutInRouter() => Router.Exec("iptables", "-I", "FORWARD", "-p", "udp", "--dport", "4473", "-j", "DROP");

    public void RestoreInRouter() => Router.Exec("iptables", "-D", "FORWARD", "-p", "udp", "--dport", "4473", "-j", "DROP");

    /// <summary>Packets the router's DROP rule has dropped.</summary>
    public long DroppedInRouter() => PacketCount(Router, "FORWARD", "-j DROP");

    /// <summary>Packets counted by the rule of <paramref name="chain"/> (filter table) whose text contains <paramref name="fragment"/>.</summary>
    public static long PacketCount(TestNamespace ns, string chain, string fragment)
    {
        foreach (var line in ns.Exec("iptables-save", "-c", "-t", "filter").Split('\n'))
        {
            var m = CounterLine().Match(line);
            if (m.Success && m.Groups["chain"].Value == chain && line.Contains(fragment, StringComparison.Ordinal))
            {
                return long.Parse(m.Groups["packets"].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no rule with '{fragment}' in {chain} of {ns.Name}");
    }

    public void Dispose()
    {
        Responder.Dispose();
        Router.Dispose();
        Prober.Dispose();
    }

    internal static TestNamespace Add(List<TestNamespace> created)
    {
        var ns = TestNamespace.Create("hl");
        created.Add(ns);
        return ns;
    }

    internal static void Configure(TestNamespace ns, string device, string address)
    {
        ns.Ip("addr", "add", address, "dev", device);
        ns.Ip("link", "set", device, "up");
    }

    [GeneratedRegex(@"^\[(?<packets>\d+):\d+\] -A (?<chain>\S+) ")]
    private static partial Regex CounterLine();
}
