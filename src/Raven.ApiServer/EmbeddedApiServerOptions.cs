using System.Net;

namespace Raven.ApiServer;

/// <summary>How and where the embedded API server listens and keeps its data.</summary>
public sealed class EmbeddedApiServerOptions
{
    /// <summary>TCP endpoint (port 0 picks a free port); null serves only the Unix socket.</summary>
    public IPEndPoint? Listen { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>Optional Unix socket; always plain HTTP without authentication (file permissions guard it).</summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>Optional directory for objects, the CA and the token; a restart with the same directory keeps them.</summary>
    public string? DataDir { get; set; }

    /// <summary>Serve TCP over HTTPS with a generated CA and require a bearer token or a client certificate from that CA.</summary>
    public bool Https { get; set; }

    /// <summary>The bearer token for HTTPS; generated (and persisted in <see cref="DataDir"/>) when null.</summary>
    public string? Token { get; set; }

    /// <summary>Extra DNS names or IPs for the serving certificate, beyond localhost and the listen address.</summary>
    public IList<string> ServingNames { get; } = [];

    /// <summary>Lifetime of certificates issued for approved CertificateSigningRequests.</summary>
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How many events watches can resume from; older resourceVersions get 410 Expired.</summary>
    public int WatchHistorySize { get; set; } = 10_000;

    /// <summary>How often watches that allow bookmarks get a BOOKMARK event.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Admission and conversion hooks per custom resource group and kind.</summary>
    public CustomResourceHookRegistry Hooks { get; } = new();

    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
