using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Raven.ApiServer.Tests;

public class UnixSocketTests
{
    [Fact]
    public async Task Serves_the_api_on_a_unix_socket_too()
    {
        var dir = Directory.CreateTempSubdirectory("rvt-apiserver-uds-").FullName;
        var socket = Path.Combine(dir, "api.sock");
        try
        {
            await using var server = await TestApiServer.StartAsync(o => o.UnixSocketPath = socket);
            using var http = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, ct) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), ct);
                    return new NetworkStream(s, ownsSocket: true);
                },
            })
            { BaseAddress = new Uri("http://localhost") };
            var text = await http.GetStringAsync("/api/v1/namespaces/kube-system");
            JsonNode.Parse(text)!["metadata"]!["name"]!.GetValue<string>().Should().Be("kube-system");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
