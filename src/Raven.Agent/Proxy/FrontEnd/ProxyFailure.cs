namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>Why a request is not proxied: the HTTP status and a message naming the culprit.</summary>
public sealed record ProxyFailure(int StatusCode, string Message);
