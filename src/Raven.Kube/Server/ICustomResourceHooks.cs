using System.Text.Json.Nodes;

namespace Raven.Kube.Server;

/// <summary>
/// Per-kind admission and conversion for custom resources, registered by group and kind. The server calls
/// <see cref="Default"/> then <see cref="Validate"/> on every write in the version the client used, and
/// <see cref="Convert"/> to move objects between the served versions and the storage version.
/// </summary>
public interface ICustomResourceHooks
{
    /// <summary>Returns a new object in <paramref name="toVersion"/> (a bare version such as <c>v1beta1</c>).</summary>
    JsonObject Convert(JsonObject obj, string toVersion);

    /// <summary>Fills defaults in place; <paramref name="version"/> is the object's version.</summary>
    void Default(JsonObject obj, string version);

    /// <summary>Returns the invalid fields; empty when the object is acceptable. <paramref name="oldObj"/> is null on create.</summary>
    IReadOnlyList<FieldError> Validate(JsonObject newObj, JsonObject? oldObj, string version);
}
