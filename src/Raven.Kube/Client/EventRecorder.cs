using System.Globalization;
using Raven.Api.Meta;
using Raven.Kube.Models;

namespace Raven.Kube.Client;

/// <summary>
/// Writes core/v1 Events about an object (e.g. ActiveEndpointElected on a Gateway). Events for cluster-scoped
/// objects go to "default", as kubectl describe expects. Failures are returned, not thrown: an event is never
/// worth failing a reconcile for.
/// </summary>
public sealed class EventRecorder(KubeClient client, string component, string? host = null)
{
    private readonly ResourceClient<Event> _events = client.Resource<Event>();

    /// <summary>A reference to <paramref name="meta"/> of the given kind, for <see cref="RecordAsync"/>.</summary>
    public static ObjectReference Reference(string apiVersion, string kind, ObjectMeta meta)
    {
        ArgumentNullException.ThrowIfNull(meta);
        return new ObjectReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = meta.Name,
            Namespace = meta.Namespace,
            Uid = meta.Uid,
            ResourceVersion = meta.ResourceVersion,
        };
    }

    /// <summary>Builds the Event object (pure; exposed for tests and dry runs).</summary>
    private static long _sequence;

    public Event Build(ObjectReference involved, string type, string reason, string message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(involved);
        var ns = string.IsNullOrEmpty(involved.Namespace) ? "default" : involved.Namespace;
        // Several events can be recorded within one clock tick (elected tunnel and proxy together): a counter keeps names unique.
        var sequence = Interlocked.Increment(ref _sequence);
        var suffix = (now.ToUnixTimeMilliseconds() * 1000 + (sequence % 1000)).ToString("x", CultureInfo.InvariantCulture);
        return new Event
        {
            Metadata = new ObjectMeta { Name = $"{involved.Name}.{suffix}", Namespace = ns },
            InvolvedObject = involved,
            Type = type,
            Reason = reason,
            Message = message,
            Source = new EventSource { Component = component, Host = host },
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
            ReportingComponent = component,
            ReportingInstance = host,
        };
    }

    /// <summary>Creates the event; returns the error instead of throwing it.</summary>
    public async Task<Exception?> RecordAsync(
        ObjectReference involved, string type, string reason, string message, CancellationToken cancellationToken = default)
    {
        try
        {
            await _events.CreateAsync(Build(involved, type, reason, message, client.Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException)
        {
            return e;
        }
    }
}
