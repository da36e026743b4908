/**
 * Which task a Classify target calls for: a number column with more than two distinct values is
 * a regression target (Classify's classifiers are binary, so there is nothing else it could be);
 * two values are a yes/no label; text is a label. The caller's override wins where it can run.
 */
import type { FrameColumn } from '../../contracts/frame';
import type { TaskChoice, TaskDetection } from '../../contracts/regression-api';

/** Distinct non-missing values of a column (stops counting at `cap`). */
export function distinctCount(column: FrameColumn, cap = 1_000_000): number {
  const seen = new Set<number | string>();
  const values = column.values as ArrayLike<number | string | null>;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v))) continue;
    seen.add(v);
    if (seen.size >= cap) break;
  }
  return seen.size;
}

/**
 * Detects the task of `target` (its DuckDB type says whether it is boolean); `choice` other than
 * 'auto' is kept, or rejected with `non_numeric_target` when regression is asked of text.
 */
export function detectTask(target: FrameColumn, type: string | undefined, choice: TaskChoice = 'auto'): TaskDetection {
  const numeric = target.kind === 'number' && !/^BOOL/i.test(type ?? '');
  const distinct = distinctCount(target, 1000);
  if (choice === 'regression') {
    if (!numeric)
      throw {
        code: 'non_numeric_target',
        message: `The target "${target.name}" does not hold numbers; regression needs a numeric target.`,
        params: { column: target.name },
      };
    return { task: 'regression', reason: 'chosen', distinct, numeric };
  }
  if (choice === 'classification') return { task: 'classification', reason: 'chosen', distinct, numeric };
  if (numeric && distinct > 2) return { task: 'regression', reason: 'numeric_many_values', distinct, numeric };
  return {
    task: 'classification',
    reason: numeric || distinct === 2 ? 'two_values' : 'text_values',
    distinct,
    numeric,
  };
}
