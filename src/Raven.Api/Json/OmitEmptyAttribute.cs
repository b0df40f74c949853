namespace Raven.Api.Json;

/// <summary>
/// Marks a property that Go's encoding/json would drop when it holds its zero value
/// (<c>omitempty</c>): null, "", 0, false or an empty collection. Kubernetes clients compare
/// manifests byte for byte (kubectl diff, server-side apply), so we mirror that exactly.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OmitEmptyAttribute : Attribute;
