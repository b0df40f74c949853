using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Raven.Kube.Client;
using Raven.Kube.Resilience;

namespace Raven.Agent.Proxy.Certificates;

/// <summary>
/// Holds one proxy certificate: reuses the stored one while it is valid and carries the wanted SANs, requests a new one
/// through a CertificateSigningRequest otherwise, and renews at 80 % of its lifetime. Everything runs in the background;
/// callers read <see cref="Current"/> or await <see cref="Ready"/> and are never blocked.
/// </summary>
public sealed partial class CsrCertificateManager : IAsyncDisposable
{
    private readonly ProxyCertificateProfile _profile;
    private readonly string _nodeName;
    private readonly CertificateFileStore _store;
    private readonly CsrRequester _requester;
    private readonly CsrCertificateManagerOptions _options;
    private readonly Func<X509Certificate2Collection> _authorities;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private X509Certificate2? _current;
    private CertificateSans _desiredSans;
    private Task? _loop;
    private int _disposed;

    public CsrCertificateManager(ProxyCertificateProfile profile, string nodeName, string stateDirectory, KubeClient client,
        CertificateSans sans, Func<X509Certificate2Collection> authorities, CsrCertificateManagerOptions? options = null,
        ILogger? logger = null, TimeProvider? clock = null)
    {
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        ArgumentNullException.ThrowIfNull(client);
        _nodeName = nodeName;
        _desiredSans = sans ?? throw new ArgumentNullException(nameof(sans));
        _authorities = authorities ?? throw new ArgumentNullException(nameof(authorities));
        _options = options ?? new CsrCertificateManagerOptions();
        _clock = clock ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _store = new CertificateFileStore(stateDirectory, profile.FilePrefix);
        _requester = new CsrRequester(client, _clock, _options.PollInterval, _options.Identity);
    }

    public ProxyCertificateProfile Profile => _profile;

    /// <summary>The certificate in use (with its key), or null until the first one is available.</summary>
    public X509Certificate2? Current => Volatile.Read(ref _current);

    /// <summary>Completes when a certificate is first available.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Why the last request failed, or null after a success.</summary>
    public string? LastError { get; private set; }

    /// <summary>Raised after <see cref="Current"/> changed.</summary>
    public event EventHandler? Changed;

    /// <summary>Sets the SANs the certificate must carry; a different set makes the manager request a new certificate
    /// (the old one stays in use meanwhile). Only serving certificates compare SANs.</summary>
    public void SetDesiredSans(CertificateSans sans)
    {
        ArgumentNullException.ThrowIfNull(sans);
        if (Interlocked.Exchange(ref _desiredSans, sans).Equals(sans))
        {
            return;
        }

        _wake.Release();
    }

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var stored = _store.Load(out var problem);
        if (problem is not null)
        {
            LogUnusableFile(_profile.FilePrefix, problem);
        }

        if (stored is not null)
        {
            var decision = Decide(stored);
            if (decision.Action == RenewalAction.Replace)
            {
                LogDiscarded(_profile.FilePrefix, decision.Reason);
                stored.Dispose();
            }
            else
            {
                LogReused(_profile.FilePrefix, stored.Subject, decision.Reason);
                Publish(stored);
            }
        }

        var backoff = new Backoff(_options.InitialRetryDelay, _options.MaxRetryDelay);
        var retryDelay = backoff.Next();
        while (!cancellationToken.IsCancellationRequested)
        {
            var decision = Decide(Current);
            if (decision.Action == RenewalAction.Keep)
            {
                await WaitAsync(decision.RenewAt - _clock.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                continue;
            }

            LogRequesting(_profile.FilePrefix, decision.Reason);
            try
            {
                await RequestAsync(cancellationToken).ConfigureAwait(false);
                backoff.Reset();
                retryDelay = backoff.Next();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Whatever failed (API errors, timeouts, a full disk, a certificate that does not match our key), the
                // manager must keep trying: it is the only source of this certificate.
                LastError = e.Message;
                LogRequestFailed(_profile.FilePrefix, e.Message, retryDelay);
                await WaitAsync(retryDelay, cancellationToken).ConfigureAwait(false);
                retryDelay = backoff.Next();
            }
        }
    }

    private RenewalDecision Decide(X509Certificate2? certificate)
    {
        var authorities = _authorities();
        var usage = _profile.IsServer ? CertificateTrust.ServerAuth : CertificateTrust.ClientAuth;
        var trustProblem = certificate is null || authorities.Count == 0 ? null : CertificateTrust.Check(certificate, authorities, usage);
        return RenewalPolicy.Decide(certificate, _profile, _profile.IsServer ? Volatile.Read(ref _desiredSans) : null, trustProblem,
            _clock.GetUtcNow());
    }

    private async Task RequestAsync(CancellationToken cancellationToken)
    {
        var sans = Volatile.Read(ref _desiredSans);
        var (key, requestPem) = CsrRequester.CreateRequest(_profile, sans);
        using (key)
        {
            var name = CsrRequester.NewName(_profile, _nodeName);
            var pem = await _requester.RequestAsync(name, _profile, requestPem, _options.RequestTimeout, cancellationToken)
                .ConfigureAwait(false);
            var certificate = CsrRequester.Combine(pem, key);
            _store.Save(pem, key);
            LastError = null;
            LogIssued(_profile.FilePrefix, name, certificate.NotAfter, CertificateSans.Of(certificate).ToString());
            Publish(certificate);
        }
    }

    private void Publish(X509Certificate2 certificate)
    {
        // The previous certificate is not disposed: connections that are still open may use it.
        Volatile.Write(ref _current, certificate);
        _ready.TrySetResult();
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        // SemaphoreSlim timers are limited to ~24 days; waking daily just re-evaluates the decision.
        var bounded = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : delay;
        try
        {
            await _wake.WaitAsync(bounded, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "certificate {Prefix}: {Problem}; requesting a new one")]
    private partial void LogUnusableFile(string prefix, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "certificate {Prefix}: stored certificate discarded: {Reason}")]
    private partial void LogDiscarded(string prefix, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "certificate {Prefix}: reusing stored {Subject} ({Reason})")]
    private partial void LogReused(string prefix, string subject, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "certificate {Prefix}: requesting a new certificate: {Reason}")]
    private partial void LogRequesting(string prefix, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "certificate {Prefix}: {Error}; retrying in {Delay}")]
    private partial void LogRequestFailed(string prefix, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "certificate {Prefix}: issued by CSR {Name}, valid until {NotAfter}, SANs [{Sans}]")]
    private partial void LogIssued(string prefix, string name, DateTime notAfter, string sans);
}
