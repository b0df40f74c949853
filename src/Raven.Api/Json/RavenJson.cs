using System.Collections;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Raven.Api.Json;

/// <summary>The one set of JSON options every Raven component uses for Kubernetes objects.</summary>
public static class RavenJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? Indented : Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("the document is null");

    /// <summary>
    /// For documents other programs may write too (annotations an operator can edit, a newer agent's report): the
    /// value, or null when the text is blank, malformed or lacks what <paramref name="complete"/> requires.
    /// </summary>
    public static T? TryDeserialize<T>(string? json, Func<T, bool> complete)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(complete);
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) is { } value && complete(value) ? value : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = indented,
            // Kubernetes field names are case-sensitive ("Replicas" and "replicas" differ).
            PropertyNameCaseInsensitive = false,
            // Keep '<', '>' and '+' readable in annotations such as stashed conversion data.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { ApplyOmitEmpty } },
        };
        options.Converters.Add(new KubeTimeConverter());
        options.MakeReadOnly();
        return options;
    }

    private static void ApplyOmitEmpty(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in typeInfo.Properties)
        {
            var omitEmpty = property.AttributeProvider?.IsDefined(typeof(OmitEmptyAttribute), inherit: true) ?? false;
            if (omitEmpty)
            {
                property.ShouldSerialize = static (_, value) => !IsEmpty(value);
            }
        }
    }

    /// <summary>Go's notion of an empty value for omitempty.</summary>
    public static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        bool b => !b,
        int i => i == 0,
        long l => l == 0,
        double d => d == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };
}
