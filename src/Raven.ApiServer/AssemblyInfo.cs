using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Raven.ApiServer.Tests")]
