/** A connection's re-evaluation after its mappings changed: progress while it runs, the outcome once it ends. */
import { plural } from '../format.js';
import { Progress } from '../ui/Progress.js';
import type { MappingEvaluation as Evaluation } from './attribute-mapping-draft.js';

/** `showOutcome`: say how the last pass ended (after a save made here, not for one long past). */
export function MappingEvaluation({ evaluation, showOutcome }: { evaluation: Evaluation; showOutcome: boolean }) {
  if (evaluation.state === 'running') return <Progress label="Updating the values of this connection's users…" value={evaluation.processed} max={evaluation.total} detail="users" />;
  if (!showOutcome || !evaluation.finishedAt) return null;
  return (
    <p className="callout callout-info" role="status">
      Users updated: {plural(evaluation.total, 'user')} re-evaluated, {evaluation.changed === 0 ? 'no values changed' : `new values for ${plural(evaluation.changed, 'user')}`}.
    </p>
  );
}
