/**
 * "Reach precision ≥ X" / "reach recall ≥ X" for the Evaluation view: the held-out PR curve's
 * threshold that meets the target with the best other measure (highest recall for a precision
 * target, highest precision for a recall target), or, when none does, the most the curve reaches
 * so the view can say how far off the target is.
 */
import type { Vector } from '../matrix';
import { optimiseThreshold, type ThresholdChoice } from './classification';
import { prCurve } from './ranking';

/** Which measure the target is for. */
export type TargetMetric = 'precision' | 'recall';

/** Either the chosen threshold, or the best value of `metric` any threshold reaches. */
export type TargetChoice =
  | { reached: true; metric: TargetMetric; target: number; choice: ThresholdChoice }
  | { reached: false; metric: TargetMetric; target: number; best: number };

/** Picks the threshold for `metric ≥ target` on labels y (0/1) and scores (throws on a target outside (0, 1]). */
export function thresholdForTarget(y: Vector, score: Vector, metric: TargetMetric, target: number): TargetChoice {
  if (!Number.isFinite(target) || target <= 0 || target > 1) {
    // A programming error: the view checks the input first and says what to enter.
    throw new RangeError(`A ${metric} target must be in (0, 1], got ${target}.`);
  }
  const choice = optimiseThreshold(y, score, { kind: metric, target });
  if (choice) return { reached: true, metric, target, choice };
  // Only the thresholds (not the curve's closing point at recall 0) are reachable settings.
  const { precision, recall, thresholds } = prCurve(y, score);
  const values = metric === 'precision' ? precision : recall;
  let best = 0;
  for (let i = 0; i < thresholds.length; i++) best = Math.max(best, values[i]!);
  return { reached: false, metric, target, best };
}
