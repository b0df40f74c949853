using System.Runtime.CompilerServices;

// The data-plane benchmark drives the same namespace lab as the network tests instead of a copy of it.
[assembly: InternalsVisibleTo("Raven.Bench.Dataplane")]
