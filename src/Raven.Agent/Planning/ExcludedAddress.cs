using Raven.Api.Net;

namespace Raven.Agent.Planning;

/// <summary>
/// A prefix a remote Gateway announced for one of its nodes that the plan keeps (wholly or partly) out of the
/// tunnel. <see cref="LeftOut"/> is the part not routed; <see cref="CollidesWith"/> names who else claims it.
/// </summary>
public sealed record ExcludedAddress(string Gateway, string NodeName, Cidr Announced, ValueList<Cidr> LeftOut, string CollidesWith)
{
    public override string ToString() => $"gateway/{Gateway} node {NodeName} {Announced} ({CollidesWith})";
}
