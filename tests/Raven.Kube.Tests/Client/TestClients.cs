using Raven.Kube.Client;
using Raven.Kube.Client.Config;

namespace Raven.Kube.Tests.Client;

internal static class TestClients
{
    public static KubeClient With(FakeHandler handler, TimeProvider? time = null, ITokenSource? token = null) =>
        new(new KubeClientConfig { Server = new Uri("https://203.0.113.10:6443"), Token = token, Qps = 0 }, handler, time);
}
