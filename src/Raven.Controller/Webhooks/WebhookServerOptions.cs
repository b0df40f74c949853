namespace Raven.Controller.Webhooks;

/// <summary>Where the webhook server listens, where its certificate lives and which names it answers to.</summary>
public sealed class WebhookServerOptions
{
    public const string DefaultCertDir = "/tmp/raven-controller-webhook-certs";

    /// <summary>"host:port", e.g. 0.0.0.0:10273; port 0 picks a free port.</summary>
    public required string BindAddress { get; init; }

    /// <summary>Holds tls.crt and tls.key (a cert-manager or Secret mount); generated with ca.crt when absent.</summary>
    public string CertDir { get; init; } = DefaultCertDir;

    public string ServiceName { get; init; } = "raven-controller-webhook";

    public string ServiceNamespace { get; init; } = "kube-system";

    /// <summary>How often the certificate files are checked for a rotation.</summary>
    public TimeSpan CertReloadInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The DNS names the API server may use to reach the Service; a generated certificate covers all of them.</summary>
    public IReadOnlyList<string> ServiceDnsNames =>
    [
        ServiceName,
        $"{ServiceName}.{ServiceNamespace}",
        $"{ServiceName}.{ServiceNamespace}.svc",
        $"{ServiceName}.{ServiceNamespace}.svc.cluster.local",
    ];
}
