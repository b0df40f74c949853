using System.Text;
using k8s.Models;

namespace Raven.ApiServer.Validation;

/// <summary>ObjectMeta checks every kind shares: name, generateName, labels, annotations (apimachinery's ValidateObjectMeta).</summary>
internal static class MetadataRules
{
    private const int TotalAnnotationSizeLimit = 256 * 1024;

    public enum NameKind { Subdomain, Label, Dns1035Label, PathSegment }

    public static IEnumerable<FieldError> Check(V1ObjectMeta? meta, NameKind nameKind)
    {
        if (meta is null) yield break;
        if (!string.IsNullOrEmpty(meta.Name))
        {
            foreach (var problem in NameProblems(meta.Name, nameKind)) yield return Invalid("metadata.name", meta.Name, problem);
        }

        foreach (var error in Labels(meta.Labels, "metadata.labels")) yield return error;
        foreach (var (key, _) in meta.Annotations ?? new Dictionary<string, string>())
        {
            foreach (var problem in NameRules.QualifiedName(key.ToLowerInvariant())) yield return Invalid("metadata.annotations", key, problem);
        }

        var annotationBytes = (meta.Annotations ?? new Dictionary<string, string>()).Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value ?? ""));
        if (annotationBytes > TotalAnnotationSizeLimit)
        {
            yield return new FieldError("metadata.annotations", $"Too long: may not be more than {TotalAnnotationSizeLimit} bytes", "FieldValueTooLong");
        }

        for (var i = 0; i < (meta.Finalizers?.Count ?? 0); i++)
        {
            foreach (var problem in NameRules.QualifiedName(meta.Finalizers![i] ?? "")) yield return Invalid($"metadata.finalizers[{i}]", meta.Finalizers[i] ?? "", problem);
        }
    }

    public static IEnumerable<FieldError> Labels(IDictionary<string, string>? labels, string field)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            foreach (var problem in NameRules.QualifiedName(key)) yield return Invalid(field, key, problem);
            foreach (var problem in NameRules.LabelValue(value ?? "")) yield return Invalid(field, value ?? "", problem);
        }
    }

    public static IEnumerable<string> NameProblems(string name, NameKind kind) => kind switch
    {
        NameKind.Label => NameRules.Dns1123Label(name),
        NameKind.Dns1035Label => NameRules.Dns1035Label(name),
        NameKind.PathSegment => PathSegment(name),
        _ => NameRules.Dns1123Subdomain(name),
    };

    /// <summary>RBAC objects allow any name that is a valid path segment.</summary>
    private static IEnumerable<string> PathSegment(string name)
    {
        if (name is "." or "..") yield return $"may not be '{name}'";
        foreach (var bad in new[] { "/", "%" })
        {
            if (name.Contains(bad, StringComparison.Ordinal)) yield return $"may not contain '{bad}'";
        }
    }

    public static FieldError Invalid(string field, string value, string problem) =>
        new(field, $"Invalid value: {Quote(value)}: {problem}");

    public static FieldError Invalid(string field, long value, string problem) =>
        new(field, $"Invalid value: {value}: {problem}");

    public static FieldError Required(string field, string? detail = null) =>
        new(field, detail is null ? "Required value" : "Required value: " + detail, "FieldValueRequired");

    public static FieldError NotSupported(string field, string value, params string[] supported) =>
        new(field, $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}", "FieldValueNotSupported");

    public static FieldError Duplicate(string field, string value) => new(field, $"Duplicate value: {Quote(value)}", "FieldValueDuplicate");

    public static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value, Relaxed);

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
