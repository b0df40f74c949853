using System.Net;
using Raven.Agent.Nat;

namespace Raven.Agent.Tests.Nat;

public sealed class NatProbeTests
{
    private static readonly StunResponderLayout OneAddress = new(IPAddress.Parse("203.0.113.10"), null, 3478, 3479, 3480);
    private static readonly StunResponderLayout TwoAddresses = OneAddress with { SecondaryAddress = IPAddress.Parse("203.0.113.11") };
    private static readonly StunResponderLayout OtherNode = new(IPAddress.Parse("192.0.2.20"), null, 3478, 3479, 3480);
    private static readonly IPEndPoint Responder = IPEndPoint.Parse("203.0.113.10:3478");

    private static readonly NatDiscoveryOptions Fast = new()
    {
        Responder = Responder,
        Binding = new StunRetransmission(TimeSpan.FromMilliseconds(20), 3, 2),
        Probe = new StunRetransmission(TimeSpan.FromMilliseconds(20), 2, 2),
        Deadline = TimeSpan.FromSeconds(30),
    };

    public static TheoryData<SimMapping, SimFiltering, string, string, MappingBehavior, FilteringBehavior> Pairs => new()
    {
        // responders: "one" = one address, "two" = a second address, "alt" = one address plus another node.
        { SimMapping.EndpointIndependent, SimFiltering.AddressAndPortDependent, "one", UpstreamNatType.PortRestrictedCone, MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent },
        { SimMapping.EndpointIndependent, SimFiltering.AddressDependent, "one", UpstreamNatType.RestrictedCone, MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressDependentOrOpen },
        { SimMapping.EndpointIndependent, SimFiltering.Open, "one", UpstreamNatType.RestrictedCone, MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressDependentOrOpen },
        { SimMapping.AddressAndPortDependent, SimFiltering.AddressAndPortDependent, "one", UpstreamNatType.Symmetric, MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressAndPortDependent },
        { SimMapping.AddressDependent, SimFiltering.AddressAndPortDependent, "one", UpstreamNatType.PortRestrictedCone, MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent },
        { SimMapping.None, SimFiltering.Open, "one", UpstreamNatType.OpenInternet, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependentOrOpen },
        { SimMapping.EndpointIndependent, SimFiltering.Open, "two", UpstreamNatType.FullCone, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent },
        { SimMapping.EndpointIndependent, SimFiltering.AddressDependent, "two", UpstreamNatType.RestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressDependent },
        { SimMapping.EndpointIndependent, SimFiltering.AddressAndPortDependent, "two", UpstreamNatType.PortRestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent },
        { SimMapping.AddressDependent, SimFiltering.AddressAndPortDependent, "two", UpstreamNatType.Symmetric, MappingBehavior.AddressDependent, FilteringBehavior.AddressAndPortDependent },
        { SimMapping.AddressAndPortDependent, SimFiltering.Open, "two", UpstreamNatType.Symmetric, MappingBehavior.AddressAndPortDependent, FilteringBehavior.EndpointIndependent },
        { SimMapping.None, SimFiltering.Open, "two", UpstreamNatType.OpenInternet, MappingBehavior.EndpointIndependent, FilteringBehavior.EndpointIndependent },
        { SimMapping.AddressDependent, SimFiltering.AddressAndPortDependent, "alt", UpstreamNatType.Symmetric, MappingBehavior.AddressDependent, FilteringBehavior.AddressAndPortDependent },
        { SimMapping.EndpointIndependent, SimFiltering.AddressAndPortDependent, "alt", UpstreamNatType.PortRestrictedCone, MappingBehavior.EndpointIndependent, FilteringBehavior.AddressAndPortDependent },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_run_against_the_responder_classifies_each_modelled_nat(SimMapping mapping, SimFiltering filtering, string responders, string natType, MappingBehavior expectedMapping, FilteringBehavior expectedFiltering)
    {
        var (nat, options) = Setup(mapping, filtering, responders);
        await using var client = new StunClient(nat);

        var result = await NatProbe.RunAsync(client, options, CancellationToken.None);

        result.IsSuccess.Should().BeTrue(result.Detail);
        result.Classification!.UpstreamNatType.Should().Be(natType);
        result.Classification.Mapping.Should().Be(expectedMapping);
        result.Classification.Filtering.Should().Be(expectedFiltering);
    }

    [Fact]
    public async Task A_second_run_through_the_same_nat_state_gives_the_same_answer()
    {
        // The answers to CHANGE-REQUEST come from a port no run ever sends to, so the first run's mapping tests
        // (which opened the alternate port) cannot make the second run's filtering test pass.
        var (nat, options) = Setup(SimMapping.EndpointIndependent, SimFiltering.AddressAndPortDependent, "two");
        await using var client = new StunClient(nat);

        var first = await NatProbe.RunAsync(client, options, CancellationToken.None);
        var second = await NatProbe.RunAsync(client, options, CancellationToken.None);

        second.Classification!.UpstreamNatType.Should().Be(first.Classification!.UpstreamNatType).And.Be(UpstreamNatType.PortRestrictedCone);
    }

    [Fact]
    public async Task Lost_requests_are_retransmitted_with_the_same_transaction()
    {
        var nat = new SimulatedNat(SimMapping.EndpointIndependent, SimFiltering.Open, OneAddress) { DropFirst = 2 };
        await using var client = new StunClient(nat);

        var outcome = await client.BindAsync(Responder, Raven.Agent.Nat.Stun.StunChangeRequest.None, Fast.Binding, CancellationToken.None);

        outcome.IsSuccess.Should().BeTrue();
        outcome.RequestsSent.Should().Be(3);
        outcome.Mapped.Should().Be(IPEndPoint.Parse("198.51.100.2:4500"));
    }

    [Fact]
    public async Task A_silent_responder_is_a_failure_naming_it_after_the_bounded_retransmissions()
    {
        var nat = new SimulatedNat(SimMapping.EndpointIndependent, SimFiltering.Open);
        await using var client = new StunClient(nat);

        var result = await NatProbe.RunAsync(client, Fast, CancellationToken.None);

        result.Failure.Should().Be(NatDiscoveryFailure.NoAnswer);
        result.Detail.Should().Contain("203.0.113.10:3478").And.Contain("3 binding requests");
        nat.Sent.Should().Be(3);
    }

    [Fact]
    public async Task The_deadline_and_cancellation_end_a_run()
    {
        var nat = new SimulatedNat(SimMapping.EndpointIndependent, SimFiltering.Open);
        await using var client = new StunClient(nat);

        var timedOut = await NatProbe.RunAsync(client, Fast with { Binding = Raven.Agent.Nat.StunRetransmission.Rfc5389, Deadline = TimeSpan.FromMilliseconds(100) }, CancellationToken.None);
        timedOut.Failure.Should().Be(NatDiscoveryFailure.DeadlineExceeded);

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var act = () => NatProbe.RunAsync(client, Fast with { Binding = Raven.Agent.Nat.StunRetransmission.Rfc5389 }, cancel.Token);
        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private static (SimulatedNat Nat, NatDiscoveryOptions Options) Setup(SimMapping mapping, SimFiltering filtering, string responders) => responders switch
    {
        "two" => (new SimulatedNat(mapping, filtering, TwoAddresses), Fast),
        "alt" => (new SimulatedNat(mapping, filtering, OneAddress, OtherNode), Fast with { AlternateResponder = OtherNode.EndpointOf(new ResponderSocket(false, ResponderPortRole.Primary)) }),
        _ => (new SimulatedNat(mapping, filtering, OneAddress), Fast),
    };
}
