namespace Raven.Agent.Proxy.Tunnel;

/// <summary>A dial the server asked for and whose connect request has not arrived yet.</summary>
internal sealed class PendingDial(string nodeName, System.Net.DnsEndPoint target)
{
    private readonly TaskCompletionSource<TunnelDialResult> _result =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string NodeName { get; } = nodeName;

    public System.Net.DnsEndPoint Target { get; } = target;

    public Task<TunnelDialResult> Result => _result.Task;

    /// <summary>False when the dial already ended (timed out, canceled): the caller must discard its stream.</summary>
    public bool TryComplete(TunnelDialResult result) => _result.TrySetResult(result);
}
