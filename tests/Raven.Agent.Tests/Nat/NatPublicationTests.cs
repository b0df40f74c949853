using System.Net;
using Raven.Agent.Nat;

namespace Raven.Agent.Tests.Nat;

public sealed class NatPublicationTests
{
    private static readonly NatEndpointFields Empty = new(null, 0, null);
    private static readonly NatEndpointFields PortRestricted = new("198.51.100.2", 4500, UpstreamNatType.PortRestrictedCone);

    [Fact]
    public void The_first_result_is_written_at_once()
    {
        var decision = NatPublication.Decide(Input(Empty, Classified("198.51.100.2:4500", MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent)), NatPublicationState.Empty);

        decision.Write.Should().Be(PortRestricted);
    }

    [Fact]
    public void Unchanged_results_write_nothing_also_after_a_restart()
    {
        var same = Input(PortRestricted, Classified("198.51.100.2:4500", MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent));

        NatPublication.Decide(same, NatPublicationState.Empty).Write.Should().BeNull();
        NatPublication.Decide(same, new NatPublicationState(new NatEndpointFields("x", 1, "y"), 1)).Write.Should().BeNull();
    }

    [Fact]
    public void A_failed_run_never_clears_what_is_published()
    {
        var failed = Input(PortRestricted, NatDiscoveryResult.Failed(NatDiscoveryFailure.NoAnswer, "responder down"));

        var decision = NatPublication.Decide(failed, NatPublicationState.Empty);

        decision.Write.Should().BeNull();
        decision.Reason.Should().Contain("responder down");
    }

    [Fact]
    public void A_changed_result_is_written_only_when_the_next_run_agrees()
    {
        var changed = Input(PortRestricted, Classified("198.51.100.9:4500", MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent));

        var first = NatPublication.Decide(changed, NatPublicationState.Empty);
        first.Write.Should().BeNull();

        var second = NatPublication.Decide(changed, first.State);
        second.Write.Should().Be(PortRestricted with { PublicIP = "198.51.100.9" });
        second.State.Should().Be(NatPublicationState.Empty);
    }

    [Fact]
    public void An_odd_run_between_agreeing_ones_resets_the_count()
    {
        var odd = Input(PortRestricted, Classified("198.51.100.2:40001", MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressAndPortDependent));
        var back = Input(PortRestricted, Classified("198.51.100.2:4500", MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent));

        var first = NatPublication.Decide(odd, NatPublicationState.Empty);
        var normal = NatPublication.Decide(back, first.State);
        var oddAgain = NatPublication.Decide(odd, normal.State);

        new[] { first.Write, normal.Write, oddAgain.Write }.Should().AllSatisfy(w => w.Should().BeNull());
        oddAgain.State.Seen.Should().Be(1);
    }

    [Fact]
    public void Symmetric_publishes_no_port()
    {
        var decision = NatPublication.Decide(Input(Empty, Classified("198.51.100.2:40001", MappingBehavior.AddressAndPortDependent, FilteringBehavior.AddressAndPortDependent)), NatPublicationState.Empty);

        decision.Write.Should().Be(new NatEndpointFields("198.51.100.2", 0, UpstreamNatType.Symmetric));
    }

    [Fact]
    public void A_cloud_view_that_contradicts_a_stable_mapping_publishes_symmetric_and_warns()
    {
        var classification = Classified("198.51.100.2:4500", MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent);
        var check = CloudViewCrossCheck.Compare(classification.Classification!, IPEndPoint.Parse("198.51.100.2:31337"), CloudViewSource.WireGuardEndpoint);

        var decision = NatPublication.Decide(Input(Empty, classification) with { CrossCheck = check }, NatPublicationState.Empty);

        decision.Write.Should().Be(new NatEndpointFields("198.51.100.2", 0, UpstreamNatType.Symmetric));
        decision.Warnings.Should().ContainSingle().Which.Should().Contain("31337");
    }

    [Fact]
    public void A_pinned_public_ip_is_kept_and_a_different_stun_address_is_reported()
    {
        var current = new NatEndpointFields("192.0.2.50", 0, null);
        var decision = NatPublication.Decide(
            Input(current, Classified("198.51.100.2:4500", MappingBehavior.EndpointIndependentOrAddressDependent, FilteringBehavior.AddressAndPortDependent)) with { PublicIpPinned = true },
            NatPublicationState.Empty);

        decision.Write.Should().Be(new NatEndpointFields("192.0.2.50", 4500, UpstreamNatType.PortRestrictedCone));
        decision.Warnings.Should().ContainSingle().Which.Should().Contain("pinned to 192.0.2.50");
    }

    [Theory]
    [InlineData("198.51.100.2:4500", MappingBehavior.EndpointIndependentOrAddressDependent, CrossCheckVerdict.Agree)]
    [InlineData("198.51.100.2:4501", MappingBehavior.EndpointIndependentOrAddressDependent, CrossCheckVerdict.PortDisagrees)]
    [InlineData("198.51.100.2:4501", MappingBehavior.AddressAndPortDependent, CrossCheckVerdict.PortDiffersAsMappingPredicts)]
    [InlineData("198.51.100.3:4500", MappingBehavior.EndpointIndependent, CrossCheckVerdict.AddressDisagrees)]
    [InlineData(null, MappingBehavior.EndpointIndependent, CrossCheckVerdict.NoCloudView)]
    public void The_cloud_view_cross_check(string? cloud, MappingBehavior mapping, CrossCheckVerdict expected)
    {
        var classification = Classified("198.51.100.2:4500", mapping, FilteringBehavior.AddressAndPortDependent).Classification!;

        var wireGuard = CloudViewCrossCheck.Compare(classification, cloud is null ? null : IPEndPoint.Parse(cloud), CloudViewSource.WireGuardEndpoint);
        var ike = CloudViewCrossCheck.Compare(classification, cloud is null ? null : IPEndPoint.Parse("[::ffff:" + cloud.Replace(":", "]:", StringComparison.Ordinal)), CloudViewSource.IkePeerAddress);

        wireGuard.Verdict.Should().Be(expected);
        ike.Verdict.Should().Be(expected, "an IPv4-mapped address from a dual-stack socket compares as IPv4");
        wireGuard.Diagnostic.Should().Contain("WireGuard");
        ike.Diagnostic.Should().Contain("IKE");
    }

    private static NatPublicationInput Input(NatEndpointFields current, NatDiscoveryResult discovery) => new() { Current = current, Discovery = discovery };

    private static NatDiscoveryResult Classified(string mapped, MappingBehavior mapping, FilteringBehavior filtering)
    {
        var local = IPEndPoint.Parse("172.16.1.10:4500");
        var publicEndpoint = IPEndPoint.Parse(mapped);
        var classification = new NatClassification(local, publicEndpoint, true, mapping, filtering, ResponderCoverage.OneAddress,
            UpstreamNatType.For(true, mapping, filtering), []);
        return NatDiscoveryResult.Ok(classification, new NatObservations { Local = local, Responder = IPEndPoint.Parse("203.0.113.10:3478"), MappedPrimary = publicEndpoint });
    }
}
