using Raven.Agent.Proxy.Tunnel;

namespace Raven.Agent.Tests.Proxy;

/// <summary>Stopping a tunnel server while its streams are ending: Kestrel recycles a connect request's HttpContext
/// as soon as the handler returns, so nothing may touch it afterwards.</summary>
public sealed class TunnelShutdownTests
{
    private const string Node = "edge-gw-1";

    [Fact]
    public async Task Stopping_the_server_while_many_streams_end_is_clean()
    {
        for (var round = 0; round < 10; round++)
        {
            await using var fixture = await TunnelFixture.StartAsync();
            await using var echo = new EchoServer();
            await fixture.ConnectClientAsync(Node);
            var streams = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => fixture.DialAsync(Node, echo.EndPoint)));

            // Each disposal lets its connect handler return on the thread pool while the server is shutting down.
            var ending = Task.WhenAll(streams.Select(s => s.DisposeAsync().AsTask()));
            var stopping = fixture.Server.DisposeAsync().AsTask();

            await ending;
            await stopping.Invoking(t => t).Should().NotThrowAsync();
        }
    }

    [Fact]
    public async Task A_stream_used_after_it_ended_fails_without_touching_the_request()
    {
        await using var fixture = await TunnelFixture.StartAsync();
        await using var echo = new EchoServer();
        await fixture.ConnectClientAsync(Node);
        var stream = await fixture.DialAsync(Node, echo.EndPoint);
        await stream.DisposeAsync();
        await Raven.TestSupport.Poll.UntilAsync(() => stream.Ended, "the connect request ended");

        stream.Abort();
        await stream.CompleteWritesAsync();
        var write = async () => await stream.WriteAsync(new byte[10]);
        var read = async () => await stream.ReadAsync(new byte[10]);

        await write.Should().ThrowAsync<IOException>();
        await read.Should().ThrowAsync<IOException>();
    }
}
