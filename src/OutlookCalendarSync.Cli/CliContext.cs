using Microsoft.Extensions.Configuration;
using NodaTime;
using Spectre.Console;

namespace OutlookCalendarSync.Cli;

/// <summary>What a command may touch of the outside world, so tests can run every command in-process.</summary>
/// <param name="Console">Where results go (standard output).</param>
/// <param name="Error">Where errors go (standard error), plain text.</param>
/// <param name="Environment">Reads an environment variable.</param>
/// <param name="UserSecrets">The user-secrets configuration of the tool (empty when there are none).</param>
/// <param name="Clock">The clock of the demo and of sync runs.</param>
internal sealed record CliContext(
    IAnsiConsole Console,
    TextWriter Error,
    Func<string, string?> Environment,
    IConfiguration UserSecrets,
    IClock Clock)
{
    /// <summary>Gets how <c>connect</c> opens the sign-in URL; returns whether a browser was started. Tests play the browser here.</summary>
    public Func<Uri, bool> OpenBrowser { get; init; } = SignIn.Browser.TryOpen;

    /// <summary>
    /// Gets how a command asks the user a yes/no question (the answer defaults to no), or <see langword="null"/> when nobody can
    /// answer: the input is redirected or the output is not a terminal. Tests answer here.
    /// </summary>
    public Func<string, CancellationToken, Task<bool>>? AskYesNo { get; init; }

    /// <summary>Gets the HTTP client factory MSAL uses, or <see langword="null"/> for MSAL's own (tests: the emulator's).</summary>
    public Microsoft.Identity.Client.IMsalHttpClientFactory? MsalHttpClientFactory { get; init; }

    /// <summary>The context of a real process: the terminal, its environment and the user's secrets store.</summary>
    public static CliContext ForProcess()
    {
        IConfiguration secrets;
        try
        {
            secrets = new ConfigurationBuilder().AddUserSecrets(typeof(CliContext).Assembly, optional: true).Build();
        }
        catch (InvalidOperationException)
        {
            secrets = new ConfigurationBuilder().Build();
        }

        IAnsiConsole console = AnsiConsole.Console;
        bool canAsk = !System.Console.IsInputRedirected && console.Profile.Capabilities.Interactive;
        return new CliContext(console, System.Console.Error, System.Environment.GetEnvironmentVariable, secrets, SystemClock.Instance)
        {
            AskYesNo = canAsk ? (question, cancellationToken) => console.ConfirmAsync(Markup.Escape(question), defaultValue: false, cancellationToken) : null,
        };
    }

    /// <summary>Whether live displays (progress bars, spinners) can be drawn: a terminal, not a pipe or a file.</summary>
    public bool IsInteractive => Console.Profile.Capabilities.Interactive && Console.Profile.Capabilities.Ansi;
}
