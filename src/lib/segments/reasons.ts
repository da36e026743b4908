/**
 * Readable chips for anomaly reasons ("order value 12× typical", "hour low: 0 (typical 12)").
 * Pure: the caller passes the translate and number-format functions.
 */
import type { AnomalyReason } from '../contracts/segments-api';

export interface ReasonText {
  t: (
    key: 'anomalies.reason.times' | 'anomalies.reason.high' | 'anomalies.reason.low',
    params: Record<string, string>,
  ) => string;
  /** The display name of a feature (translated when known). */
  feature: (name: string) => string;
  number: (value: number) => string;
}

/** How many times typical, rounded for reading: 12×, 3.4×, 0.25×. */
export function formatRatio(ratio: number): string {
  if (ratio >= 10) return String(Math.round(ratio));
  if (ratio >= 1) return ratio.toFixed(1);
  return ratio.toPrecision(2);
}

/** One chip: a ratio when the value is at least twice (or at most half) the typical positive value, else value vs typical. */
export function reasonChip(reason: AnomalyReason, text: ReasonText): string {
  const feature = text.feature(reason.feature);
  if (reason.ratio !== null && (reason.ratio >= 2 || reason.ratio <= 0.5))
    return text.t('anomalies.reason.times', { feature, ratio: formatRatio(reason.ratio) });
  return text.t(reason.direction === 'high' ? 'anomalies.reason.high' : 'anomalies.reason.low', {
    feature,
    value: text.number(reason.value),
    median: text.number(reason.median),
  });
}
