using System.Net;
using Raven.Agent.Benchmark;
using Raven.Api.Benchmark;
using Raven.Api.V1Beta1;

namespace Raven.Agent.Tests.Benchmark;

public sealed class BenchmarkDutiesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static (string, IReadOnlyDictionary<string, string>?) Entry(BenchmarkRequest r) => (r.Name, r.ToData());

    [Fact]
    public void The_target_listens_and_the_source_measures_the_same_request()
    {
        var request = BenchmarkRequest.New("hz-2", "qd-2", 5, 50, Now);

        var target = BenchmarkDuties.For("qd-2", [Entry(request)], Now);
        var source = BenchmarkDuties.For("hz-2", [Entry(request)], Now);
        var bystander = BenchmarkDuties.For("sz-1", [Entry(request)], Now);

        (target.Listen, target.Measure).Should().Be((request, null));
        (source.Listen, source.Measure).Should().Be((null, request));
        (bystander.Listen, bystander.Measure).Should().Be((null, null), "nothing listens unless asked");
    }

    [Fact]
    public void Expired_requests_are_ignored_and_a_node_serves_one_request_at_a_time()
    {
        var old = BenchmarkRequest.New("hz-2", "qd-2", 5, 50, Now - TimeSpan.FromMinutes(5));
        var first = BenchmarkRequest.New("hz-1", "qd-2", 5, 50, Now);
        var second = BenchmarkRequest.New("qd-2", "cloud-1", 5, 50, Now + TimeSpan.FromSeconds(1));

        var duties = BenchmarkDuties.For("qd-2", [Entry(second), Entry(old), Entry(first)], Now);

        duties.Listen.Should().Be(first);
        duties.Measure.Should().BeNull("the node is busy as target of the earlier request");
        var expired = BenchmarkDuties.For("hz-2", [Entry(old)], Now);
        (expired.Listen, expired.Measure, expired.Invalid.Count).Should().Be((null, null, 0), "an expired request is ignored");
    }

    [Fact]
    public void An_unreadable_request_is_reported_not_served()
    {
        var data = BenchmarkRequest.New("hz-2", "qd-2", 5, 50, Now).ToData().ToDictionary();
        data["token"] = "";

        var duties = BenchmarkDuties.For("qd-2", [("raven-benchmark-x", data)], Now);

        duties.Listen.Should().BeNull();
        duties.Invalid.Should().ContainSingle().Which.Error.Should().Contain("data.token");
    }

    [Fact]
    public void Addresses_come_from_the_Gateways_and_an_address_two_nodes_claim_is_refused()
    {
        Gateway Gw(string name, params (string Node, string Ip)[] nodes) => new()
        {
            Metadata = new() { Name = name },
            Status = new GatewayStatus { Nodes = [.. nodes.Select(n => new NodeInfo { NodeName = n.Node, PrivateIP = n.Ip })] },
        };
        var gateways = new[] { Gw("gw-hz", ("hz-2", "172.16.2.104")), Gw("gw-qd", ("qd-2", "172.16.3.104")), Gw("gw-sz", ("sz-2", "172.16.2.104")) };

        BenchmarkAddresses.Resolve(gateways, "qd-2").Should().Be(IPAddress.Parse("172.16.3.104"));
        BenchmarkAddresses.Resolve(gateways, "sz-2").Should().BeNull("hz-2 has the same IP: L3 would reach the wrong node");
        BenchmarkAddresses.Resolve(gateways, "nowhere").Should().BeNull();
    }

    [Fact]
    public void A_hello_passes_only_with_the_requests_token()
    {
        var token = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var other = token.Select(b => (byte)(b ^ 1)).ToArray();

        BenchmarkWire.Check(BenchmarkWire.Hello(BenchmarkWire.Echo, token), token).Should().Be(BenchmarkWire.Echo);
        BenchmarkWire.Check(BenchmarkWire.Hello(BenchmarkWire.Throughput, token), token).Should().Be(BenchmarkWire.Throughput);
        BenchmarkWire.Check(BenchmarkWire.Hello(BenchmarkWire.Echo, other), token).Should().BeNull();
        BenchmarkWire.Check(BenchmarkWire.Hello((byte)'X', token), token).Should().BeNull();
        BenchmarkWire.ReadCount(BenchmarkWire.Count(123_456_789_012)).Should().Be(123_456_789_012);
    }
}
