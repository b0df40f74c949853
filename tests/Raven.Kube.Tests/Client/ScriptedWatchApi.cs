using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Raven.Kube.Tests.Client;

/// <summary>
/// Answers list and watch calls in script order: the n-th list gets Lists[n], the n-th watch gets Watches[n]
/// (null = an idle stream that hangs until cancelled; a number = that HTTP status). Beyond the script, lists
/// repeat the last entry and watches hang.
/// </summary>
internal sealed class ScriptedWatchApi
{
    private int _lists;
    private int _watches;

    public List<object> Lists { get; } = [];

    public List<object?> Watches { get; } = [];

    public ConcurrentQueue<string> Calls { get; } = new();

    public int ListCount => _lists;

    public int WatchCount => _watches;

    public FakeHandler Handler() => new((request, _) => Task.FromResult(Respond(request)));

    public static string Line(string type, string name, string rv) =>
        "{\"type\":\"" + type + "\",\"object\":" + Item(name, rv) + "}\n";

    public static string List(string rv, params (string Name, string Rv)[] items) =>
        "{\"metadata\":{\"resourceVersion\":\"" + rv + "\"},\"items\":[" + string.Join(',', items.Select(i => Item(i.Name, i.Rv))) + "]}";

    private static string Item(string name, string rv) =>
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"ns\",\"resourceVersion\":\"" + rv + "\"}}";

    private HttpResponseMessage Respond(HttpRequestMessage request)
    {
        var query = request.RequestUri!.Query;
        Calls.Enqueue(request.RequestUri.PathAndQuery);
        if (query.Contains("watch=true", StringComparison.Ordinal))
        {
            var n = Interlocked.Increment(ref _watches) - 1;
            return n < Watches.Count ? Answer(Watches[n]) : Answer(null);
        }

        var l = Interlocked.Increment(ref _lists) - 1;
        return Answer(Lists[Math.Min(l, Lists.Count - 1)]);
    }

    private static HttpResponseMessage Answer(object? script) => script switch
    {
        null => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new HangingStream()) },
        int code => FakeHandler.Json((HttpStatusCode)code, $$"""{"kind":"Status","code":{{code}},"message":"scripted failure"}"""),
        string body => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") },
        _ => throw new ArgumentException("bad script entry"),
    };
}
