using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Agent.Benchmark;
using Raven.Api;
using Raven.Api.Benchmark;
using Raven.Cli.Commands;
using Raven.Cli.Tests.Support;
using Raven.Kube.Client;
using Raven.TestSupport;

namespace Raven.Cli.Tests.Benchmark;

/// <summary>
/// `raven benchmark` against the embedded API server with two in-process agent benchmark services, hz-2 on 127.0.0.2
/// and qd-2 on 127.0.0.3: the request travels through the API, the bytes over loopback.
/// </summary>
public sealed class BenchmarkIntegrationTests : IAsyncLifetime
{
    private static readonly IPAddress Hz2 = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Qd2 = IPAddress.Parse("127.0.0.3");
    private readonly string _directory = Directory.CreateTempSubdirectory("raven-benchmark-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<KubeClient> _agentClients = [];
    private readonly List<Task> _agents = [];
    private EmbeddedCluster _cluster = null!;
    private string _kubeconfig = "";
    private int _port;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedCluster.StartAsync();
        _kubeconfig = Kubeconfigs.Write(_directory, _cluster.Server.Url.ToString());
        foreach (var node in new[] { "hz-2", "qd-2" })
        {
            await _cluster.Client.Api.CoreV1.CreateNodeAsync(new V1Node { Metadata = new() { Name = node } });
        }

        using (var probe = new TcpListener(Qd2, 0))
        {
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        IPAddress? Address(string node) => node switch { "hz-2" => Hz2, "qd-2" => Qd2, _ => null };
        foreach (var node in new[] { "hz-2", "qd-2" })
        {
            var client = EmbeddedCluster.NewClient(_cluster.Server);
            _agentClients.Add(client);
            var requests = new KubeBenchmarkRequests(client);
            _agents.Add(requests.RunAsync(_stop.Token));
            _agents.Add(new BenchmarkService(node, requests, Address, NullLogger.Instance, _port).RunAsync(_stop.Token));
        }
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_agents).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _agentClients.ForEach(c => c.Dispose());
        await _cluster.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
        _stop.Dispose();
    }

    [Fact]
    public async Task Measures_through_the_agents_and_leaves_no_request_behind()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await BenchmarkCommand.RunAsync("hz-2", "qd-2", 1, 20, _kubeconfig, null, "json", output, errors, terminal: false, CancellationToken.None);

        exit.Should().Be(0, errors.ToString());
        var json = JsonNode.Parse(output.ToString())!;
        json["targetAddress"]!.GetValue<string>().Should().Be("127.0.0.3");
        json["throughput"]!["bytes"]!.GetValue<long>().Should().BePositive("the target counted what it received");
        json["latency"]!["samples"]!.GetValue<int>().Should().Be(20);
        errors.ToString().Should().MatchRegex(@"\d\d:\d\d:\d\dZ created kube-system/raven-benchmark-[0-9a-f]{8}");
        (await BenchmarkConfigMapsAsync()).Should().BeEmpty("the command deletes the request and its result");
        (await ListeningAsync(Qd2)).Should().BeFalse("nothing listens once the request is gone");
    }

    [Fact]
    public async Task Nothing_listens_unless_asked_and_a_wrong_token_gets_no_service()
    {
        (await ListeningAsync(Qd2)).Should().BeFalse("no request names qd-2");
        var request = BenchmarkRequest.New("sz-1", "qd-2", 30, 1, DateTimeOffset.UtcNow);
        await CreateAsync(request);
        await Poll.UntilAsync(() => ListeningAsync(Qd2), "qd-2 listens for the request", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        using var client = new TcpClient();
        await client.ConnectAsync(Qd2, _port);
        var stream = client.GetStream();
        await stream.WriteAsync(BenchmarkWire.Hello(BenchmarkWire.Echo, new byte[32]));
        await stream.WriteAsync(new byte[8]);
        var read = await stream.ReadAsync(new byte[8]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        read.Should().Be(0, "the target closes a connection without the request's token");

        await _cluster.Client.Api.CoreV1.DeleteNamespacedConfigMapAsync(request.Name, WellKnown.WorkingNamespace);
        await Poll.UntilAsync(async () => !await ListeningAsync(Qd2), "qd-2 stops listening once the request is deleted", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task A_node_busy_with_another_request_is_refused_and_bad_arguments_exit_2()
    {
        await CreateAsync(BenchmarkRequest.New("qd-2", "sz-1", 30, 1, DateTimeOffset.UtcNow));
        var errors = new StringWriter();

        var exit = await BenchmarkCommand.RunAsync("hz-2", "qd-2", 1, 5, _kubeconfig, null, "table", new StringWriter(), errors, terminal: false, CancellationToken.None);

        exit.Should().Be(1);
        errors.ToString().Should().Contain("one benchmark at a time per node");
        var bad = new StringWriter();
        (await BenchmarkCommand.RunAsync("hz-2", "hz-2", 99, 5, _kubeconfig, null, "table", new StringWriter(), bad, terminal: false, CancellationToken.None)).Should().Be(2);
        bad.ToString().Should().Contain("NODE_B: must differ from NODE_A").And.Contain("--seconds: 99 is outside 1..30");
        var missing = new StringWriter();
        (await BenchmarkCommand.RunAsync("hz-2", "nowhere", 1, 5, _kubeconfig, null, "table", new StringWriter(), missing, terminal: false, CancellationToken.None)).Should().Be(1);
        missing.ToString().Should().Contain("NODE_B: node nowhere does not exist");
    }

    private Task CreateAsync(BenchmarkRequest request) => _cluster.Client.Api.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
    {
        Metadata = new() { Name = request.Name, Labels = new Dictionary<string, string> { [BenchmarkRequest.Label] = BenchmarkRequest.RequestRole } },
        Data = request.ToData().ToDictionary(),
    }, WellKnown.WorkingNamespace);

    private async Task<List<string>> BenchmarkConfigMapsAsync() =>
        [.. (await _cluster.Client.Api.CoreV1.ListNamespacedConfigMapAsync(WellKnown.WorkingNamespace, labelSelector: BenchmarkRequest.Label)).Items.Select(c => c.Metadata.Name)];

    private async Task<bool> ListeningAsync(IPAddress address)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, _port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
