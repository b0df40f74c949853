namespace Raven.Controller.Reconcilers;

/// <summary>One controller: brings the cluster in line for one key; returns when to look again, if ever.</summary>
public interface IReconciler
{
    /// <summary>Metric label and key prefix, e.g. "gateway-pickup".</summary>
    string Name { get; }

    Task<TimeSpan?> ReconcileAsync(string key, CancellationToken cancellationToken);
}
