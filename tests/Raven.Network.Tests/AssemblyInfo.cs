using System.Runtime.CompilerServices;

// One test class at a time: the classes share host-global names (WireGuard UAPI sockets, lab prefixes) and their
// timing-sensitive checks (failover, outages) must not compete for the machine's two cores with another lab.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
