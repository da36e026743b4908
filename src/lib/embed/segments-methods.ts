/**
 * The embed methods of the segments chapter: `segment` (k-means segments of a customer table)
 * and `anomalies` (unusual orders or customers, explained). Params are validated without side
 * effects; the work runs in the ML worker through `EmbedBackend.segments`, and the result
 * table appears in the app like one made in the UI.
 */
import type { ProgressCallback } from '../contracts/data-api';
import type {
  AnomalyMethod,
  AnomalyRequest,
  AnomalyResult,
  SegmentDistanceEngine,
  SegmentRequest,
  SegmentResult,
  SegmentScale,
} from '../contracts/segments-api';
import { NAME_RULE, defineMethod, summarise, type EmbedTable } from './methods';
import type { ParamReader } from './params';
import { describeValue } from './protocol';

/** What the segments methods need (the app's `SegmentsClient` fits). */
export interface SegmentsBackend {
  segment(request: SegmentRequest, onProgress: ProgressCallback): Promise<SegmentResult>;
  anomalies(request: AnomalyRequest, onProgress: ProgressCallback): Promise<AnomalyResult>;
}

function oneOf<T extends string>(p: ParamReader, name: string, allowed: readonly T[], fallback: T): T {
  const value = p.raw(name);
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    p.fail(name, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describeValue(value)}.`);
  return value as T;
}

function optionalNumber(p: ParamReader, name: string, min: number, max: number): number | undefined {
  const value = p.raw(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    p.fail(name, `must be a number from ${min} to ${max}, got ${describeValue(value)}.`);
  return value;
}

function features(p: ParamReader): { features?: string[] } {
  const value = p.raw('features');
  if (value === undefined) return {};
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > 1000 ||
    !value.every((f) => typeof f === 'string' && f !== '' && f.length <= NAME_RULE.maxLength)
  )
    p.fail('features', 'must be a non-empty list of column names.');
  return { features: [...(value as string[])] };
}

function into(p: ParamReader): { into?: string } {
  const value = p.optionalString('into', NAME_RULE);
  return value === undefined ? {} : { into: value };
}

/** `segment`'s answer: the result without the chart points (the table has every customer's x/y). */
export type SegmentEmbedResult = Omit<SegmentResult, 'table' | 'points'> & { table: EmbedTable };

/** `anomalies`' answer: the flagged rows with their reasons, the histogram, the table summary. */
export type AnomaliesEmbedResult = Omit<AnomalyResult, 'table'> & { table: EmbedTable };

const SCALES: readonly SegmentScale[] = ['log', 'standard'];
const DISTANCES: readonly SegmentDistanceEngine[] = ['auto', 'js', 'tf'];

function orders(p: ParamReader): { orders?: string; category?: string } {
  const value = p.optionalString('orders', NAME_RULE);
  const category = p.optionalString('category', NAME_RULE);
  return { ...(value === undefined ? {} : { orders: value }), ...(category === undefined ? {} : { category }) };
}
const METHODS: readonly AnomalyMethod[] = ['both', 'iforest', 'robust_z'];

export const SEGMENTS_METHODS = {
  segment: defineMethod('segment', {
    mutates: true,
    params: [
      'table',
      'features',
      'k',
      'kMin',
      'kMax',
      'scale',
      'restarts',
      'seed',
      'silhouetteSample',
      'into',
      'distances',
      'orders',
      'category',
    ],
    parse(p): SegmentRequest {
      const k = p.optionalInteger('k', { min: 2, max: 50 });
      const kMin = p.optionalInteger('kMin', { min: 2, max: 50 }) ?? 2;
      const kMax = p.optionalInteger('kMax', { min: 2, max: 50 }) ?? Math.max(8, kMin);
      if (kMax < kMin) p.fail('kMax', `must be at least kMin (${kMin}), got ${kMax}.`);
      const restarts = p.optionalInteger('restarts', { min: 1, max: 50 });
      const seed = p.optionalInteger('seed', { min: 0, max: 2 ** 31 - 1 });
      const silhouetteSample = p.optionalInteger('silhouetteSample', { min: 100, max: 20_000 });
      return {
        table: p.string('table', NAME_RULE),
        ...features(p),
        ...(k === undefined ? {} : { k }),
        kRange: [kMin, kMax],
        scale: oneOf(p, 'scale', SCALES, 'log'),
        ...(restarts === undefined ? {} : { restarts }),
        ...(seed === undefined ? {} : { seed }),
        ...(silhouetteSample === undefined ? {} : { silhouetteSample }),
        ...into(p),
        ...(p.raw('distances') === undefined ? {} : { distances: oneOf(p, 'distances', DISTANCES, 'auto') }),
        ...orders(p),
      };
    },
    async run(backend, request, progress): Promise<SegmentEmbedResult> {
      const { table, points: _points, ...rest } = await backend.segments.segment(request, progress);
      return { ...rest, table: summarise(table) };
    },
  }),

  anomalies: defineMethod('anomalies', {
    mutates: true,
    params: ['table', 'features', 'method', 'contamination', 'threshold', 'trees', 'seed', 'maxListed', 'into'],
    parse(p): AnomalyRequest {
      const contamination = optionalNumber(p, 'contamination', 0.0001, 0.5);
      const threshold = optionalNumber(p, 'threshold', 0.5, 100);
      const trees = p.optionalInteger('trees', { min: 10, max: 1000 });
      const seed = p.optionalInteger('seed', { min: 0, max: 2 ** 31 - 1 });
      const maxListed = p.optionalInteger('maxListed', { min: 1, max: 5000 });
      return {
        table: p.string('table', NAME_RULE),
        ...features(p),
        method: oneOf(p, 'method', METHODS, 'both'),
        ...(contamination === undefined ? {} : { contamination }),
        ...(threshold === undefined ? {} : { threshold }),
        ...(trees === undefined ? {} : { trees }),
        ...(seed === undefined ? {} : { seed }),
        ...(maxListed === undefined ? {} : { maxListed }),
        ...into(p),
      };
    },
    async run(backend, request, progress): Promise<AnomaliesEmbedResult> {
      const { table, ...rest } = await backend.segments.anomalies(request, progress);
      return { ...rest, table: summarise(table) };
    },
  }),
};
