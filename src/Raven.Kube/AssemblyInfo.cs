using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Raven.Kube.Tests")]
