using k8s;
using System.Globalization;
using k8s.Models;

namespace Raven.Kube.Client;

/// <summary>
/// Writes core/v1 Events about an object (e.g. ActiveEndpointElected on a Gateway). Events for cluster-scoped
/// objects go to "default", as kubectl describe expects. Failures are returned, not thrown: an event is never
/// worth failing a reconcile for.
/// </summary>
public sealed class EventRecorder(KubeClient client, string component, string? host = null)
{
    public const string TypeNormal = "Normal";
    public const string TypeWarning = "Warning";

    private static long _sequence;

    /// <summary>A reference to an object with Raven's metadata model (a Gateway), for <see cref="RecordAsync"/>.</summary>
    public static V1ObjectReference Reference(string apiVersion, string kind, Api.Meta.ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return new V1ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = meta.Name,
            NamespaceProperty = meta.Namespace,
            Uid = meta.Uid,
            ResourceVersion = meta.ResourceVersion,
        };
    }

    /// <summary>Builds the Event object (pure; exposed for tests and dry runs).</summary>
    public Corev1Event Build(V1ObjectReference involved, string type, string reason, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(involved);
        var ns = string.IsNullOrEmpty(involved.NamespaceProperty) ? "default" : involved.NamespaceProperty;
        // Several events can be recorded within one clock tick (elected tunnel and proxy together): a counter keeps names unique.
        var sequence = Interlocked.Increment(ref _sequence);
        var suffix = (now.ToUnixTimeMilliseconds() * 1000 + (sequence % 1000)).ToString("x", CultureInfo.InvariantCulture);
        return new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{involved.Name}.{suffix}", NamespaceProperty = ns },
            InvolvedObject = involved,
            Type = type,
            Reason = reason,
            Message = message,
            Source = new V1EventSource { Component = component, Host = host },
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
            ReportingComponent = component,
            ReportingInstance = host,
        };
    }

    /// <summary>The client's clock, which stamps events.</summary>
    public DateTimeOffset Now() => client.Time.GetUtcNow();

    /// <summary>Creates the event, stamped now; returns the error instead of throwing it.</summary>
    public Task<Exception?> RecordAsync(
        V1ObjectReference involved, string type, string reason, string message, CancellationToken cancellationToken = default) =>
        RecordAsync(involved, type, reason, message, Now(), cancellationToken);

    /// <summary>Creates the event, stamped <paramref name="at"/> (when it happened); returns the error instead of throwing it.</summary>
    public async Task<Exception?> RecordAsync(
        V1ObjectReference involved, string type, string reason, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var e = Build(involved, type, reason, message, at);
        try
        {
            await client.Api.CoreV1.CreateNamespacedEventAsync(e, e.Metadata.NamespaceProperty, cancellationToken: cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception error) when (error.IsApiError() || error is HttpRequestException or TimeoutException)
        {
            return error;
        }
    }
}
