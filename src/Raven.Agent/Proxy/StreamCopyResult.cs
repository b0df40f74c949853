namespace Raven.Agent.Proxy;

/// <summary>How one direction of a copy ended. Failures stay values so layers above decide what they mean.</summary>
public enum StreamCopyResult
{
    /// <summary>The input reached its end and every byte was written.</summary>
    Success,

    /// <summary>Reading the input failed (peer reset, stream aborted).</summary>
    InputError,

    /// <summary>Writing or flushing the output failed.</summary>
    OutputError,

    /// <summary>The caller's token was canceled.</summary>
    Canceled,
}

/// <summary>The outcome of <see cref="StreamCopier.CopyAsync"/>.</summary>
public readonly record struct StreamCopyOutcome(StreamCopyResult Result, long BytesCopied, TimeSpan Duration, Exception? Error);
