namespace Raven.Kube.Client.Config;

/// <summary>A kubeconfig or in-cluster configuration is missing or wrong; the message names the field.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
