namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>One dial of the proxy server, for metrics: direct (own domain) or through a tunnel, whether it connected,
/// and how long it took.</summary>
public sealed record ProxyDialTiming(bool Direct, bool Connected, TimeSpan Took);
