namespace OutlookCalendarSync.Engine;

/// <summary>How <see cref="ISyncEngine.ResetAsync"/> resets a user.</summary>
/// <param name="DeletePolicy">What happens to the synced events.</param>
/// <param name="Scope">What the next run syncs.</param>
public sealed record ResetOptions(ResetDeletePolicy DeletePolicy = ResetDeletePolicy.KeepAll, ResyncScope Scope = ResyncScope.NewEventsOnly);
