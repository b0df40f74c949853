using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Raven.Agent.Tests")]
[assembly: InternalsVisibleTo("Raven.Network.Tests")]
[assembly: InternalsVisibleTo("Raven.Cli.Tests")]
[assembly: InternalsVisibleTo("Raven.TestSupport")]
