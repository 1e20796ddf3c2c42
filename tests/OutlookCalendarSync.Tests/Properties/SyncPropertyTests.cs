using CsCheck;

namespace OutlookCalendarSync.Tests.Properties;

/// <summary>
/// The referee: random sequences of creates, edits and deletes on both sides — of single events, invitations someone else
/// organizes, recurring series and their occurrences — failing writes and crashes between writes.
/// 1,000 sequences per normal run; set OCS_PROPERTY_ITERATIONS for more. A counter-example found here is kept as a regular
/// test in <see cref="SyncPropertyRegressionTests"/>.
/// </summary>
public sealed class SyncPropertyTests
{
    private static readonly Gen<bool> Side = Gen.Bool;

    private static readonly Gen<ScenarioStep> StepGen = Gen.Frequency(
        (4, Gen.Select(Side, Gen.Int[1, 28], Gen.Int[8, 17], (s, d, h) => (ScenarioStep)new CreateStep(s, d, h))),
        (1, Gen.Select(Gen.Int[1, 28], Gen.Int[8, 17], (d, h) => (ScenarioStep)new InvitationStep(d, h))),
        (5, Gen.Select(Side, Gen.Int[0, 50], Gen.Int[0, 3], Gen.Int[0, 99], (s, p, f, v) => (ScenarioStep)new EditStep(s, p, f, v))),
        (2, Gen.Select(Side, Gen.Int[0, 50], (s, p) => (ScenarioStep)new DeleteStep(s, p))),
        (2, Gen.Select(Side, Gen.Int[1, 28], Gen.Int[8, 17], Gen.Int[3, 10], (s, d, h, n) => (ScenarioStep)new CreateSeriesStep(s, d, h, n))),
        (2, Gen.Select(Side, Gen.Int[0, 50], Gen.Int[0, 9], Gen.Int[8, 17], (s, p, i, h) => (ScenarioStep)new AddExceptionStep(s, p, i, h))),
        (2, Gen.Select(Side, Gen.Int[0, 50], Gen.Int[0, 9], (s, p, i) => (ScenarioStep)new DeleteOccurrenceStep(s, p, i))),
        (1, Gen.Select(Side, Gen.Int[1, 3], (s, n) => (ScenarioStep)new FailStep(s, n))),
        (1, Gen.Select(Side, Gen.Int[0, 4], (s, n) => (ScenarioStep)new CrashStep(s, n))),
        (3, Gen.Const((ScenarioStep)new SyncStep())));

    /// <summary>Removes steps one at a time while the scenario still fails (delta debugging), for a readable counter-example.</summary>
    private static ScenarioStep[] Minimize(ScenarioStep[] steps, int? streamedPageSize = null)
    {
        bool shrunk = true;
        while (shrunk)
        {
            shrunk = false;
            for (int i = 0; i < steps.Length; i++)
            {
                ScenarioStep[] candidate = [.. steps[..i], .. steps[(i + 1)..]];
                if (Failure(candidate, streamedPageSize) is not null)
                {
                    steps = candidate;
                    shrunk = true;
                    break;
                }
            }
        }

        return steps;
    }

    private static Exception? Failure(ScenarioStep[] steps, int? streamedPageSize = null)
    {
        try
        {
            using var model = new SyncModel(streamedPageSize);
            model.Run(steps);
            return null;
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException or InvalidOperationException or ArgumentException or KeyNotFoundException or NullReferenceException)
        {
            return ex;
        }
    }

    public static int Iterations => int.TryParse(Environment.GetEnvironmentVariable("OCS_PROPERTY_ITERATIONS"), out int n) && n > 0 ? n : 1_000;

    [Fact]
    public void Sync_RandomEditsFailuresAndCrashes_AlwaysConvergesWithoutLossOrDuplicates() => Check(Iterations, streamedPageSize: null);

    /// <summary>
    /// The same referee with first syncs on the engine's streamed path (the Outlook calendar hands rounds over in pages of 2 single
    /// events, as the Graph adapter does): crashes and failed writes in the middle of a streamed round included.
    /// </summary>
    [Fact]
    public void Sync_StreamedFirstSyncs_RandomEditsFailuresAndCrashes_AlwaysConvergesWithoutLossOrDuplicates()
    {
        Check(Math.Max(1, Iterations / 2), streamedPageSize: 2);
        using var model = new SyncModel(streamedPageSize: 2);
        model.Run([new CreateStep(true, 1, 9), new CreateStep(true, 2, 9), new CreateStep(true, 3, 9), new CreateStep(false, 4, 9)]);
        Assert.Equal(1, model.Paged!.RoundsStreamed);
    }

    private static void Check(int iterations, int? streamedPageSize)
    {
        StepGen.Array[1, 40].Sample(
            steps =>
            {
                if (Failure(steps, streamedPageSize) is { } failure)
                {
                    ScenarioStep[] minimal = Minimize(steps, streamedPageSize);
                    throw new Xunit.Sdk.XunitException(
                        $"{Failure(minimal, streamedPageSize)!.Message}{Environment.NewLine}Minimal scenario (keep it in SyncPropertyRegressionTests):{Environment.NewLine}"
                        + string.Join("," + Environment.NewLine, minimal.Select(s => s.ToString())),
                        failure);
                }
            },
            iter: iterations,
            print: steps => string.Join(Environment.NewLine, steps.Select(s => s.ToString())));
    }
}
