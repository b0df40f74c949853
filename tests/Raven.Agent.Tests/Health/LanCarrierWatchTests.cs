using System.Net;
using Raven.Agent.Health.Failover;
using Raven.Agent.Health.Wiring;
using Raven.TestSupport;

namespace Raven.Agent.Tests.Health;

/// <summary>The carrier reading as it reaches the decision, and its log: one line per change, none per round.</summary>
public sealed class LanCarrierWatchTests
{
    private static readonly IPAddress NodeIp = IPAddress.Parse("172.16.1.11");

    private sealed class FakeReader : ILanCarrierReader
    {
        public LanCarrierReading Next { get; set; } = new(LinkCarrier.Up, "eth0", "admin up, carrier on, operstate up");

        public List<IPAddress> Asked { get; } = [];

        public LanCarrierReading Read(IPAddress nodeIp)
        {
            Asked.Add(nodeIp);
            return Next;
        }
    }

    [Fact]
    public void Each_change_of_the_reading_is_logged_once_and_the_carrier_goes_to_the_decision()
    {
        var reader = new FakeReader();
        var log = new CollectingLogger("failover");
        var watch = new LanCarrierWatch(reader, log);

        var seen = new List<LinkCarrier> { watch.Read(NodeIp), watch.Read(NodeIp) };
        reader.Next = new(LinkCarrier.Down, "eth0", "admin up, carrier off, operstate down");
        seen.AddRange(Enumerable.Range(0, 20).Select(_ => watch.Read(NodeIp)));
        reader.Next = new(LinkCarrier.Unknown, null, "no device holds the node IP 172.16.1.11");
        seen.Add(watch.Read(NodeIp));
        seen.Add(watch.Read(NodeIp));

        seen.Should().Equal([LinkCarrier.Up, LinkCarrier.Up, .. Enumerable.Repeat(LinkCarrier.Down, 20), LinkCarrier.Unknown, LinkCarrier.Unknown]);
        reader.Asked.Should().AllSatisfy(ip => ip.Should().Be(NodeIp));
        log.Lines.Should().HaveCount(3, log.ToString());
        log.Lines.ElementAt(0).Should().Contain("Information: LAN carrier: eth0 up (admin up, carrier on, operstate up)");
        log.Lines.ElementAt(1).Should().Contain("Warning: LAN carrier: eth0 down (admin up, carrier off, operstate down); this gateway's LAN counts as unhealthy");
        log.Lines.ElementAt(2).Should().Contain("Warning: LAN carrier: unknown (no device holds the node IP 172.16.1.11); counted as up");
        watch.Current.Should().Be(reader.Next);
    }
}
