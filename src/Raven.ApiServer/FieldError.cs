namespace Raven.ApiServer;

/// <summary>One invalid field, reported to clients as a cause of a 422 Invalid Status.</summary>
/// <param name="Field">Path such as <c>spec.endpoints[1].publicIP</c>.</param>
/// <param name="Message">Human readable reason, e.g. <c>Invalid value: "x": must be an IP address</c>.</param>
/// <param name="Reason">Kubernetes cause type: FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, ...</param>
public sealed record FieldError(string Field, string Message, string Reason = "FieldValueInvalid");
