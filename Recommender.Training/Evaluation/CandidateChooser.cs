using Recommender.Training.Artifacts;
using Recommender.Training.Data;

namespace Recommender.Training.Evaluation;

/// <summary>What a training fits, and the selection it came from (null for a fixed algorithm).</summary>
public sealed record Choice(Candidate Candidate, SelectionRecord? Selection, SelectionResult? NewSelection)
{
    /// <summary>True when a selection was run to make this choice (it is in <see cref="NewSelection"/>).</summary>
    public bool Selected => NewSelection is not null;
}

/// <summary>
/// Decides what each training fits. A fixed algorithm in the settings is taken as it is; with
/// "auto" the choice comes from <see cref="ModelSelection"/> on the shop's own holdout, and is
/// kept in the manifest of every model trained with it (<see cref="SelectionRecord"/>): the next
/// training — on this replica or any other that serves that model — reuses it for
/// <see cref="TrainingSettings.SelectionIntervalHours"/>, unless the shop grows or shrinks by a
/// quarter or the settings change. Selection tries many candidates; the every-minute trainings
/// only refit the winner.
/// </summary>
public sealed class CandidateChooser(TimeProvider clock)
{
    /// <param name="serving">The manifest of the model serving now, whose choice may still hold.</param>
    public Choice Choose(InteractionLog log, TrainingSettings settings, ModelManifest? serving, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.FixedCandidate is { } fixedCandidate) return new Choice(fixedCandidate, null, null);

        if (serving?.Selection is { } previous && previous.StillHolds(log, settings, clock.GetUtcNow()))
        {
            try { return new Choice(previous.ToCandidate(), previous, null); }
            catch (InvalidDataException) { }     // written by another version: select anew
        }

        var options = new ModelSelectionOptions { TimeBudget = TimeSpan.FromSeconds(settings.SelectionBudgetSeconds) };
        var selection = ModelSelection.Select(log, settings.Weights, options, cancellationToken);
        return new Choice(selection.Winner, SelectionRecord.Of(selection, log, settings, clock.GetUtcNow()), selection);
    }
}
