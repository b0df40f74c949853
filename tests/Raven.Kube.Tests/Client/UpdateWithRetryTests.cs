using Raven.Api.Meta;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Kube.Tests.Client;

public sealed class UpdateWithRetryTests
{
    private const string Path = "/api/v1/namespaces/kube-system/configmaps/raven-cfg";

    [Fact]
    public async Task A_conflicting_writer_causes_a_reread_and_both_changes_survive()
    {
        var api = new InMemoryObjectApi();
        using var client = TestClients.With(api.Handler());
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(new ConfigMap
        {
            Metadata = new ObjectMeta { Name = "raven-cfg", Namespace = "kube-system" },
            Data = new() { ["enable-l3-tunnel"] = "false" },
        });
        var calls = 0;

        var result = await configMaps.UpdateWithRetryAsync("raven-cfg", "kube-system", cm =>
        {
            if (calls++ == 0)
            {
                // Another writer slips in between our read and our write.
                configMaps.UpdateWithRetryAsync("raven-cfg", "kube-system", other =>
                {
                    other.Data!["enable-l7-proxy"] = "true";
                    return true;
                }).GetAwaiter().GetResult();
            }

            cm.Data!["enable-l3-tunnel"] = "true";
            return true;
        });

        calls.Should().Be(2);
        result.Data.Should().Contain("enable-l3-tunnel", "true").And.Contain("enable-l7-proxy", "true");
        ((string?)api.Get(Path)!["data"]!["enable-l3-tunnel"]).Should().Be("true");
    }

    [Fact]
    public async Task No_change_means_no_write()
    {
        var api = new InMemoryObjectApi();
        var handler = api.Handler();
        using var client = TestClients.With(handler);
        var configMaps = client.Resource<ConfigMap>();
        await configMaps.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "raven-cfg", Namespace = "kube-system" } });

        await configMaps.UpdateWithRetryAsync("raven-cfg", "kube-system", _ => false);

        handler.Requests.Select(r => r.Method.Method).Should().Equal("POST", "GET");
        api.Get(Path)!["metadata"]!["resourceVersion"]!.GetValue<string>().Should().Be("101");
    }
}
