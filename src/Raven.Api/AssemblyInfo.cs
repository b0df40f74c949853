using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Raven.Api.Tests")]
