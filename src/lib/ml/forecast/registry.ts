/**
 * The model registry the UI lists and the backtest iterates. Classical models register here;
 * the TF.js engineer registers 'lstm' / 'gru' (family 'neural', complexity 10, async: true)
 * with {@link registerModel} from src/lib/ml/tf/ without touching this folder.
 */
import { arimaForecaster } from './arima';
import { movingAverageForecaster, naiveForecaster, seasonalNaiveForecaster } from './baselines';
import { etsForecaster, fitEtsAuto, type EtsSeasonal, type EtsTrend } from './ets';
import { seasonallyAdjustedForecaster } from './seasonal-adjust';
import type { BacktestEntry } from './backtest';
import type { AsyncForecaster, Forecaster, ModelSpec, ParamValues } from './types';

const num = (v: ParamValues[string] | undefined, d: number) => (typeof v === 'number' ? v : d);
const str = <T extends string>(v: ParamValues[string] | undefined, d: T) => (typeof v === 'string' ? (v as T) : d);

const BUILT_IN: ModelSpec[] = [
  {
    id: 'naive',
    label: 'Naive (last value)',
    family: 'baseline',
    complexity: 0,
    params: [],
    async: false,
    create: () => naiveForecaster,
  },
  {
    id: 'seasonal_naive',
    label: 'Seasonal naive (same day last season)',
    family: 'baseline',
    complexity: 1,
    params: [],
    async: false,
    create: () => seasonalNaiveForecaster,
  },
  {
    id: 'moving_average',
    label: 'Moving average',
    family: 'baseline',
    complexity: 2,
    params: [{ name: 'window', kind: 'int', default: 28, min: 1, max: 365 }],
    async: false,
    create: (p = {}) => movingAverageForecaster(num(p.window, 28)),
  },
  {
    id: 'ses',
    label: 'Simple exponential smoothing',
    family: 'statistical',
    complexity: 3,
    params: [],
    async: false,
    create: () => etsForecaster({ trend: 'none', seasonal: 'none' }),
  },
  {
    id: 'holt_winters',
    label: 'Holt-Winters',
    family: 'statistical',
    complexity: 4,
    params: [
      { name: 'trend', kind: 'enum', default: 'add_damped', options: ['none', 'add', 'add_damped'] },
      { name: 'seasonal', kind: 'enum', default: 'add', options: ['none', 'add', 'mul'] },
    ],
    async: false,
    create: (p = {}) =>
      etsForecaster({ trend: str<EtsTrend>(p.trend, 'add_damped'), seasonal: str<EtsSeasonal>(p.seasonal, 'add') }),
  },
  {
    id: 'ets',
    label: 'ETS (automatic, by AIC)',
    family: 'statistical',
    complexity: 5,
    params: [],
    async: false,
    create: (): Forecaster => ({ modelId: 'ets', fit: (y, o) => fitEtsAuto(y, o) }),
  },
  {
    id: 'ets_yearly',
    label: 'ETS + yearly profile (daily data)',
    family: 'statistical',
    complexity: 6,
    params: [{ name: 'longPeriod', kind: 'int', default: 365, min: 2, max: 400 }],
    async: false,
    create: (p = {}) =>
      seasonallyAdjustedForecaster({ modelId: 'ets', fit: (y, o) => fitEtsAuto(y, o) }, num(p.longPeriod, 365)),
  },
  {
    id: 'arima',
    label: 'ARIMA (automatic, by AIC)',
    family: 'statistical',
    complexity: 7,
    params: [
      { name: 'maxP', kind: 'int', default: 2, min: 0, max: 3 },
      { name: 'maxQ', kind: 'int', default: 2, min: 0, max: 3 },
      { name: 'seasonal', kind: 'boolean', default: true },
    ],
    async: false,
    create: (p = {}) =>
      arimaForecaster(undefined, {
        maxP: num(p.maxP, 2),
        maxQ: num(p.maxQ, 2),
        ...(p.seasonal === false ? { maxSeasonalP: 0, maxSeasonalQ: 0, maxSeasonalD: 0 } : {}),
      }),
  },
];

const specs = new Map<string, ModelSpec>(BUILT_IN.map((s) => [s.id, s]));

/** Add or replace a model (e.g. the TF.js LSTM/GRU); ids are unique. */
export function registerModel(spec: ModelSpec): void {
  specs.set(spec.id, spec);
}

/** Every registered model, simplest first. */
export function listModels(): ModelSpec[] {
  return [...specs.values()].sort((a, b) => a.complexity - b.complexity || a.id.localeCompare(b.id));
}

/** A registered model by id. */
export function getModelSpec(id: string): ModelSpec | undefined {
  return specs.get(id);
}

/** Backtest entry for a registered model with its default (or given) parameters. */
export function backtestEntry(id: string, params?: ParamValues): BacktestEntry<Forecaster | AsyncForecaster> {
  const spec = specs.get(id);
  if (!spec) throw new RangeError(`unknown forecasting model: ${id}`);
  return { id, family: spec.family, complexity: spec.complexity, forecaster: spec.create(params) };
}

/** Default parameter values of a spec, for forms. */
export function defaultParams(spec: ModelSpec): ParamValues {
  return Object.fromEntries(spec.params.map((p) => [p.name, p.default]));
}
