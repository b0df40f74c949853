using System.Text.Json.Nodes;

namespace Raven.ApiServer;

/// <summary>Everything the server knows about one served resource (built in or from a CustomResourceDefinition).</summary>
internal sealed record ResourceType
{
    public required string Group { get; init; }
    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public required bool Namespaced { get; init; }
    /// <summary>Served versions, the preferred one first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }
    public required string StorageVersion { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public bool HasStatus { get; init; }
    public bool HasApproval { get; init; }
    /// <summary>ServiceAccounts: the token subresource (TokenRequest, create only).</summary>
    public bool HasToken { get; init; }
    /// <summary>Reviews (SelfSubjectAccessReview, TokenReview, ...): create only, answered and never stored.</summary>
    public bool Virtual { get; init; }
    public bool IsCustom { get; init; }
    /// <summary>The official client's model for a built-in kind (k8s.Models.V1Node, ...); writes are decoded into it.</summary>
    public Type? Model { get; init; }
    /// <summary>openAPIV3Schema per version for custom resources; used for pruning and basic validation.</summary>
    public IReadOnlyDictionary<string, JsonObject> Schemas { get; init; } = new Dictionary<string, JsonObject>();
    /// <summary>additionalPrinterColumns per version for custom resources; drives server-side tables for kubectl get.</summary>
    public IReadOnlyDictionary<string, JsonArray> PrinterColumns { get; init; } = new Dictionary<string, JsonArray>();

    public string ListKind => Kind + "List";
    public string TypeKey => Group + "/" + Plural;
    public string QualifiedPlural => Group.Length == 0 ? Plural : Plural + "." + Group;
    public string ApiVersion(string version) => Group.Length == 0 ? version : Group + "/" + version;
    public bool Serves(string version) => Versions.Contains(version, StringComparer.Ordinal);
}
