namespace Raven.Kube.Client.Config;

/// <summary>Supplies the bearer token for each request (it may rotate, e.g. projected service-account tokens).</summary>
public interface ITokenSource
{
    string GetToken();
}

/// <summary>A fixed token from the kubeconfig.</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    public string GetToken() => token;
}
