namespace Raven.Kube; internal static class Empty;
