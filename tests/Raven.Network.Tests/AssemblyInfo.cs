using System.Runtime.CompilerServices;

// The data-plane benchmark drives the same namespace lab as the network tests instead of a copy of it.
[assembly: InternalsVisibleTo("Raven.Bench.Dataplane")]

// One test class at a time: the classes share host-global names (WireGuard UAPI sockets, lab prefixes) and their
// timing-sensitive checks (failover, outages) must not compete for the machine's two cores with another lab.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
