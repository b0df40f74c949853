namespace Raven.Agent; internal static class Empty;
