using System.Runtime.CompilerServices;

// The proxy benchmark uses the tests' in-process PKI instead of a copy of it.
[assembly: InternalsVisibleTo("Raven.Bench.Proxy")]
