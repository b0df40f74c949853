using k8s;
using Raven.Kube.Client.Config;
using Raven.Kube.Client.Http;

namespace Raven.Kube.Client;

/// <summary>
/// One connection to one API server through the official client (<see cref="Api"/>), with Raven's thin layer in its
/// HTTP pipeline: client-side QPS/burst, connectivity tracking (<see cref="Connectivity"/>), errors that name the
/// server, and Unix-socket servers. Typed objects go through <see cref="Api"/> directly; Raven's own models
/// (Gateways) through <see cref="CustomObjects{T}"/>; informers through <see cref="Cache.Informer{T}"/>.
/// </summary>
public sealed class KubeClient : IDisposable
{
    private static readonly TimeSpan BodyMargin = TimeSpan.FromSeconds(10);
    private readonly Kubernetes _api;

    public KubeClient(KubeEndpoint endpoint, KubeClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        Options = options ?? new KubeClientOptions();
        Connectivity = new ApiConnectivity(Time);
        var configuration = endpoint.Configuration;
        configuration.UserAgent = Options.UserAgent;
        // Our handler bounds the headers and turns the overrun into a TimeoutException naming the request; the
        // library's own timeout, a little later, bounds reading a non-watch body.
        configuration.HttpClientTimeout = Options.RequestTimeout + BodyMargin;
        if (endpoint.UnixSocketPath is { } socket)
        {
            configuration.FirstMessageHandlerSetup = handler => UnixSocketConnector.Configure(handler, socket);
        }

        var handlers = new List<DelegatingHandler>();
        if (Options.Qps > 0)
        {
            handlers.Add(new RateLimitHandler(new TokenBucket(Options.Qps, Math.Max(1, Options.Burst), Time)));
        }

        handlers.Add(new ApiConnectivityHandler(Connectivity, endpoint.Server, Options.RequestTimeout));
        if (Options.InnermostHandler is { } innermost)
        {
            handlers.Add(innermost);
        }

        _api = new Kubernetes(configuration, [.. handlers]);
    }

    /// <summary>The official client.</summary>
    public IKubernetes Api => _api;

    public KubeEndpoint Endpoint { get; }

    public KubeClientOptions Options { get; }

    /// <summary>Whether the API server has been answering this client's requests, and since when.</summary>
    public ApiConnectivity Connectivity { get; }

    /// <summary>The server as an operator configured it (https://host:port or unix:///path), for messages.</summary>
    public string ServerDisplay => Endpoint.Server;

    public TimeProvider Time => Options.Time;

    /// <summary>Resolves the configuration (--kubeconfig, $KUBECONFIG, in-cluster, ~/.kube/config) and connects.</summary>
    public static KubeClient Create(string? kubeconfigPath = null, string? context = null, KubeClientOptions? options = null) =>
        new(KubeConfigLoader.LoadDefault(kubeconfigPath, context), options);

    /// <summary>A client for a server that needs no credentials: http://host:port or unix:///path (tests, the lab).</summary>
    public static KubeClient ForServer(string server, KubeClientOptions? options = null) => new(KubeEndpoint.ForServer(server), options);

    /// <summary>Verbs for a custom resource whose model is Raven's own (see <see cref="KubeResources"/>).</summary>
    public CustomObjectClient<T> CustomObjects<T>(RavenResource<T> resource)
        where T : class => new(this, resource);

    public void Dispose() => _api.Dispose();
}
