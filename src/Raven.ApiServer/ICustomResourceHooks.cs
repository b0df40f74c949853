using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>
/// Per-kind admission and conversion for custom resources, registered by group and kind. The server calls
/// <see cref="Default"/> then <see cref="Validate"/> on every write of the main resource (not of its status, as
/// admission webhooks registered for the resource alone are not called for it), in the version the client used, and
/// <see cref="Convert"/> to move objects between the served versions and the storage version.
/// </summary>
public interface ICustomResourceHooks
{
    /// <summary>Returns a new object in <paramref name="toVersion"/> (a bare version such as <c>v1beta1</c>).</summary>
    JsonObject Convert(JsonObject obj, string toVersion);

    /// <summary>Fills defaults in place; <paramref name="version"/> is the object's version.</summary>
    void Default(JsonObject obj, string version);

    /// <summary>The invalid fields (any rejects the write) and warnings for the client. <paramref name="oldObj"/> is null on create.</summary>
    AdmissionVerdict Validate(JsonObject newObj, JsonObject? oldObj, string version);
}

/// <summary>What validation found: errors make a 422, warnings reach the client as <c>Warning: 299</c> headers either way.</summary>
public sealed record AdmissionVerdict(IReadOnlyList<FieldError> Errors, IReadOnlyList<string> Warnings)
{
    public static AdmissionVerdict Allowed { get; } = new([], []);

    public static AdmissionVerdict Rejected(IReadOnlyList<FieldError> errors) => new(errors, []);
}
