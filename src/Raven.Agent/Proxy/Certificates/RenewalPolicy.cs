using System.Security.Cryptography.X509Certificates;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>What to do with the certificate we hold.</summary>
public enum RenewalAction
{
    /// <summary>Keep it until <see cref="RenewalDecision.RenewAt"/>.</summary>
    Keep,

    /// <summary>Keep serving it, but request a new one now (near expiry, or the desired SANs changed).</summary>
    UseAndRenew,

    /// <summary>It is unusable (expired, wrong subject or issuer): drop it and request a new one.</summary>
    Replace,
}

public sealed record RenewalDecision(RenewalAction Action, DateTimeOffset RenewAt, string Reason);

/// <summary>Pure renewal rules: renew at 80 % of the lifetime, re-request when the wanted SANs change.</summary>
public static class RenewalPolicy
{
    public const double RenewFraction = 0.8;

    public static DateTimeOffset RenewAt(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return notBefore + ((notAfter - notBefore) * RenewFraction);
    }

    /// <param name="desiredSans">null when SANs do not matter (client certificates: the signer drops them anyway).</param>
    /// <param name="trustProblem">Why the certificate does not chain to the cluster CA, or null when it does (or the CA
    /// is not known yet).</param>
    public static RenewalDecision Decide(X509Certificate2? certificate, ProxyCertificateProfile profile, CertificateSans? desiredSans,
        string? trustProblem, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (certificate is null)
        {
            return new(RenewalAction.Replace, now, "no certificate yet");
        }

        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var renewAt = RenewAt(certificate);
        var expected = profile.Subject();
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(expected.RawData) &&
            certificate.SubjectName.Name != expected.Name)
        {
            return new(RenewalAction.Replace, now, $"subject \"{certificate.Subject}\" is not \"{expected.Name}\"");
        }

        if (now >= notAfter)
        {
            return new(RenewalAction.Replace, now, $"expired at {notAfter:u}");
        }

        if (trustProblem is not null)
        {
            return new(RenewalAction.Replace, now, trustProblem);
        }

        if (desiredSans is not null && !CertificateSans.Of(certificate).Equals(desiredSans))
        {
            return new(RenewalAction.UseAndRenew, now, $"SANs changed from [{CertificateSans.Of(certificate)}] to [{desiredSans}]");
        }

        return now >= renewAt
            ? new(RenewalAction.UseAndRenew, now, $"80% of its lifetime passed at {renewAt:u}")
            : new(RenewalAction.Keep, renewAt, $"valid until {notAfter:u}");
    }
}
