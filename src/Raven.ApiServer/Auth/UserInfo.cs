namespace Raven.ApiServer.Auth;

/// <summary>Who a request is: a user name and groups, as kube-apiserver's authenticators report them.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string Uid = "")
{
    public const string Authenticated = "system:authenticated";
    public const string Masters = "system:masters";
    public const string ServiceAccountPrefix = "system:serviceaccount:";

    /// <summary>The server's own credential (its token, the Unix socket, plain HTTP): in system:masters, allowed everything.</summary>
    public static UserInfo Admin { get; } = new("system:admin", [Masters, Authenticated]);

    public bool IsSuperuser => Groups.Contains(Masters, StringComparer.Ordinal);

    public static UserInfo ServiceAccount(string ns, string name, string uid = "") =>
        new($"{ServiceAccountPrefix}{ns}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{ns}", Authenticated], uid);

    /// <summary>(namespace, name) when this is a ServiceAccount's user name.</summary>
    public static (string Namespace, string Name)? ServiceAccountOf(string user) =>
        user.StartsWith(ServiceAccountPrefix, StringComparison.Ordinal) && user[ServiceAccountPrefix.Length..].Split(':') is [var ns, var name] &&
        ns.Length > 0 && name.Length > 0
            ? (ns, name) : null;
}

/// <summary>What a request asks to do, in RBAC's terms.</summary>
internal sealed record RequestAttributes(string Verb, string Group, string Resource, string Subresource, string Namespace, string Name, string? Path)
{
    public bool IsResource => Path is null;

    public string ResourceWithSubresource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;

    public static RequestAttributes NonResource(string verb, string path) => new(verb, "", "", "", "", "", path);
}
