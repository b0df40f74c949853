using System.Text;
using System.Text.Json;
using Raven.Kube.Client.Watch;
using Raven.Kube.Models;

namespace Raven.Kube.Tests.Client;

public sealed class WatchStreamDecoderTests
{
    private const string Stream =
        """{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"5"},"data":{"k":"välue"}}}""" + "\n"
        + """{"type":"MODIFIED","object":{"kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"6"}}}""" + "\n"
        + "\n"
        + """{"type":"BOOKMARK","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"9"}}}""" + "\n"
        + """{"type":"DELETED","object":{"kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"10"}}}""" + "\n"
        + """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (10)","reason":"Expired","code":410}}""" + "\n";

    private static async Task<List<WatchEvent<ConfigMap>>> DecodeAll(Stream stream)
    {
        var events = new List<WatchEvent<ConfigMap>>();
        await foreach (var e in WatchStreamDecoder.DecodeAsync<ConfigMap>(stream))
        {
            events.Add(e);
        }

        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Lines_split_across_reads_decode_the_same(int chunk)
    {
        var events = await DecodeAll(new ChunkedStream(Encoding.UTF8.GetBytes(Stream), chunk));

        events.Select(e => e.Type).Should().Equal(
            WatchEventType.Added, WatchEventType.Modified, WatchEventType.Bookmark, WatchEventType.Deleted, WatchEventType.Error);
        events[0].Object!.Data!["k"].Should().Be("välue", "a multi-byte character split between reads survives");
        events[2].Object!.Metadata.ResourceVersion.Should().Be("9");
        events[4].Object.Should().BeNull();
        events[4].Status!.Code.Should().Be(410);
        events[4].Status!.Reason.Should().Be("Expired");
    }

    [Fact]
    public async Task A_final_line_without_newline_is_still_delivered()
    {
        var text = """{"type":"ADDED","object":{"metadata":{"name":"x"}}}""";

        var events = await DecodeAll(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        events.Should().ContainSingle().Which.Object!.Metadata.Name.Should().Be("x");
    }

    [Theory]
    [InlineData("""{"type":"EXPLODED","object":{}}""", "type 'EXPLODED' is unknown")]
    [InlineData("""{"object":{}}""", "no string 'type'")]
    [InlineData("""{"type":"ADDED"}""", "has no 'object'")]
    public void Malformed_events_name_the_problem(string line, string expected)
    {
        var act = () => WatchStreamDecoder.DecodeLine<ConfigMap>(line);

        act.Should().Throw<JsonException>().Which.Message.Should().Contain(expected);
    }
}
