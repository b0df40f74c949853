using System.Text.RegularExpressions;

namespace Raven.Api.Validation;

/// <summary>RFC 1123 subdomain names, the rule Kubernetes applies to most object names.</summary>
public static partial class Dns1123
{
    public const int MaxSubdomainLength = 253;

    public static string? SubdomainProblem(string name)
    {
        if (name.Length == 0)
        {
            return "must not be empty";
        }

        if (name.Length > MaxSubdomainLength)
        {
            return $"must be no more than {MaxSubdomainLength} characters";
        }

        return Subdomain().IsMatch(name)
            ? null
            : "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
