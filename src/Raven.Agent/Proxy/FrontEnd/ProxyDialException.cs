namespace Raven.Agent.Proxy.FrontEnd;

/// <summary>Carries a dial refusal out of SocketsHttpHandler's ConnectCallback, which can only throw.</summary>
public sealed class ProxyDialException : IOException
{
    public ProxyDialException()
    {
    }

    public ProxyDialException(string message)
        : base(message)
    {
    }

    public ProxyDialException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ProxyDialException(ProxyFailure failure)
        : base(failure?.Message)
    {
        Failure = failure;
    }

    public ProxyFailure? Failure { get; }
}
