using System.Net.Http.Json;
using Raven.Api.Schema;
using Raven.ApiServer;

namespace Raven.ApiServer.Gateways;

/// <summary>The embedded API server as Raven uses it: Gateway hooks registered, optionally the Gateway CRD installed.</summary>
public static class RavenApiServer
{
    public static EmbeddedApiServer Create(EmbeddedApiServerOptions options)
    {
        GatewayResourceHooks.Register(options.Hooks);
        return new EmbeddedApiServer(options);
    }

    /// <summary>Creates the Gateway CRD from deploy/crds (embedded in Raven.Api) unless it exists.</summary>
    public static async Task InstallGatewayCrdAsync(EmbeddedApiServer server, CancellationToken cancellationToken)
    {
        using var http = server.CreateHttpClient();
        using var response = await http.PostAsJsonAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", GatewayCrd.Definition(), cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"installing the Gateway CRD failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        }
    }
}
