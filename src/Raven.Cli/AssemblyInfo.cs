using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Raven.Cli.Tests")]
