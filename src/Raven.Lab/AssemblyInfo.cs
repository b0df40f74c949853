using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Raven.Lab.Tests")]
[assembly: InternalsVisibleTo("Raven.Network.Tests")]
