using Raven.Kube.Client;
using Raven.Kube.Client.Config;

namespace Raven.Kube.Tests.Client;

internal static class TestClients
{
    /// <summary>A client whose requests all go to <paramref name="handler"/> (nothing leaves the process).</summary>
    public static KubeClient With(FakeHandler handler, TimeProvider? time = null, TimeSpan? requestTimeout = null, string server = "https://203.0.113.10:6443") =>
        new(KubeEndpoint.ForServer(server), new KubeClientOptions
        {
            Qps = 0,
            InnermostHandler = handler,
            Time = time ?? TimeProvider.System,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30),
        });
}
