using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Raven.ApiServer.Validation;

/// <summary>
/// Decodes a write of a built-in kind into the official client's typed model with the client's own JSON settings
/// (<see cref="KubernetesJson"/>), as kube-apiserver decodes into its Go types: a value of the wrong type is a 422
/// naming the field, and undeclared fields are dropped, warned about or refused as fieldValidation asks.
/// </summary>
internal static class TypedDecoding
{
    /// <summary>The typed object, with unknown fields already removed from <paramref name="obj"/>.</summary>
    /// <exception cref="ApiException">422 on a type error; 400 on unknown fields under fieldValidation=Strict.</exception>
    public static object Decode(ResourceType type, string version, JsonObject obj, FieldValidation validation, Action<string>? warn)
    {
        var model = type.Model ?? throw new InvalidOperationException($"{type.QualifiedPlural} has no typed model");
        var name = ObjectMeta.Text(obj["metadata"] as JsonObject ?? [], "name") ?? "";
        object? typed;
        try
        {
            typed = Deserializer(model)(obj);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is { } e &&
            e is JsonException or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw TypeError(type, name, obj, model, e);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw TypeError(type, name, obj, model, e);
        }

        ReportUnknown(type, version, ModelShape.PruneUnknown(obj, model), validation, warn);
        return typed ?? throw ApiException.BadRequest("the request body is null");
    }

    /// <summary>What fieldValidation does with undeclared fields, for built-in kinds and custom resources alike.</summary>
    public static void ReportUnknown(ResourceType type, string version, IReadOnlyList<string> unknown, FieldValidation validation, Action<string>? warn)
    {
        if (unknown.Count == 0 || validation == FieldValidation.Ignore) return;
        var texts = unknown.Select(u => $"unknown field \"{u}\"").ToList();
        if (validation == FieldValidation.Strict)
        {
            throw ApiException.BadRequest(
                $"{type.Kind} in version \"{version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", texts)}");
        }

        foreach (var text in texts) warn?.Invoke(text);
    }

    private static ApiException TypeError(ResourceType type, string name, JsonObject obj, Type model, Exception e)
    {
        var errors = ModelShape.TypeErrors(obj, model);
        if (errors.Count == 0)
        {
            // The walker and the decoder disagree; the decoder's own words still name the field when it knows it.
            var field = e is JsonException json ? FieldPaths.FromJsonPath(json.Path) : "";
            errors = [new FieldError(field, $"Invalid value: {e.Message.Split(" Path:")[0]}", "FieldValueTypeInvalid")];
        }

        return ApiException.Invalid(type, name, errors);
    }

    private static readonly ConcurrentDictionary<Type, Func<JsonNode, object?>> Deserializers = new();

    /// <summary>KubernetesJson.Deserialize&lt;T&gt;(JsonNode) for a model type known only at run time.</summary>
    private static Func<JsonNode, object?> Deserializer(Type model) => Deserializers.GetOrAdd(model, m =>
    {
        var generic = typeof(KubernetesJson).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(x => x.Name == nameof(KubernetesJson.Deserialize) && x.IsGenericMethodDefinition &&
                x.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(JsonNode));
        var method = generic.MakeGenericMethod(m);
        return node => method.Invoke(null, [node, null]);
    });
}
