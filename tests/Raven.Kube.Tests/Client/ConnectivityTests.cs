using System.Net;
using k8s;
using Microsoft.AspNetCore.Http;
using Raven.Kube.Client;
using Raven.Kube.Models;

namespace Raven.Kube.Tests.Client;

/// <summary>Raven's handlers in the official client's pipeline: connectivity, errors naming the server, timeouts, QPS, Unix sockets.</summary>
public sealed class ConnectivityTests
{
    private const string ConfigMapJson = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"raven-cfg","namespace":"kube-system"}}""";

    [Fact]
    public async Task A_transport_failure_names_the_server_and_request_and_marks_the_server_unreachable_until_it_answers()
    {
        var refuse = true;
        var handler = new FakeHandler((_, _) => refuse
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (localhost:80)")
            : Task.FromResult(FakeHandler.Json(HttpStatusCode.InternalServerError, """{"kind":"Status","code":500,"message":"busy"}""")));
        using var client = TestClients.With(handler, server: "unix:///run/raven/api.sock");
        var changes = new List<bool>();
        client.Connectivity.Changed += changes.Add;

        var act = () => client.Api.CoreV1.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system");

        (await act.Should().ThrowAsync<HttpRequestException>()).Which.Message
            .Should().Be("GET unix:///run/raven/api.sock/api/v1/namespaces/kube-system/configmaps/raven-cfg: Connection refused (localhost:80)");
        client.Connectivity.ReachableSince.Should().BeNull();
        client.Connectivity.LastError.Should().Contain("Connection refused");
        refuse = false;
        await act.Should().ThrowAsync<k8s.Autorest.HttpOperationException>("an error status is still an answer");
        client.Connectivity.ReachableSince.Should().NotBeNull();
        client.Connectivity.UnreachableSince.Should().BeNull();
        changes.Should().Equal(false, true);
    }

    [Fact]
    public async Task A_request_without_response_headers_times_out_naming_it()
    {
        var handler = new FakeHandler(async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30));
            return FakeHandler.Json(HttpStatusCode.OK, "{}");
        });
        using var client = TestClients.With(handler, requestTimeout: TimeSpan.FromMilliseconds(100));

        var act = () => client.Api.CoreV1.ReadNodeAsync("n1");

        await act.Should().ThrowAsync<TimeoutException>().WithMessage("GET https://203.0.113.10:6443/api/v1/nodes/n1: no response within 0.1s");
        client.Connectivity.UnreachableSince.Should().NotBeNull();
    }

    [Fact]
    public async Task Requests_beyond_the_burst_wait_for_a_token()
    {
        var handler = new FakeHandler((_, _) => Task.FromResult(FakeHandler.Json(HttpStatusCode.OK, ConfigMapJson)));
        using var client = new KubeClient(Raven.Kube.Client.Config.KubeEndpoint.ForServer("https://203.0.113.10:6443"),
            new KubeClientOptions { Qps = 0.001, Burst = 1, InnermostHandler = handler });
        using var cancel = new CancellationTokenSource();

        await client.Api.CoreV1.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system");
        var second = client.Api.CoreV1.ReadNamespacedConfigMapAsync("raven-cfg", "kube-system", cancellationToken: cancel.Token);
        await Task.WhenAny(second, Task.Delay(300));
        second.IsCompleted.Should().BeFalse("the burst of one is spent and the next token is 1000 s away");
        await cancel.CancelAsync();

        await second.Invoking(t => t).Should().ThrowAsync<OperationCanceledException>();
        handler.Requests.Should().HaveCount(1, "the waiting request never went out");
    }

    [Fact]
    public async Task Unix_socket_servers_are_reached_through_the_socket()
    {
        using var dir = new TempDir();
        var socket = Path.Combine(dir.Path, "api.sock");
        string? host = null;
        string? agent = null;
        await using var server = await TestServer.StartAsync(o => o.ListenUnixSocket(socket), async context =>
        {
            host = context.Request.Host.Value;
            agent = context.Request.Headers.UserAgent;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"apiVersion":"v1","kind":"Node","metadata":{"name":"edge-1"},"status":{"addresses":[{"type":"InternalIP","address":"192.0.2.10"}]}}""");
        });
        var kubeconfig = dir.Write("kubeconfig", $$$"""
            apiVersion: v1
            kind: Config
            current-context: local
            clusters: [{name: local, cluster: {server: "unix://{{{socket}}}"}}]
            contexts: [{name: local, context: {cluster: local, user: nobody}}]
            users: [{name: nobody, user: {}}]
            """);
        using var client = KubeClient.Create(kubeconfig);

        var node = await client.Api.CoreV1.ReadNodeAsync("edge-1");

        node.Address(KubeModelExtensions.AddressInternalIP).Should().Be("192.0.2.10");
        client.ServerDisplay.Should().Be("unix://" + socket);
        host.Should().Be("localhost");
        agent.Should().StartWith("raven/");
    }
}
