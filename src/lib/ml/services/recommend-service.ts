/**
 * The `recommend` and `sentiment` analyses (issue 6) on the pure modules in `ml/recommend` and
 * `ml/text`: read the table over the frame link, fit, evaluate against a baseline, write per-row
 * results as derived tables and return a small summary.
 */
import type { ColumnInfo, ColumnRole, TableInfo } from '../../contracts/data-api';
import type { AnalysisProgressCallback, Frame, FrameColumn, JobToken } from '../../contracts/frame';
import type {
  BinaryScores,
  NeighbourRow,
  RecommendApi,
  RecommendEvaluation,
  RecommendRequest,
  RecommendResult,
  RuleRow,
  SentimentModelRow,
  SentimentRequest,
  SentimentResult,
  TopKScore,
} from '../../contracts/recommend-api';
import {
  type EvalCase,
  type Event,
  type ItemItemModel,
  associationRules,
  encode,
  evaluateTopK,
  fitItemItem,
  fitPopularity,
  fpGrowth,
  groupBaskets,
  leaveOneOut,
  recommendItemItem,
  recommendPopular,
  timeSplit,
} from '../recommend';
import { orderByScore, recentPopularity, recommendBlend } from '../recommend/blend';
import { createRng, shuffleInPlace } from '../segment/prng';
import {
  binaryMetrics,
  complaintKeywords,
  csrSelectRows,
  fitSparseLogistic,
  fitTfidf,
  predictProba,
  stratifiedSplit,
  tokenizeChinese,
  tokenizeEnglish,
  topTerms,
  transformTfidf,
} from '../text';
import { CancelledError } from '../tf/common';
import { fitReviewEmbedding, predictReviewEmbedding } from '../tf/text-embedding';
import type { MlContext } from './context';
import { CANCELLED, yielder } from './jobs';

type ErrorInfo = { code: string; message: string; params?: Record<string, string | number> };

const MAX_EVAL_CASES = 20_000;
const MAX_RULE_ROWS = 100_000;
const MAX_INDEX_ITEMS = 5_000;

/** First column with one of the roles (in order of preference). */
function byRole(info: TableInfo, ...roles: ColumnRole[]): string | undefined {
  for (const role of roles) {
    const c = info.columns.find((col) => col.role === role);
    if (c) return c.name;
  }
  return undefined;
}

function checkColumn(info: TableInfo, name: string): ColumnInfo {
  const c = info.columns.find((col) => col.name === name);
  if (!c)
    throw { code: 'unknown_column', message: `No column "${name}".`, params: { column: name } } satisfies ErrorInfo;
  return c;
}

/** A frame column as strings (numbers printed without trailing zeros; missing → null). */
function asStrings(col: FrameColumn): (string | null)[] {
  if (col.kind === 'string') return col.values;
  const out: (string | null)[] = new Array<string | null>(col.values.length);
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i]!;
    out[i] = Number.isNaN(v) ? null : col.kind === 'date' ? new Date(v).toISOString() : String(v);
  }
  return out;
}

/** A frame column as epoch ms / numbers (strings parsed; NaN when missing or unparsable). */
function asNumbers(col: FrameColumn, parse: (s: string) => number): Float64Array {
  if (col.kind !== 'string') return col.values;
  return Float64Array.from(col.values, (s) => (s === null ? NaN : parse(s.trim())));
}

function column(frame: Frame, name: string): FrameColumn {
  return frame.columns.find((c) => c.name === name)!;
}

/** Sorted (ascending) intersection size. */
function intersectCount(a: number[], b: number[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! === b[j]!) {
      n++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return n;
}

/** Evaluates model and popularity on `cases` in chunks (progress, cancel). */
async function evaluateBoth(
  cases: EvalCase[],
  model: ItemItemModel,
  trainBaskets: readonly ArrayLike<number>[],
  nItems: number,
  k: number,
  token: JobToken,
  progress: (done: number, total: number) => void,
  blend?: (seed: readonly number[], k: number) => number[],
): Promise<{ model: TopKScore; popularity: TopKScore; blend?: TopKScore }> {
  const pop = fitPopularity(trainBaskets, nItems);
  const sums = {
    m: { hitRate: 0, precision: 0, recall: 0 },
    p: { hitRate: 0, precision: 0, recall: 0 },
    b: { hitRate: 0, precision: 0, recall: 0 },
  };
  const pause = yielder();
  const chunk = 1000;
  for (let start = 0; start < cases.length; start += chunk) {
    token.throwIfCancelled();
    const part = cases.slice(start, start + chunk);
    const m = evaluateTopK(part, (seed, kk) => recommendItemItem(model, seed, kk).map((r) => r.item), k);
    const p = evaluateTopK(part, (seed, kk) => recommendPopular(pop, seed, kk).map((r) => r.item), k);
    const bl = blend ? evaluateTopK(part, blend, k) : null;
    for (const key of ['hitRate', 'precision', 'recall'] as const) {
      sums.m[key] += m[key] * part.length;
      sums.p[key] += p[key] * part.length;
      if (bl) sums.b[key] += bl[key] * part.length;
    }
    progress(Math.min(cases.length, start + chunk), cases.length);
    await pause();
  }
  const n = Math.max(1, cases.length);
  const div = (s: TopKScore): TopKScore => ({
    hitRate: s.hitRate / n,
    precision: s.precision / n,
    recall: s.recall / n,
  });
  return { model: div(sums.m), popularity: div(sums.p), ...(blend ? { blend: div(sums.b) } : {}) };
}

const BLEND_HALF_LIVES_DAYS = [Infinity, 14, 30, 60, 120];
const BLEND_BETAS = [1, 0.9, 0.7, 0.5, 0.3];

/**
 * Chooses the blend's half-life and β on a validation split inside the training events (their
 * own last `split` share of time), never on the held-out cases: the grid point with the best
 * hit@k there (ties → the earlier point: longer memory, more popularity).
 */
function tuneBlend(
  trainEvents: readonly Event[],
  nUsers: number,
  nItems: number,
  split: number,
  k: number,
  cfOptions: Parameters<typeof fitItemItem>[2],
): { beta: number; halfLifeDays: number | null; validationHitRate: number; validationPopularity: number } | null {
  if (trainEvents.length < 10) return null;
  const times = Float64Array.from(trainEvents, (e) => e.time).sort();
  const innerCut = times[Math.min(times.length - 1, Math.floor(times.length * (1 - split)))]!;
  const inner = timeSplit(trainEvents, innerCut);
  if (inner.cases.length === 0) return null;
  let cases = inner.cases;
  if (cases.length > MAX_EVAL_CASES) {
    cases = [...cases];
    shuffleInPlace(cases, createRng(7));
    cases = cases.slice(0, MAX_EVAL_CASES);
  }
  const baskets = groupBaskets(
    Int32Array.from(inner.train, (e) => e.user),
    Int32Array.from(inner.train, (e) => e.item),
    nUsers,
  );
  const model = fitItemItem(baskets, nItems, cfOptions);
  const popularity = evaluateTopK(
    cases,
    (seed, kk) => recommendPopular(fitPopularity(baskets, nItems), seed, kk).map((r) => r.item),
    k,
  ).hitRate;
  let best: { beta: number; halfLifeDays: number | null; validationHitRate: number } | null = null;
  for (const days of BLEND_HALF_LIVES_DAYS) {
    const pop = recentPopularity(inner.train, nItems, innerCut, days * 86_400_000);
    const order = orderByScore(pop);
    for (const beta of BLEND_BETAS) {
      const hit = evaluateTopK(
        cases,
        (seed, kk) => recommendBlend(model, pop, order, seed, kk, beta).map((r) => r.item),
        k,
      ).hitRate;
      if (!best || hit > best.validationHitRate)
        best = { beta, halfLifeDays: Number.isFinite(days) ? days : null, validationHitRate: hit };
    }
  }
  return best ? { ...best, validationPopularity: popularity } : null;
}

/** Distinct sorted items per group code (groups numbered 0..nGroups). */
function basketsOf(groups: Int32Array, items: Int32Array, rows: number[], nGroups: number): Int32Array[] {
  const g = Int32Array.from(rows, (r) => groups[r]!);
  const it = Int32Array.from(rows, (r) => items[r]!);
  return groupBaskets(g, it, nGroups);
}

export async function runRecommend(
  context: MlContext,
  token: JobToken,
  request: RecommendRequest,
  onProgress?: AnalysisProgressCallback,
): Promise<RecommendResult> {
  const report = (phase: 'read' | 'train' | 'evaluate' | 'score' | 'write', done: number, total: number): void =>
    onProgress?.({ phase, done, total });
  const k = Math.floor(request.k);
  if (!(k >= 1 && k <= 100)) throw { code: 'bad_request', message: 'K must be between 1 and 100.' } satisfies ErrorInfo;
  if (!(request.minSupport > 0 && request.minSupport <= 1))
    throw { code: 'bad_request', message: 'Minimum support must be in (0, 1].' } satisfies ErrorInfo;
  if (!(request.minConfidence >= 0 && request.minConfidence <= 1))
    throw { code: 'bad_request', message: 'Minimum confidence must be in [0, 1].' } satisfies ErrorInfo;
  const split = request.split ?? 0.2;
  if (!(split > 0 && split < 1))
    throw { code: 'bad_request', message: 'The held-out share must be in (0, 1).' } satisfies ErrorInfo;

  report('read', 0, 1);
  const info = await context.source.describe(request.table);
  const product = request.product ?? byRole(info, 'product_id', 'product_name');
  if (!product)
    throw {
      code: 'missing_role',
      message: 'No column has the role "product_id".',
      params: { role: 'product_id' },
    } satisfies ErrorInfo;
  const customer = request.customer ?? byRole(info, 'customer_id') ?? null;
  const basket = request.basket ?? byRole(info, 'order_id') ?? null;
  if (!customer && !basket)
    throw {
      code: 'no_basket_column',
      message: 'Recommendations need a customer or an order/basket column (roles customer_id, order_id).',
    } satisfies ErrorInfo;
  const timestamp = request.timestamp ?? byRole(info, 'timestamp') ?? null;
  const nameCol = byRole(info, 'product_name');
  const nameColumn = nameCol && nameCol !== product ? nameCol : null;
  const wanted = [product, customer, basket, timestamp, nameColumn].filter((c): c is string => c !== null);
  for (const c of wanted) checkColumn(info, c);
  const frame = await context.source.readFrame({ table: request.table, columns: [...new Set(wanted)] });
  token.throwIfCancelled();
  report('read', 1, 1);

  const productIds = asStrings(column(frame, product));
  const customerIds = customer ? asStrings(column(frame, customer)) : null;
  const basketIds = basket ? asStrings(column(frame, basket)) : null;
  const times = timestamp ? asNumbers(column(frame, timestamp), (s) => Date.parse(s)) : null;
  // Rows with a product and the grouping ids.
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++) {
    if (productIds[i] == null || productIds[i] === '') continue;
    if (customerIds && customerIds[i] == null) continue;
    if (basketIds && basketIds[i] == null) continue;
    keep.push(i);
  }
  if (keep.length === 0)
    throw { code: 'empty_result', message: 'No rows with a product and a customer or basket.' } satisfies ErrorInfo;
  const items = encode(keep.map((i) => productIds[i]!));
  const nItems = items.vocab.length;
  if (nItems < 2)
    throw {
      code: 'single_product',
      message: 'There is only one product: nothing to recommend.',
      params: {
        product: items.vocab[0] ?? '',
      },
    } satisfies ErrorInfo;
  const mode: 'customer' | 'basket' = customer ? 'customer' : 'basket';
  const notes: string[] = [];
  if (mode === 'basket') notes.push('per_basket');
  const users = encode(keep.map((i) => (customerIds ? customerIds[i]! : basketIds![i]!)));
  const tx = basketIds ? encode(keep.map((i) => basketIds[i]!)) : users;
  const rowTime = times ? Float64Array.from(keep, (i) => times[i]!) : null;
  const hasTime = rowTime !== null && rowTime.some((t) => Number.isFinite(t));
  if (!hasTime) notes.push('no_timestamp');
  const names: Record<string, string> = {};
  if (nameColumn) {
    const n = asStrings(column(frame, nameColumn));
    keep.forEach((r, j) => {
      const id = items.vocab[items.codes[j]!]!;
      if (names[id] === undefined && n[r]) names[id] = n[r]!;
    });
  }
  const all = Array.from(keep.keys());

  // FP-Growth on transactions (orders; customer histories when there is no order column).
  report('train', 0, 3);
  const transactions = basketsOf(tx.codes, items.codes, all, tx.vocab.length);
  const itemsets = fpGrowth(transactions, { minSupport: request.minSupport, maxLength: 4 });
  token.throwIfCancelled();
  let rules = associationRules(itemsets, transactions.length, { minConfidence: request.minConfidence });
  if (rules.length > MAX_RULE_ROWS) {
    rules = rules.slice(0, MAX_RULE_ROWS);
    notes.push('rules_capped');
  }
  report('train', 1, 3);
  await yielder(0)();
  token.throwIfCancelled();

  // Item-item CF on customer histories (customer mode) or baskets.
  const cfOptions = {
    similarity: request.similarity,
    alpha: request.alpha ?? 0.8,
    shrinkage: request.shrinkage ?? 10,
  } as const;
  const histories = basketsOf(users.codes, items.codes, all, users.vocab.length);
  const model = fitItemItem(histories, nItems, cfOptions);
  report('train', 2, 3);
  token.throwIfCancelled();

  // Evaluation on a time split (table order without a time column).
  let evaluation: RecommendEvaluation | null = null;
  let cases: EvalCase[] = [];
  let trainBaskets: Int32Array[] = [];
  let method: 'customer' | 'basket' = mode;
  let cutoff: number | null = null;
  let trainEvents: Event[] | null = null;
  let tuned: ReturnType<typeof tuneBlend> = null;
  if (mode === 'customer' && hasTime) {
    const sorted = Float64Array.from(rowTime!.filter((t) => Number.isFinite(t))).sort();
    cutoff = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - split)))]!;
    const events: Event[] = [];
    all.forEach((j) => {
      if (Number.isFinite(rowTime![j]!))
        events.push({ user: users.codes[j]!, item: items.codes[j]!, time: rowTime![j]! });
    });
    const ts = timeSplit(events, cutoff);
    cases = ts.cases;
    trainEvents = ts.train;
    trainBaskets = groupBaskets(
      Int32Array.from(ts.train, (e) => e.user),
      Int32Array.from(ts.train, (e) => e.item),
      users.vocab.length,
    );
  }
  if (cases.length === 0) {
    // Units (baskets, else customer histories) in time order; the last `split` share is held out.
    method = 'basket';
    const unitOf = basketIds ? tx : users;
    const first = new Float64Array(unitOf.vocab.length).fill(Infinity);
    const firstRow = new Int32Array(unitOf.vocab.length).fill(-1);
    all.forEach((j) => {
      const u = unitOf.codes[j]!;
      if (firstRow[u] === -1) firstRow[u] = j;
      const t = rowTime?.[j];
      if (t !== undefined && Number.isFinite(t) && t < first[u]!) first[u] = t;
    });
    const order = Array.from(first.keys()).sort(
      (a, b) => (hasTime ? first[a]! - first[b]! : 0) || firstRow[a]! - firstRow[b]!,
    );
    const cut = Math.floor(order.length * (1 - split));
    const units = basketIds ? transactions : histories;
    trainBaskets = order.slice(0, cut).map((u) => units[u]!);
    cases = leaveOneOut(order.slice(cut).map((u) => units[u]!));
    cutoff = hasTime && cut < order.length && Number.isFinite(first[order[cut]!]!) ? first[order[cut]!]! : null;
  }
  if (cases.length > 0 && trainBaskets.length > 0) {
    const nCases = cases.length;
    if (cases.length > MAX_EVAL_CASES) {
      shuffleInPlace(cases, createRng(42));
      cases = cases.slice(0, MAX_EVAL_CASES);
    }
    const evalModel = fitItemItem(trainBaskets, nItems, cfOptions);
    // The blend of item-item with recency-weighted popularity, tuned inside the training period.
    tuned =
      method === 'customer' && trainEvents && cutoff !== null
        ? tuneBlend(trainEvents, users.vocab.length, nItems, split, k, cfOptions)
        : null;
    let blend: ((seed: readonly number[], kk: number) => number[]) | undefined;
    if (tuned && trainEvents && cutoff !== null) {
      const { beta, halfLifeDays } = tuned;
      const pop = recentPopularity(trainEvents, nItems, cutoff, (halfLifeDays ?? Infinity) * 86_400_000);
      const order = orderByScore(pop);
      blend = (seed, kk) => recommendBlend(evalModel, pop, order, seed, kk, beta).map((r) => r.item);
    }
    token.throwIfCancelled();
    const scores = await evaluateBoth(
      cases,
      evalModel,
      trainBaskets,
      nItems,
      k,
      token,
      (d, t) => report('evaluate', d, t),
      blend,
    );
    const { blend: blendScores, ...both } = scores;
    evaluation = {
      k,
      method,
      cutoff,
      trainShare: 1 - split,
      nCases,
      nScored: cases.length,
      ...both,
      ...(tuned && blendScores ? { blend: { ...blendScores, ...tuned } } : {}),
    };
  } else notes.push('no_eval_cases');
  report('train', 3, 3);

  // Per customer (or basket) top-K, excluding what they bought.
  const recUsers: string[] = [];
  const recRank: number[] = [];
  const recItems: string[] = [];
  const recScores: number[] = [];
  const pause = yielder();
  // The blend, when asked for and tuned: popularity weighted by recency up to the last event.
  let recommendFor = (owned: Int32Array) => recommendItemItem(model, owned, k);
  let recommender: 'itemitem' | 'blend' = 'itemitem';
  if (request.recommender === 'blend') {
    if (tuned && rowTime) {
      let last = -Infinity;
      for (const t of rowTime) if (Number.isFinite(t) && t > last) last = t;
      const allEvents: Event[] = [];
      all.forEach((j) => {
        if (Number.isFinite(rowTime[j]!))
          allEvents.push({ user: users.codes[j]!, item: items.codes[j]!, time: rowTime[j]! });
      });
      const pop = recentPopularity(allEvents, nItems, last + 1, (tuned.halfLifeDays ?? Infinity) * 86_400_000);
      const order = orderByScore(pop);
      const beta = tuned.beta;
      recommendFor = (owned) => recommendBlend(model, pop, order, owned, k, beta);
      recommender = 'blend';
    } else notes.push('blend_untuned');
  }
  for (let u = 0; u < histories.length; u++) {
    if (u % 2000 === 0) {
      token.throwIfCancelled();
      report('score', u, histories.length);
      await pause();
    }
    recommendFor(histories[u]!).forEach((r, rank) => {
      recUsers.push(users.vocab[u]!);
      recRank.push(rank + 1);
      recItems.push(items.vocab[r.item]!);
      recScores.push(r.score);
    });
  }
  report('score', histories.length, histories.length);

  // Neighbours: the 10 nearest of each product (by popularity, capped) with co-purchase counts.
  const itemBaskets: number[][] = Array.from({ length: nItems }, () => []);
  histories.forEach((b, bi) => b.forEach((it) => itemBaskets[it]!.push(bi)));
  const neighbourIndex: Record<string, NeighbourRow[]> = {};
  const neighboursFor = (i: number, n: number): NeighbourRow[] => {
    const nb = model.neighbours[i]!;
    const w = model.weights[i]!;
    const out: NeighbourRow[] = [];
    for (let t = 0; t < Math.min(n, nb.length); t++)
      out.push({
        item: items.vocab[nb[t]!]!,
        score: w[t]!,
        together: intersectCount(itemBaskets[i]!, itemBaskets[nb[t]!]!),
      });
    return out;
  };
  for (const i of model.popular.slice(0, MAX_INDEX_ITEMS)) neighbourIndex[items.vocab[i]!] = neighboursFor(i, 10);
  const chosen = request.neighboursOf !== undefined ? items.index.get(request.neighboursOf) : model.popular[0];
  const neighbours = chosen !== undefined ? { product: items.vocab[chosen]!, items: neighboursFor(chosen, 20) } : null;

  // Result tables.
  report('write', 0, 2);
  const base = request.output ?? request.table;
  const named = (ids: number[]): string[] => ids.map((i) => items.vocab[i]!);
  const ruleRows: RuleRow[] = rules.map((r) => ({
    antecedent: named(r.antecedent),
    consequent: named(r.consequent),
    count: r.count,
    support: r.support,
    confidence: r.confidence,
    lift: r.lift,
  }));
  const label = (xs: string[]): string => xs.map((x) => names[x] ?? x).join(' + ');
  const rulesTable = `${base}_rules`;
  await context.source.writeFrame({
    name: rulesTable,
    derivation: { kind: 'rules', from: request.table },
    frame: {
      nRows: ruleRows.length,
      columns: [
        { name: 'antecedent', kind: 'string', values: ruleRows.map((r) => r.antecedent.join(' + ')) },
        { name: 'consequent', kind: 'string', values: ruleRows.map((r) => r.consequent.join(' + ')) },
        ...(nameColumn
          ? [
              { name: 'antecedent_name', kind: 'string' as const, values: ruleRows.map((r) => label(r.antecedent)) },
              { name: 'consequent_name', kind: 'string' as const, values: ruleRows.map((r) => label(r.consequent)) },
            ]
          : []),
        { name: 'baskets', kind: 'number', values: Float64Array.from(ruleRows, (r) => r.count) },
        { name: 'support', kind: 'number', values: Float64Array.from(ruleRows, (r) => r.support) },
        { name: 'confidence', kind: 'number', values: Float64Array.from(ruleRows, (r) => r.confidence) },
        { name: 'lift', kind: 'number', values: Float64Array.from(ruleRows, (r) => r.lift) },
      ],
    },
  });
  report('write', 1, 2);
  const recommendationsTable = `${base}_recommendations`;
  const who = mode === 'customer' ? customer! : basket!;
  await context.source.writeFrame({
    name: recommendationsTable,
    derivation: { kind: 'recommendations', from: request.table },
    frame: {
      nRows: recUsers.length,
      columns: [
        { name: who, kind: 'string', values: recUsers },
        { name: 'rank', kind: 'number', values: Float64Array.from(recRank) },
        { name: product, kind: 'string', values: recItems },
        ...(nameColumn
          ? [{ name: nameColumn, kind: 'string' as const, values: recItems.map((i) => names[i] ?? null) }]
          : []),
        { name: 'score', kind: 'number', values: Float64Array.from(recScores) },
      ],
    },
  });
  report('write', 2, 2);

  const shownNames: Record<string, string> = {};
  if (nameColumn) {
    const add = (id: string): void => {
      if (names[id] !== undefined) shownNames[id] = names[id];
    };
    for (const [id, nb] of Object.entries(neighbourIndex)) {
      add(id);
      nb.forEach((n) => add(n.item));
    }
    ruleRows.slice(0, request.maxRules ?? 200).forEach((r) => [...r.antecedent, ...r.consequent].forEach(add));
  }
  return {
    table: request.table,
    columns: { customer, product, basket, timestamp: hasTime ? timestamp : null },
    mode,
    nRows: keep.length,
    nItems,
    nBaskets: transactions.length,
    nCustomers: customer ? users.vocab.length : null,
    nRules: ruleRows.length,
    rules: ruleRows.slice(0, request.maxRules ?? 200),
    rulesTable,
    recommendationsTable,
    nRecommendations: recUsers.length,
    neighbours,
    neighbourIndex,
    popular: model.popular.slice(0, 20).map((i) => ({ item: items.vocab[i]!, count: model.itemCounts[i]! })),
    names: shownNames,
    evaluation,
    recommender,
    notes,
  };
}

// ---------------------------------------------------------------------------------------------
// Sentiment

const HAN = /\p{Script=Han}/u;

/** 'zh' when more than 30% of the (first 2,000) texts contain Han characters. */
export function detectLanguage(texts: readonly string[]): 'en' | 'zh' {
  const sample = texts.slice(0, 2000);
  const han = sample.filter((t) => HAN.test(t)).length;
  return han > sample.length * 0.3 ? 'zh' : 'en';
}

const POSITIVE_WORDS = new Set(['1', '1.0', 'pos', 'positive', 'true', 'yes', 'good', '正面', '好评']);
const NEGATIVE_WORDS = new Set(['0', '0.0', 'neg', 'negative', 'false', 'no', 'bad', '负面', '差评']);

function binary(m: ReturnType<typeof binaryMetrics>): BinaryScores {
  return { accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, macroF1: m.macroF1 };
}

export async function runSentiment(
  context: MlContext,
  token: JobToken,
  request: SentimentRequest,
  onProgress?: AnalysisProgressCallback,
): Promise<SentimentResult> {
  const report = (
    phase: 'read' | 'train' | 'evaluate' | 'score' | 'write',
    done: number,
    total: number,
    detail?: string,
  ): void => onProgress?.({ phase, done, total, ...(detail ? { detail } : {}) });
  const choice = request.model ?? 'tfidf';
  if (!['tfidf', 'embedding', 'both'].includes(choice))
    throw { code: 'bad_request', message: 'The model must be tfidf, embedding or both.' } satisfies ErrorInfo;
  const positiveMin = request.positiveMin ?? 4;
  const negativeMax = request.negativeMax ?? 2;
  if (!(negativeMax < positiveMin))
    throw {
      code: 'bad_request',
      message: 'The negative maximum must be below the positive minimum.',
    } satisfies ErrorInfo;
  const testFraction = request.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1))
    throw { code: 'bad_request', message: 'The held-out share must be in (0, 1).' } satisfies ErrorInfo;
  report('read', 0, 1);
  const info = await context.source.describe(request.table);
  checkColumn(info, request.text);
  const labelCol = request.label ?? null;
  const ratingCol = labelCol ? null : (request.rating ?? null);
  if (!labelCol && !ratingCol)
    throw {
      code: 'missing_role',
      message: 'No column has the role "rating".',
      params: { role: 'rating' },
    } satisfies ErrorInfo;
  const wanted = [request.text, labelCol ?? ratingCol!, request.groupBy].filter((c): c is string => !!c);
  for (const c of wanted) checkColumn(info, c);
  const frame = await context.source.readFrame({ table: request.table, columns: [...new Set(wanted)] });
  token.throwIfCancelled();
  report('read', 1, 1);

  const rawText = asStrings(column(frame, request.text));
  const groups = request.groupBy ? asStrings(column(frame, request.groupBy)) : null;
  // Label per row: 1 positive, 0 negative, -1 none.
  const labels = new Int8Array(frame.nRows).fill(-1);
  const labelColumn = column(frame, (labelCol ?? ratingCol)!);
  if (labelCol) {
    const s = asStrings(labelColumn);
    s.forEach((v, i) => {
      const key = v?.trim().toLowerCase();
      if (key === undefined) return;
      if (POSITIVE_WORDS.has(key)) labels[i] = 1;
      else if (NEGATIVE_WORDS.has(key)) labels[i] = 0;
    });
  } else {
    const r = asNumbers(labelColumn, (s) => Number.parseFloat(s));
    r.forEach((v, i) => {
      if (v >= positiveMin) labels[i] = 1;
      else if (v <= negativeMax) labels[i] = 0;
    });
  }
  const rows: number[] = [];
  for (let i = 0; i < frame.nRows; i++) if (rawText[i] && rawText[i]!.trim() !== '') rows.push(i);
  if (rows.length === 0)
    throw {
      code: 'empty_text_column',
      message: `The column "${request.text}" has no review text.`,
      params: { column: request.text },
    } satisfies ErrorInfo;
  const texts = rows.map((i) => rawText[i]!);
  const language = request.language && request.language !== 'auto' ? request.language : detectLanguage(texts);
  const tokenize = (t: string): string[] => (language === 'zh' ? tokenizeChinese(t) : tokenizeEnglish(t));
  const docs = texts.map(tokenize);
  const labelled = rows.flatMap((r, j) => (labels[r]! >= 0 ? [j] : []));
  const y = labelled.map((j) => labels[rows[j]!]!);
  const nNegative = y.filter((v) => v === 0).length;
  const nPositive = y.length - nNegative;
  if (labelled.length > 0 && (nNegative === 0 || nPositive === 0))
    throw {
      code: 'single_class_ratings',
      message: 'All labelled reviews have the same sentiment: there is nothing to learn from.',
      params: { label: nNegative === 0 ? 'positive' : 'negative' },
    } satisfies ErrorInfo;
  if (nNegative < 2 || nPositive < 2 || labelled.length < 10)
    throw {
      code: 'too_few_labelled',
      message: 'At least 10 labelled reviews, two of each sentiment, are needed.',
      params: {
        count: labelled.length,
      },
    } satisfies ErrorInfo;
  token.throwIfCancelled();

  // Held-out evaluation.
  report('train', 0, 2);
  const split = stratifiedSplit(y, testFraction, request.seed ?? 42);
  const trainDocs = Array.from(split.train, (i) => docs[labelled[i]!]!);
  const minDf = trainDocs.length >= 200 ? 2 : 1;
  const tfidf = fitTfidf(trainDocs, { minDf, sublinearTf: true });
  const fitOptions = { c: 4, classWeight: 'balanced', maxIter: 300 } as const;
  const tfidfStarted = performance.now();
  const xLab = transformTfidf(
    tfidf,
    Array.from(labelled, (j) => docs[j]!),
  );
  const model = fitSparseLogistic(
    csrSelectRows(xLab, split.train),
    Array.from(split.train, (i) => y[i]!),
    fitOptions,
  );
  token.throwIfCancelled();
  report('evaluate', 0, 1);
  const yTest = Array.from(split.test, (i) => y[i]!);
  const pTest = predictProba(model, csrSelectRows(xLab, split.test));
  const predTfidf = Array.from(pTest, (p) => (p >= 0.5 ? 1 : 0));
  const comparison: SentimentModelRow[] = [
    {
      model: 'tfidf',
      scores: binary(binaryMetrics(yTest, predTfidf, 0)),
      trainMs: performance.now() - tfidfStarted,
    },
  ];
  const trainPositives = Array.from(split.train, (i) => y[i]!).filter((v) => v === 1).length;
  const majority = trainPositives * 2 >= split.train.length ? 1 : 0;
  const confusion: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  report('evaluate', 1, 1);
  report('train', 1, 2);
  await yielder(0)();
  token.throwIfCancelled();

  // Final model on every labelled review, scoring every review.
  const tfidfAll = fitTfidf(
    Array.from(labelled, (j) => docs[j]!),
    { minDf: labelled.length >= 200 ? 2 : 1, sublinearTf: true },
  );
  const finalModel = fitSparseLogistic(
    transformTfidf(
      tfidfAll,
      Array.from(labelled, (j) => docs[j]!),
    ),
    y,
    fitOptions,
  );
  report('train', 2, 2);
  token.throwIfCancelled();
  report('score', 0, 1);
  const pTfidf = predictProba(finalModel, transformTfidf(tfidfAll, docs));
  report('score', 1, 1);

  // The embedding network (TF.js): trained on the same training reviews, early-stopped on a
  // validation part of them, scored on the same hold-out. It is not refitted on every review
  // (a second training run): the model evaluated on the hold-out is the one that scores.
  let pEmbedding: Float32Array | null = null;
  let predEmbedding: number[] | null = null;
  if (choice !== 'tfidf') {
    // Words and word pairs (fastText-style): on the clothing reviews pairs lifted held-out
    // F1(negative) from 0.67 to 0.69 over words alone (text-embedding.datasets.test.ts).
    const seqDocs = texts.map((t) => (language === 'zh' ? tokenizeChinese(t) : tokenizeEnglish(t)));
    const started = performance.now();
    const flag = {
      get aborted() {
        return token.cancelled;
      },
    };
    let fit: Awaited<ReturnType<typeof fitReviewEmbedding>>;
    try {
      fit = await fitReviewEmbedding(
        Array.from(split.train, (i) => seqDocs[labelled[i]!]!),
        Array.from(split.train, (i) => y[i]!),
        { seed: request.seed ?? 42 },
        (log) =>
          report(
            'train',
            log.epoch,
            log.epochs,
            `embedding · epoch ${log.epoch}${log.valLoss !== null ? ` · val loss ${log.valLoss.toFixed(3)}` : ''}`,
          ),
        flag,
      );
    } catch (error) {
      if (error instanceof CancelledError) throw { ...CANCELLED };
      throw error;
    }
    try {
      const trainMs = performance.now() - started;
      const pHeld = await predictReviewEmbedding(
        fit,
        Array.from(split.test, (i) => seqDocs[labelled[i]!]!),
      );
      predEmbedding = Array.from(pHeld, (p) => (p >= 0.5 ? 1 : 0));
      comparison.push({
        model: 'embedding',
        scores: binary(binaryMetrics(yTest, predEmbedding, 0)),
        trainMs,
        backend: fit.backend,
        epochs: fit.loop.epochsRun,
        vocabulary: fit.vocab.size,
        sequenceLength: fit.length,
      });
      token.throwIfCancelled();
      report('score', 0, 1, 'embedding');
      pEmbedding = await predictReviewEmbedding(fit, seqDocs);
      report('score', 1, 1, 'embedding');
    } finally {
      fit.model.dispose();
    }
  }
  const scoredBy: 'tfidf' | 'embedding' = choice === 'embedding' ? 'embedding' : 'tfidf';
  const pAll: Float32Array | Float64Array = scoredBy === 'embedding' ? pEmbedding! : pTfidf;
  const predTest = scoredBy === 'embedding' ? predEmbedding! : predTfidf;
  yTest.forEach((t, i) => confusion[t as 0 | 1][predTest[i] as 0 | 1]++);

  const bins = 20;
  const histogram = {
    negative: new Array<number>(bins).fill(0),
    positive: new Array<number>(bins).fill(0),
    unrated: new Array<number>(bins).fill(0),
  };
  rows.forEach((r, j) => {
    const b = Math.min(bins - 1, Math.floor(pAll[j]! * bins));
    const l = labels[r]!;
    (l === 1 ? histogram.positive : l === 0 ? histogram.negative : histogram.unrated)[b]!++;
  });

  // Complaint keywords (labelled reviews: negative vs the rest), overall and per group.
  const kwDocs = Array.from(labelled, (j) =>
    language === 'zh'
      ? tokenizeChinese(texts[j]!, { ngrams: [2, 2] })
      : tokenizeEnglish(texts[j]!, { stopWords: true }),
  );
  const neg = y.map((v) => v === 0);
  const toKeywords = (terms: ReturnType<typeof complaintKeywords> extends Map<string, infer T> ? T : never) =>
    terms.map((t) => ({ term: t.term, z: t.z, negative: t.countA, other: t.countB }));
  const keywords: SentimentResult['keywords'] = [];
  const overall = complaintKeywords(kwDocs, neg, undefined, { top: 15 }).get('all');
  if (overall) keywords.push({ group: 'all', nNegative, n: labelled.length, terms: toKeywords(overall) });
  if (groups) {
    const g = Array.from(labelled, (j) => groups[rows[j]!] ?? '—');
    const perGroup = complaintKeywords(kwDocs, neg, g, { top: 10 });
    const sizes = new Map<string, { n: number; neg: number }>();
    g.forEach((name, i) => {
      const s = sizes.get(name) ?? sizes.set(name, { n: 0, neg: 0 }).get(name)!;
      s.n++;
      if (neg[i]) s.neg++;
    });
    const ordered = [...perGroup.entries()].sort((a, b) => sizes.get(b[0])!.neg - sizes.get(a[0])!.neg).slice(0, 30);
    for (const [name, terms] of ordered)
      keywords.push({ group: name, nNegative: sizes.get(name)!.neg, n: sizes.get(name)!.n, terms: toKeywords(terms) });
  }

  const labelText = (r: number): string | null => (labels[r] === 1 ? 'positive' : labels[r] === 0 ? 'negative' : null);
  const order = Array.from(pAll.keys()).sort((a, b) => pAll[a]! - pAll[b]! || a - b);
  const mostNegative = order.slice(0, 25).map((j) => ({
    row: rows[j]! + 1,
    text: texts[j]!.length > 400 ? `${texts[j]!.slice(0, 400)}…` : texts[j]!,
    score: pAll[j]!,
    group: groups ? (groups[rows[j]!] ?? null) : null,
    label: labelText(rows[j]!),
  }));

  report('write', 0, 1);
  const splitOf = new Array<string>(frame.nRows).fill('unrated');
  split.train.forEach((i) => (splitOf[rows[labelled[i]!]!] = 'train'));
  split.test.forEach((i) => (splitOf[rows[labelled[i]!]!] = 'test'));
  const outputTable = request.output ?? `${request.table}_sentiment`;
  await context.source.writeFrame({
    name: outputTable,
    derivation: { kind: 'sentiment', from: request.table },
    frame: {
      nRows: rows.length,
      columns: [
        { name: 'row', kind: 'number', values: Float64Array.from(rows, (r) => r + 1) },
        { name: request.text, kind: 'string', values: texts },
        ...(request.groupBy && groups
          ? [{ name: request.groupBy, kind: 'string' as const, values: rows.map((r) => groups[r] ?? null) }]
          : []),
        { name: 'label', kind: 'string', values: rows.map(labelText) },
        { name: 'p_positive', kind: 'number', values: Float64Array.from(pAll) },
        ...(pEmbedding
          ? [
              { name: 'p_tfidf', kind: 'number' as const, values: Float64Array.from(pTfidf) },
              { name: 'p_embedding', kind: 'number' as const, values: Float64Array.from(pEmbedding) },
            ]
          : []),
        { name: 'sentiment', kind: 'string', values: Array.from(pAll, (p) => (p >= 0.5 ? 'positive' : 'negative')) },
        { name: 'split', kind: 'string', values: rows.map((r) => splitOf[r]!) },
      ],
    },
  });
  report('write', 1, 1);
  const drivers = topTerms(finalModel, tfidfAll.terms, 15);
  return {
    table: request.table,
    language,
    nRows: frame.nRows,
    nText: rows.length,
    nLabelled: labelled.length,
    nNegative,
    nPositive,
    nUnrated: rows.length - labelled.length,
    nTrain: split.train.length,
    nTest: split.test.length,
    nTerms: tfidf.terms.length,
    model: binary(binaryMetrics(yTest, predTest, 0)),
    scoredBy,
    comparison,
    baseline: {
      ...binary(
        binaryMetrics(
          yTest,
          yTest.map(() => majority),
          0,
        ),
      ),
      predicts: majority ? 'positive' : 'negative',
    },
    confusion,
    histogram,
    drivers,
    keywords,
    mostNegative,
    outputTable,
  };
}

/** The worker methods (see `contracts/recommend-api.ts`). */
export function createRecommendApi(context: MlContext): RecommendApi {
  return {
    recommend: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => runRecommend(context, token, request, onProgress)),
    sentiment: (jobId, request, onProgress) =>
      context.jobs.run(jobId, (token) => runSentiment(context, token, request, onProgress)),
  };
}
