namespace Raven.Agent.Tunnel.IPsec;

/// <summary>A named event charon raised, with its message.</summary>
public sealed record ViciEvent(string Name, ViciSection Message);

/// <summary>A streamed command's answer: the events charon sent before the response, then the response.</summary>
public sealed record ViciStreamResult(IReadOnlyList<ViciSection> Events, ViciSection Response);
