using System.Text;

namespace Raven.ApiServer;

/// <summary>Writes a kubeconfig for the embedded server (plain YAML, JSON-quoted strings).</summary>
internal static class Kubeconfig
{
    public static string Render(string server, string? caPem, string? token)
    {
        static string Q(string s) => System.Text.Json.JsonSerializer.Serialize(s);
        var b = new StringBuilder();
        b.AppendLine("apiVersion: v1");
        b.AppendLine("kind: Config");
        b.AppendLine("clusters:");
        b.AppendLine("- name: raven-embedded");
        b.AppendLine("  cluster:");
        b.AppendLine("    server: " + Q(server));
        if (caPem is not null) b.AppendLine("    certificate-authority-data: " + Q(Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem))));
        b.AppendLine("contexts:");
        b.AppendLine("- name: raven-embedded");
        b.AppendLine("  context:");
        b.AppendLine("    cluster: raven-embedded");
        b.AppendLine("    user: raven-embedded-admin");
        b.AppendLine("    namespace: default");
        b.AppendLine("current-context: raven-embedded");
        b.AppendLine("users:");
        b.AppendLine("- name: raven-embedded-admin");
        b.AppendLine(token is null ? "  user: {}" : "  user:\n    token: " + Q(token));
        return b.ToString();
    }
}
