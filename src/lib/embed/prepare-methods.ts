/**
 * The embed methods of the Prepare chapter: apply a saved recipe, build the customer, product,
 * label and series tables, and score features. Each validates its params without side effects
 * (a recipe is checked by the same parser the worker uses) and returns the new table's summary.
 */
import type {
  ApplyRecipeRequest,
  BuildLabelsRequest,
  BuildResult,
  BuildSeriesRequest,
  FitMode,
  LabelKind,
  Recipe,
  RecipeStepStats,
  SelectFeaturesRequest,
  SelectFeaturesResult,
  SeriesFrequency,
  SeriesMeasure,
} from '../contracts/prepare-api';
import { SELECTION_METHODS } from '../contracts/prepare-api';
import { ShopSightError } from '../data/errors';
import { parseRecipe } from '../pipeline/steps';
import { NAME_RULE, defineMethod, summarise, type EmbedTable } from './methods';
import type { ParamReader } from './params';
import { describeValue } from './protocol';

/** A recipe file is small; this bounds what a host can make the app parse. */
export const MAX_RECIPE_LENGTH = 1_000_000;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function optionalDate(p: ParamReader, name: string): string | undefined {
  const value = p.optionalString(name, { maxLength: 10 });
  if (value !== undefined && (!ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))) {
    p.fail(name, `must be a date as YYYY-MM-DD, got ${describeValue(value)}.`);
  }
  return value;
}

function oneOf<T extends string>(p: ParamReader, name: string, allowed: readonly T[], fallback?: T): T {
  const value = p.raw(name);
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    p.fail(name, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${describeValue(value)}.`);
  }
  return value as T;
}

function optionalNumber(p: ParamReader, name: string): number | undefined {
  const value = p.raw(name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    p.fail(name, `must be a number, got ${describeValue(value)}.`);
  return value;
}

/** The recipe as an object or as the text of a saved recipe file, validated. */
function readRecipe(p: ParamReader): Recipe {
  let value = p.raw('recipe');
  if (typeof value === 'string') {
    if (value.length > MAX_RECIPE_LENGTH) p.fail('recipe', `must be at most ${MAX_RECIPE_LENGTH} characters long.`);
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      p.fail('recipe', 'is not valid JSON.');
    }
  }
  if (value === undefined) p.fail('recipe', 'is required: a recipe object or the text of a saved recipe file.');
  try {
    return parseRecipe(value);
  } catch (error) {
    if (error instanceof ShopSightError) p.fail('recipe', `is not a valid recipe: ${error.message}`);
    throw error;
  }
}

function readInto(p: ParamReader): { into?: string } {
  const into = p.optionalString('into', NAME_RULE);
  return into === undefined ? {} : { into };
}

export interface ApplyRecipeEmbedResult {
  table: EmbedTable;
  /** The recipe with every fitted statistic, ready to save and replay. */
  recipe: Recipe;
  steps: RecipeStepStats[];
  elapsedMs: number;
}

export interface BuildEmbedResult {
  table: EmbedTable;
  summary: BuildResult['summary'];
  classBalance?: BuildResult['classBalance'];
  warnings: { code: string; message: string; params?: Record<string, string | number> }[];
  elapsedMs: number;
}

function buildResult(result: BuildResult): BuildEmbedResult {
  const out: BuildEmbedResult = {
    table: summarise(result.table),
    summary: { ...result.summary },
    warnings: result.warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.params ? { params: { ...w.params } } : {}),
    })),
    elapsedMs: result.elapsedMs,
  };
  if (result.classBalance) out.classBalance = { ...result.classBalance };
  return out;
}

const FIT_MODES: readonly FitMode[] = ['missing', 'all', 'none'];
const FREQUENCIES: readonly SeriesFrequency[] = ['day', 'week', 'month'];
const MEASURES: readonly SeriesMeasure[] = ['revenue', 'units', 'orders'];
const LABEL_KINDS: readonly LabelKind[] = ['buys_again', 'churn', 'spends_more'];

/** The Prepare methods; merged into the v1 table in `method-table.ts`. */
export const PREPARE_METHODS = {
  applyRecipe: defineMethod('applyRecipe', {
    mutates: true,
    params: ['table', 'recipe', 'into', 'fit'],
    parse(p): ApplyRecipeRequest {
      const table = p.string('table', NAME_RULE);
      const recipe = readRecipe(p);
      return { table, recipe, ...readInto(p), fit: oneOf(p, 'fit', FIT_MODES, 'missing') };
    },
    async run(backend, request, progress): Promise<ApplyRecipeEmbedResult> {
      const result = await backend.applyRecipe(request, progress);
      return {
        table: summarise(result.table),
        recipe: result.recipe,
        steps: result.perStep,
        elapsedMs: result.elapsedMs,
      };
    },
  }),

  buildCustomers: defineMethod('buildCustomers', {
    mutates: true,
    params: ['table', 'cutoff', 'into'],
    parse(p) {
      const cutoff = optionalDate(p, 'cutoff');
      return { table: p.string('table', NAME_RULE), ...(cutoff ? { cutoff } : {}), ...readInto(p) };
    },
    run: async (backend, request, progress) => buildResult(await backend.buildCustomers(request, progress)),
  }),

  buildProducts: defineMethod('buildProducts', {
    mutates: true,
    params: ['table', 'cutoff', 'into'],
    parse(p) {
      const cutoff = optionalDate(p, 'cutoff');
      return { table: p.string('table', NAME_RULE), ...(cutoff ? { cutoff } : {}), ...readInto(p) };
    },
    run: async (backend, request, progress) => buildResult(await backend.buildProducts(request, progress)),
  }),

  buildSeries: defineMethod('buildSeries', {
    mutates: true,
    params: ['table', 'freq', 'measure', 'by', 'topN', 'into'],
    parse(p): BuildSeriesRequest {
      const by = p.optionalString('by', NAME_RULE);
      const topN = p.optionalInteger('topN', { min: 1, max: 1000 });
      return {
        table: p.string('table', NAME_RULE),
        freq: oneOf(p, 'freq', FREQUENCIES, 'week'),
        measure: oneOf(p, 'measure', MEASURES, 'revenue'),
        ...(by ? { by } : {}),
        ...(topN ? { topN } : {}),
        ...readInto(p),
      };
    },
    run: async (backend, request, progress) => buildResult(await backend.buildSeries(request, progress)),
  }),

  buildLabels: defineMethod('buildLabels', {
    mutates: true,
    params: ['table', 'cutoff', 'horizonDays', 'kind', 'threshold', 'into'],
    parse(p): BuildLabelsRequest {
      const table = p.string('table', NAME_RULE);
      const cutoff =
        optionalDate(p, 'cutoff') ??
        p.fail('cutoff', 'is required: the date that separates features from labels (YYYY-MM-DD).');
      const horizonDays = p.optionalInteger('horizonDays', { min: 1, max: 3650 }) ?? 90;
      const threshold = optionalNumber(p, 'threshold');
      return {
        table,
        cutoff,
        horizonDays,
        kind: oneOf(p, 'kind', LABEL_KINDS, 'buys_again'),
        ...(threshold === undefined ? {} : { threshold }),
        ...readInto(p),
      };
    },
    run: async (backend, request, progress) => buildResult(await backend.buildLabels(request, progress)),
  }),

  selectFeatures: defineMethod('selectFeatures', {
    params: ['table', 'target', 'method', 'k', 'features'],
    parse(p): SelectFeaturesRequest {
      const features = p.raw('features');
      if (
        features !== undefined &&
        (!Array.isArray(features) || features.length === 0 || !features.every((f) => typeof f === 'string' && f !== ''))
      ) {
        p.fail('features', 'must be a non-empty list of column names.');
      }
      const k = p.optionalInteger('k', { min: 1, max: 10_000 });
      return {
        table: p.string('table', NAME_RULE),
        target: p.string('target', NAME_RULE),
        method: oneOf(p, 'method', SELECTION_METHODS, 'anova'),
        ...(k === undefined ? {} : { k }),
        ...(features === undefined ? {} : { features: [...(features as string[])] }),
      };
    },
    run: (backend, request, progress): Promise<SelectFeaturesResult> => backend.selectFeatures(request, progress),
  }),
};
