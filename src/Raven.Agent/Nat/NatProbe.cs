using System.Net;
using System.Net.Sockets;
using Raven.Agent.Nat.Stun;

namespace Raven.Agent.Nat;

/// <summary>
/// One discovery run over one transport (the tunnel's local port), in an order that keeps each test meaningful:
/// <list type="number">
/// <item>Test I, a plain binding to the primary endpoint: the public address:port, OTHER-ADDRESS.</item>
/// <item>Filtering, while nothing has been sent anywhere but the primary endpoint: "change port" (and, with a second
/// responder address, "change address and port") in parallel; an answer that arrives passed the NAT's filter.</item>
/// <item>Mapping: bindings to the alternate port, the other address (RFC 5780 tests II and III) and an alternate
/// responder, compared with test I.</item>
/// </list>
/// The answers to CHANGE-REQUEST come from the responder's send-only port, which no client ever sends to, so no
/// earlier run can have opened a filter for it. Then <see cref="NatClassifier"/> interprets.
/// </summary>
public static class NatProbe
{
    public static async Task<NatDiscoveryResult> RunAsync(StunClient client, NatDiscoveryOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Deadline);
        try
        {
            return await RunCoreAsync(client, options, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return NatDiscoveryResult.Failed(NatDiscoveryFailure.DeadlineExceeded, $"no result within {options.Deadline}");
        }
        catch (SocketException ex)
        {
            return NatDiscoveryResult.Failed(NatDiscoveryFailure.Transport, $"sending from {client.LocalEndpoint}: {ex.Message}");
        }
    }

    private static async Task<NatDiscoveryResult> RunCoreAsync(StunClient client, NatDiscoveryOptions options, CancellationToken ct)
    {
        var responder = options.Responder;
        var first = await client.BindAsync(responder, StunChangeRequest.None, options.Binding, ct).ConfigureAwait(false);
        if (first.Kind == StunOutcomeKind.Timeout)
        {
            return NatDiscoveryResult.Failed(NatDiscoveryFailure.NoAnswer, $"{responder} did not answer {first.RequestsSent} binding requests from {client.LocalEndpoint}");
        }

        if (!first.IsSuccess)
        {
            return NatDiscoveryResult.Failed(NatDiscoveryFailure.Refused, $"{responder} answered {first.Error}");
        }

        var other = first.OtherAddress;
        bool twoAddresses = other is not null && !other.Address.Equals(responder.Address);

        // Filtering first: only the primary endpoint has been sent to so far.
        bool? portAnswered = null;
        bool? bothAnswered = null;
        bool refused = false;
        if (other is not null)
        {
            var changePort = client.BindAsync(responder, StunChangeRequest.ChangePort, options.Probe, ct);
            var changeBoth = twoAddresses
                ? client.BindAsync(responder, StunChangeRequest.ChangeAddress | StunChangeRequest.ChangePort, options.Probe, ct)
                : null;
            var port = await changePort.ConfigureAwait(false);
            var both = changeBoth is null ? null : await changeBoth.ConfigureAwait(false);
            refused = port.Kind == StunOutcomeKind.ErrorResponse || both?.Kind == StunOutcomeKind.ErrorResponse;
            portAnswered = port.IsSuccess;
            bothAnswered = both?.IsSuccess;
        }

        // Mapping: now the other endpoints may be sent to.
        IPEndPoint? alternatePort = null;
        IPEndPoint? otherAddress = null;
        IPEndPoint? otherAddressAlternatePort = null;
        IPEndPoint? alternateResponder = null;
        if (other is not null)
        {
            alternatePort = await MappedAsync(client, new IPEndPoint(responder.Address, other.Port), options, ct).ConfigureAwait(false);
            if (twoAddresses)
            {
                otherAddress = await MappedAsync(client, new IPEndPoint(other.Address, responder.Port), options, ct).ConfigureAwait(false);
                if (otherAddress is not null && !otherAddress.Equals(first.Mapped))
                {
                    otherAddressAlternatePort = await MappedAsync(client, other, options, ct).ConfigureAwait(false);
                }
            }
        }

        if (options.AlternateResponder is { } alternate)
        {
            alternateResponder = await MappedAsync(client, alternate, options, ct).ConfigureAwait(false);
        }

        var observations = new NatObservations
        {
            Local = client.LocalEndpoint,
            Responder = responder,
            MappedPrimary = first.Mapped!,
            OtherAddress = other,
            MappedAlternatePort = alternatePort,
            MappedOtherAddress = otherAddress,
            MappedOtherAddressAlternatePort = otherAddressAlternatePort,
            MappedAlternateResponder = alternateResponder,
            ChangePortAnswered = portAnswered,
            ChangeAddressAndPortAnswered = bothAnswered,
            ChangeRequestRefused = refused,
        };
        return NatDiscoveryResult.Ok(NatClassifier.Classify(observations), observations);
    }

    private static async Task<IPEndPoint?> MappedAsync(StunClient client, IPEndPoint destination, NatDiscoveryOptions options, CancellationToken ct)
    {
        var outcome = await client.BindAsync(destination, StunChangeRequest.None, options.Probe, ct).ConfigureAwait(false);
        return outcome.IsSuccess ? outcome.Mapped : null;
    }
}
