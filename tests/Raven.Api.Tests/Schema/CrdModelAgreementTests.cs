using System.Reflection;
using System.Text.Json.Serialization;
using Raven.Api.Schema;

namespace Raven.Api.Tests.Schema;

/// <summary>Keeps deploy/crds/raven.openyurt.io_gateways.yaml and the C# models from drifting apart.</summary>
public class CrdModelAgreementTests
{
    [Theory]
    [InlineData("v1beta1", typeof(V1Beta1.Gateway))]
    [InlineData("v1alpha1", typeof(V1Alpha1.Gateway))]
    public void Schema_and_model_have_the_same_fields_and_types(string version, Type model)
    {
        var mismatches = new List<string>();

        Compare(GatewayCrd.SchemaFor(version), model, "", mismatches);

        mismatches.Should().BeEmpty();
    }

    [Fact]
    public void Crd_declares_the_upstream_names_scope_and_versions()
    {
        var crd = GatewayCrd.Definition();
        var spec = crd["spec"]!;

        crd["metadata"]!["name"]!.GetValue<string>().Should().Be("gateways.raven.openyurt.io");
        spec["group"]!.GetValue<string>().Should().Be(WellKnown.Group);
        spec["scope"]!.GetValue<string>().Should().Be("Cluster");
        spec["names"]!["shortNames"]![0]!.GetValue<string>().Should().Be("gw");
        spec["names"]!["listKind"]!.GetValue<string>().Should().Be("GatewayList");
        var versions = spec["versions"]!.AsArray().Select(v => (v!["name"]!.GetValue<string>(), v["storage"]!.GetValue<bool>(), v["subresources"]!["status"] is not null));
        versions.Should().BeEquivalentTo(new[] { ("v1alpha1", false, true), ("v1beta1", true, true) });
    }

    private static void Compare(StructuralSchema schema, Type type, string path, List<string> mismatches)
    {
        var modelProperties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null && p.GetCustomAttribute<JsonExtensionDataAttribute>() is null)
            .ToDictionary(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, p => p.PropertyType);

        foreach (var name in schema.Properties.Keys.Except(modelProperties.Keys))
        {
            mismatches.Add($"{path}{name}: in the CRD schema but not in {type.Name}");
        }

        foreach (var name in modelProperties.Keys.Except(schema.Properties.Keys))
        {
            mismatches.Add($"{path}{name}: in {type.Name} but not in the CRD schema");
        }

        foreach (var (name, propertyType) in modelProperties)
        {
            if (schema.Properties.TryGetValue(name, out var child) && name != "metadata")
            {
                CompareValue(child, propertyType, $"{path}{name}", mismatches);
            }
        }
    }

    private static void CompareValue(StructuralSchema schema, Type type, string path, List<string> mismatches)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var expected = SchemaType(type);
        if (schema.Type != expected)
        {
            mismatches.Add($"{path}: schema type {schema.Type}, model type {type.Name} ({expected})");
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            CompareValue(schema.AdditionalProperties ?? new StructuralSchema(), type.GetGenericArguments()[1], $"{path}[*]", mismatches);
        }
        else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            CompareValue(schema.Items ?? new StructuralSchema(), type.GetGenericArguments()[0], $"{path}[]", mismatches);
        }
        else if (expected == "object")
        {
            Compare(schema, type, $"{path}.", mismatches);
        }
    }

    private static string SchemaType(Type type) => type switch
    {
        _ when type == typeof(string) || type == typeof(DateTimeOffset) => "string",
        _ when type == typeof(int) || type == typeof(long) => "integer",
        _ when type == typeof(bool) => "boolean",
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) => "array",
        _ => "object",
    };
}
