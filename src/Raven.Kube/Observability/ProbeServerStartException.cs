namespace Raven.Kube.Observability;

/// <summary>
/// The health/metrics listener could not bind its address (in use, not local, not permitted): an expected failure
/// that commands report on one line naming the address, not as a stack trace.
/// </summary>
public sealed class ProbeServerStartException : Exception
{
    public ProbeServerStartException(string address, Exception inner)
        : base($"cannot listen on {address} for /healthz, /readyz and /metrics: {Reason(inner)}", inner) =>
        Address = address;

    public ProbeServerStartException()
    {
        Address = "";
    }

    public ProbeServerStartException(string message)
        : base(message)
    {
        Address = "";
    }

    public string Address { get; }

    // Kestrel wraps the socket error twice ("Failed to bind to address …: address already in use.").
    private static string Reason(Exception e) =>
        (e.InnerException?.InnerException ?? e.InnerException ?? e).Message.TrimEnd('.').ToLowerInvariant();
}
