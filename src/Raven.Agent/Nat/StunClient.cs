using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Raven.Agent.Nat.Stun;

namespace Raven.Agent.Nat;

/// <summary>
/// Binding transactions over one transport, several at a time: one receive loop hands each answer to the
/// transaction with its id. Requests carry FINGERPRINT; answers whose FINGERPRINT is wrong, whose id is unknown, or
/// that are not binding responses are ignored.
/// </summary>
public sealed class StunClient : IAsyncDisposable
{
    /// <summary>The full answer for IPv6: XOR-MAPPED-ADDRESS, RESPONSE-ORIGIN, OTHER-ADDRESS, FINGERPRINT.</summary>
    private const int IPv6AnswerLength = 100;

    private readonly IStunTransport transport;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<StunTransactionId, TaskCompletionSource<StunDatagramAnswer>> pending = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task receiving;

    public StunClient(IStunTransport transport, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        this.transport = transport;
        this.time = time ?? TimeProvider.System;
        receiving = Task.Run(ReceiveLoopAsync);
    }

    public IPEndPoint LocalEndpoint => transport.LocalEndpoint;

    public async Task<StunTransactionOutcome> BindAsync(IPEndPoint server, StunChangeRequest change, StunRetransmission policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(policy));
        }

        var id = StunTransactionId.NewRandom();
        var request = BuildRequest(id, change, server.AddressFamily);
        var answer = new TaskCompletionSource<StunDatagramAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        try
        {
            var rto = policy.InitialRto;
            for (int sent = 1; sent <= policy.MaxRequests; sent++)
            {
                await transport.SendAsync(request, server, cancellationToken).ConfigureAwait(false);
                var wait = sent == policy.MaxRequests ? policy.InitialRto * policy.FinalWaitMultiplier : rto;
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(wait, time, timer.Token);
                var first = await Task.WhenAny(answer.Task, delay).ConfigureAwait(false);
                await timer.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (first == answer.Task)
                {
                    return Interpret(await answer.Task.ConfigureAwait(false), sent);
                }

                rto *= 2;
            }

            return new StunTransactionOutcome(StunOutcomeKind.Timeout, null, null, null, null, null, policy.MaxRequests);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await receiving.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    internal static byte[] BuildRequest(StunTransactionId id, StunChangeRequest change, AddressFamily family)
    {
        var builder = new StunMessageBuilder(StunMessageType.BindingRequest, id);
        if (change != StunChangeRequest.None)
        {
            builder.AddChangeRequest(change);
        }

        // The responder always allows 64 bytes, the full IPv4 answer; only an IPv6 request needs PADDING to earn
        // the full answer (PADDING is comprehension-required, so it is not sent where it is not needed).
        int padding = IPv6AnswerLength - builder.Length - StunBuilderSizes.Fingerprint;
        if (family == AddressFamily.InterNetworkV6 && padding >= StunConstants.AttributeHeaderLength)
        {
            builder.AddPadding(padding);
        }

        return builder.AddFingerprint().ToArray();
    }

    private static StunTransactionOutcome Interpret(StunDatagramAnswer answer, int sent)
    {
        var message = answer.Message;
        if (message.Type.Class == StunClass.ErrorResponse)
        {
            var error = message.ErrorCode;
            return new StunTransactionOutcome(StunOutcomeKind.ErrorResponse, null, answer.Source, null, null,
                error.IsValid ? error.Value : new StunErrorCode(StunErrorCode.ServerError, "error response without a valid ERROR-CODE"), sent);
        }

        var mapped = message.XorMappedAddress is { IsValid: true } xor ? xor.Value : message.MappedAddress is { IsValid: true } plain ? plain.Value : null;
        if (mapped is null)
        {
            return new StunTransactionOutcome(StunOutcomeKind.ErrorResponse, null, answer.Source, null, null,
                new StunErrorCode(StunErrorCode.ServerError, "success response without a mapped address"), sent);
        }

        return new StunTransactionOutcome(StunOutcomeKind.Success, mapped, answer.Source,
            message.ResponseOrigin is { IsValid: true } origin ? origin.Value : null,
            message.OtherAddress is { IsValid: true } other ? other.Value : null, null, sent);
    }

    private async Task ReceiveLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            StunDatagram datagram;
            try
            {
                datagram = await transport.ReceiveAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A transient receive error; the transaction's own timeout decides what it means.
                continue;
            }

            // The payload buffer is reused by the next receive: decode a copy.
            var decoded = StunDecoder.Decode(datagram.Payload.ToArray());
            if (decoded.Message is not { } message
                || message.Type.Method != StunMessageType.BindingMethod
                || message.Type.Class is not (StunClass.SuccessResponse or StunClass.ErrorResponse)
                || (message.FingerprintOffset is not null && !StunIntegrity.VerifyFingerprint(message)))
            {
                continue;
            }

            if (pending.TryGetValue(message.TransactionId, out var answer))
            {
                answer.TrySetResult(new StunDatagramAnswer(message, StunAddressCodec.Normalize(datagram.Source)));
            }
        }
    }

    private sealed record StunDatagramAnswer(StunMessage Message, IPEndPoint Source);
}
