namespace Recommender.Tests.Browser;

/// <summary>
/// Debian's Chromium, which Playwright drives through <c>ExecutablePath</c> (browsers cannot be
/// downloaded here; <c>.ci/run</c> installs the package). <c>CHROMIUM_PATH</c> names another.
/// Without it the browser tests are skipped locally, but fail when <c>CI</c> is set.
/// </summary>
public static class Chromium
{
    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static bool IsInstalled => File.Exists(ExecutablePath);

    public static bool ShouldSkip => !IsInstalled && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static string SkipReason => $"Chromium is not installed at {ExecutablePath} (apt-get install chromium, or set CHROMIUM_PATH); CI=true makes this a failure.";
}

/// <summary>A test in a real browser: skipped without Chromium, unless <c>CI</c> is set (then it fails).</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Chromium.ShouldSkip)
            Skip = Chromium.SkipReason;
    }
}
