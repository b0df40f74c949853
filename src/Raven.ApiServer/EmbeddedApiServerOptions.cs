using System.Net;

namespace Raven.ApiServer;

/// <summary>How and where the embedded API server listens and keeps its data.</summary>
public sealed class EmbeddedApiServerOptions
{
    /// <summary>TCP endpoint (port 0 picks a free port); null serves only the Unix socket.</summary>
    public IPEndPoint? Listen { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>
    /// Optional Unix socket, plain HTTP: a request without a token is the admin (file permissions guard the socket);
    /// a bearer token there is authenticated and authorised like anywhere else.
    /// </summary>
    public string? UnixSocketPath { get; set; }

    /// <summary>Optional directory for objects, the CA and the token; a restart with the same directory keeps them.</summary>
    public string? DataDir { get; set; }

    /// <summary>
    /// Serve TCP over HTTPS with a generated CA and require a bearer token (the admin token or a ServiceAccount's) or
    /// a client certificate from that CA (user = CN, groups = O).
    /// </summary>
    public bool Https { get; set; }

    /// <summary>The bearer token for HTTPS; generated (and persisted in <see cref="DataDir"/>) when null.</summary>
    public string? Token { get; set; }

    /// <summary>Extra DNS names or IPs for the serving certificate, beyond localhost and the listen address.</summary>
    public IList<string> ServingNames { get; } = [];

    /// <summary>Lifetime of certificates issued for approved CertificateSigningRequests.</summary>
    public TimeSpan CertificateValidity { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How many events watches can resume from; older resourceVersions get 410 Expired.</summary>
    public int WatchHistorySize { get; set; } = 10_000;

    /// <summary>Most bytes of objects the watch history may hold; older events are dropped first (their watches get 410).</summary>
    public long WatchHistoryBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Most bytes of events one watcher may have queued unread; a watcher that falls further behind is closed and its
    /// client watches again or lists again, so a stalled client never grows the server without bound.
    /// </summary>
    public long WatcherQueueBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Largest request body accepted (413 beyond), as kube-apiserver's 3 MiB limit.</summary>
    public long MaxRequestBodyBytes { get; set; } = 3L * 1024 * 1024;

    /// <summary>Largest object stored (413 beyond), as etcd's 1.5 MiB request limit.</summary>
    public int MaxObjectBytes { get; set; } = 1536 * 1024;

    /// <summary>Slowest request body accepted: below this rate after the grace period the request is answered 408.</summary>
    public (double BytesPerSecond, TimeSpan Grace) MinRequestBodyRate { get; set; } = (240, TimeSpan.FromSeconds(5));

    /// <summary>How often watches that allow bookmarks get a BOOKMARK event.</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Admission and conversion hooks per custom resource group and kind.</summary>
    public CustomResourceHookRegistry Hooks { get; } = new();

    public TimeProvider Clock { get; set; } = TimeProvider.System;
}
