using Recommender.Training.Data;

namespace Recommender.Training.Evaluation;

/// <summary>
/// Decides what each training fits. A fixed algorithm in the settings is taken as it is; with
/// "auto" the choice comes from <see cref="ModelSelection"/> on the shop's own holdout, kept
/// for <see cref="TrainingSettings.SelectionIntervalHours"/> (selection tries many candidates;
/// the every-minute trainings only refit the winner) unless the shop grows or shrinks by a
/// quarter or the settings change. One instance per trainer; not thread-safe.
/// </summary>
public sealed class CandidateChooser(TimeProvider clock)
{
    private const double RegrowthFactor = 1.25;

    private SelectionResult? _last;
    private DateTimeOffset _selectedAt;
    private int _interactionsAtSelection;
    private string _settingsAtSelection = "";

    /// <summary>The last selection made, for logs and the manifest; null before the first.</summary>
    public SelectionResult? LastSelection => _last;

    /// <summary>Returns the candidate to fit, and whether a new selection was run to find it.</summary>
    public (Candidate Candidate, bool Selected) Choose(InteractionLog log, TrainingSettings settings, CancellationToken cancellationToken)
    {
        if (settings.FixedCandidate is { } fixedCandidate) return (fixedCandidate, false);

        var settingsFingerprint = settings.Fingerprint();
        if (_last is not null &&
            clock.GetUtcNow() - _selectedAt < TimeSpan.FromHours(settings.SelectionIntervalHours) &&
            settingsFingerprint == _settingsAtSelection &&
            log.Count <= _interactionsAtSelection * RegrowthFactor &&
            log.Count * RegrowthFactor >= _interactionsAtSelection)
            return (_last.Winner, false);

        var options = new ModelSelectionOptions { TimeBudget = TimeSpan.FromSeconds(settings.SelectionBudgetSeconds) };
        _last = ModelSelection.Select(log, settings.Weights, options, cancellationToken);
        _selectedAt = clock.GetUtcNow();
        _interactionsAtSelection = log.Count;
        _settingsAtSelection = settingsFingerprint;
        return (_last.Winner, true);
    }
}
