using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Raven.Controller.Webhooks;

/// <summary>
/// Serves the current tls.crt/tls.key and picks up rotations. Files are compared by content, not mtime,
/// because Secret volumes rotate by swapping a symlink and cert-manager may rewrite within one second.
/// A pair that fails to load (e.g. key written before certificate) keeps the previous certificate in service.
/// </summary>
public sealed class CertificateReloader : IDisposable
{
    private readonly string _dir;
    private readonly ILogger _logger;
    private byte[] _fingerprint = [];
    private X509Certificate2 _current;

    public CertificateReloader(string dir, ILogger logger)
    {
        _dir = dir;
        _logger = logger;
        _fingerprint = Fingerprint();
        _current = WebhookCertificates.Load(dir);
    }

    public X509Certificate2 Current => Volatile.Read(ref _current);

    /// <summary>Reloads when the files changed; returns true when a new certificate is now served.</summary>
    public bool ReloadIfChanged()
    {
        byte[] fingerprint;
        try
        {
            fingerprint = Fingerprint();
        }
        catch (IOException ex)
        {
            _logger.LogWarning("webhook certificate files in {Dir} unreadable, keeping the current one: {Error}", _dir, ex.Message);
            return false;
        }

        if (fingerprint.AsSpan().SequenceEqual(_fingerprint))
        {
            return false;
        }

        try
        {
            var next = WebhookCertificates.Load(_dir);
            _fingerprint = fingerprint;
            Interlocked.Exchange(ref _current, next);
            _logger.LogInformation("webhook serving certificate reloaded from {Dir}: {Subject}, expires {NotAfter:u}", _dir, next.Subject, next.NotAfter.ToUniversalTime());
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException or IOException)
        {
            _logger.LogWarning("webhook certificate in {Dir} does not load yet, keeping the current one: {Error}", _dir, ex.Message);
            return false;
        }
    }

    /// <summary>Polls until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WatchAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                ReloadIfChanged();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    public void Dispose() => _current.Dispose();

    private byte[] Fingerprint()
    {
        var cert = File.ReadAllBytes(Path.Combine(_dir, WebhookCertificates.CertFile));
        var key = File.ReadAllBytes(Path.Combine(_dir, WebhookCertificates.KeyFile));
        return SHA256.HashData([.. cert, .. key]);
    }
}
