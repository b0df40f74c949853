namespace Raven.ApiServer;

/// <summary>Runs the embedded API server until cancelled; what the CLI's <c>raven apiserver</c> command calls.</summary>
public static class ApiServerHost
{
    /// <param name="options">Listen addresses, data directory and HTTPS choice.</param>
    /// <param name="kubeconfigPath">Where to write a kubeconfig once listening; null writes none.</param>
    /// <param name="started">Told the bound URL once the server listens (e.g. to print it).</param>
    /// <param name="cancellationToken">Stops the server.</param>
    public static async Task RunAsync(EmbeddedApiServerOptions options, string? kubeconfigPath, Action<Uri>? started,
        CancellationToken cancellationToken)
    {
        await using var server = new EmbeddedApiServer(options);
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        if (kubeconfigPath is not null) server.WriteKubeconfig(kubeconfigPath);
        started?.Invoke(server.Url);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancellation is the normal way to stop.
        }

        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
