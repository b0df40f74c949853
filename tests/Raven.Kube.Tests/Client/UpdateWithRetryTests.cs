using Raven.ApiServer;
using Raven.Kube.Client;
using Raven.TestSupport;
using k8s;
using k8s.Models;

namespace Raven.Kube.Tests.Client;

/// <summary>Read-modify-write with conflict retries (<see cref="ConflictRetry"/>), against the embedded server.</summary>
public sealed class UpdateWithRetryTests : IAsyncLifetime
{
    private EmbeddedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync(new EmbeddedApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) });
        await Core.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new() { Name = "raven-cfg", NamespaceProperty = "kube-system" },
            Data = new Dictionary<string, string> { ["enable-l3-tunnel"] = "false" },
        }, "kube-system");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private ICoreV1Operations Core => _cluster.Client.Api.CoreV1;

    private Task<V1ConfigMap> UpdateAsync(Func<V1ConfigMap, bool> mutate) => ConflictRetry.UpdateAsync(
        ct => Core.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system", cancellationToken: ct),
        mutate,
        (cm, ct) => Core.ReplaceNamespacedConfigMapAsync(cm, "raven-cfg", "kube-system", cancellationToken: ct));

    [Fact]
    public async Task A_conflicting_writer_causes_a_reread_and_both_changes_survive()
    {
        var calls = 0;

        var result = await UpdateAsync(cm =>
        {
            if (calls++ == 0)
            {
                // Another writer slips in between our read and our write.
                UpdateAsync(other =>
                {
                    other.Data["enable-l7-proxy"] = "true";
                    return true;
                }).GetAwaiter().GetResult();
            }

            cm.Data["enable-l3-tunnel"] = "true";
            return true;
        });

        calls.Should().Be(2, "the first write met a conflict and the change was applied again to a fresh read");
        result.Data.Should().Contain("enable-l3-tunnel", "true").And.Contain("enable-l7-proxy", "true");
        (await Core.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system")).Data.Should().Contain("enable-l3-tunnel", "true");
    }

    [Fact]
    public async Task No_change_means_no_write()
    {
        var before = (await Core.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system")).Metadata.ResourceVersion;

        await UpdateAsync(_ => false);

        (await Core.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system")).Metadata.ResourceVersion.Should().Be(before);
    }
}
