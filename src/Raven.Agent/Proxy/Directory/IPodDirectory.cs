namespace Raven.Agent.Proxy.Directory;

/// <summary>Finds the node a pod runs on, for kubelet paths such as /exec/&lt;ns&gt;/&lt;pod&gt;/&lt;container&gt;.
/// The integrator backs this with a pod GET (or cache) against the API server.</summary>
public interface IPodDirectory
{
    /// <summary>spec.nodeName of the pod, or null when the pod does not exist or is not scheduled.</summary>
    ValueTask<string?> FindNodeOfPodAsync(string podNamespace, string podName, CancellationToken cancellationToken);
}
