using Raven.Agent.Proxy.Certificates;
using Raven.TestSupport;

namespace Raven.Agent.Tests.ProxyCluster;

public sealed class RenewalPolicyTests : IDisposable
{
    private static readonly DateTimeOffset Issued = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TestPki _pki = new();

    public void Dispose() => _pki.Dispose();

    private RenewalDecision DecideAt(int day, CertificateSans? desired = null, string? trust = null, ProxyCertificateProfile? issuedAs = null)
    {
        var sans = TestPki.Sans("127.0.0.1", "cloud-1");
        var (_, key, certificate) = _pki.Issue(issuedAs ?? ProxyCertificateProfile.Server, Issued, Issued.AddDays(100), sans);
        key.Dispose();
        return RenewalPolicy.Decide(certificate, ProxyCertificateProfile.Server, desired ?? sans, trust, Issued.AddDays(day));
    }

    [Fact]
    public void Keeps_a_certificate_until_80_percent_of_its_lifetime()
    {
        var decision = DecideAt(79);

        decision.Action.Should().Be(RenewalAction.Keep);
        decision.RenewAt.Should().Be(Issued.AddDays(80));
    }

    [Fact]
    public void Renews_after_80_percent_while_still_using_it()
    {
        DecideAt(81).Action.Should().Be(RenewalAction.UseAndRenew);
    }

    [Fact]
    public void Replaces_an_expired_certificate()
    {
        var decision = DecideAt(101);

        decision.Action.Should().Be(RenewalAction.Replace);
        decision.Reason.Should().Contain("expired");
    }

    [Fact]
    public void Re_requests_when_the_desired_sans_change()
    {
        var decision = DecideAt(1, TestPki.Sans("127.0.0.1", "203.0.113.10", "cloud-1"));

        decision.Action.Should().Be(RenewalAction.UseAndRenew);
        decision.Reason.Should().Contain("203.0.113.10");
    }

    [Fact]
    public void Replaces_a_certificate_with_another_subject()
    {
        DecideAt(1, issuedAs: ProxyCertificateProfile.ProxyUser).Action.Should().Be(RenewalAction.Replace);
    }

    [Fact]
    public void Replaces_a_certificate_from_another_ca()
    {
        var decision = DecideAt(1, trust: "certificate is not trusted");

        decision.Action.Should().Be(RenewalAction.Replace);
        decision.Reason.Should().Be("certificate is not trusted");
    }

    [Fact]
    public void No_certificate_means_request_now()
    {
        RenewalPolicy.Decide(null, ProxyCertificateProfile.TunnelClient, null, null, Issued).Action.Should().Be(RenewalAction.Replace);
    }

    [Fact]
    public void Client_certificates_ignore_sans()
    {
        var (_, key, certificate) = _pki.Issue(ProxyCertificateProfile.TunnelClient, Issued, Issued.AddDays(10));
        key.Dispose();

        RenewalPolicy.Decide(certificate, ProxyCertificateProfile.TunnelClient, null, null, Issued.AddDays(1)).Action
            .Should().Be(RenewalAction.Keep);
    }
}
