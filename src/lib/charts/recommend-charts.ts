/**
 * Pure ECharts option builders for the Recommendations and Reviews views: model vs popularity
 * bars, the network of top rules, complaint keyword bars and the score histogram. Text comes in
 * translated; these functions only shape data.
 */
import type { Keyword, RecommendEvaluation, RuleRow } from '../contracts/recommend-api';
import type { ChartOption } from './echarts';

const ACCENT = '#2f6fdf';
const GREY = '#8a94a6';
const NEG = '#d9534f';
const POS = '#2a9d8f';

/** Grouped bars: hit-rate@K and precision@K, item-item beside popularity. */
export function evaluationOption(
  e: RecommendEvaluation,
  labels: { model: string; popularity: string; hitRate: string; precision: string },
): ChartOption {
  const pct = (v: number) => Math.round(v * 1000) / 10;
  return {
    grid: { left: 8, right: 16, top: 34, bottom: 8, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => `${String(v)} %` },
    xAxis: { type: 'category', data: [labels.hitRate, labels.precision] },
    yAxis: { type: 'value', axisLabel: { formatter: '{value} %' } },
    series: [
      {
        type: 'bar',
        name: labels.model,
        itemStyle: { color: ACCENT },
        label: { show: true, position: 'top', formatter: '{c} %' },
        data: [pct(e.model.hitRate), pct(e.model.precision)],
      },
      {
        type: 'bar',
        name: labels.popularity,
        itemStyle: { color: GREY },
        label: { show: true, position: 'top', formatter: '{c} %' },
        data: [pct(e.popularity.hitRate), pct(e.popularity.precision)],
      },
    ],
  };
}

/**
 * Force-directed network of the strongest single-item rules: nodes are products (size by how
 * many rules they take part in), directed edges antecedent → consequent with width by lift.
 */
export function rulesGraphOption(
  rules: readonly RuleRow[],
  options: { max?: number; name?: (id: string) => string; lift: string; confidence: string } = {
    lift: 'lift',
    confidence: 'confidence',
  },
): ChartOption {
  const name = options.name ?? ((id: string) => id);
  const top = rules.filter((r) => r.antecedent.length === 1 && r.consequent.length === 1).slice(0, options.max ?? 40);
  const degree = new Map<string, number>();
  for (const r of top) for (const id of [r.antecedent[0]!, r.consequent[0]!]) degree.set(id, (degree.get(id) ?? 0) + 1);
  const maxLift = Math.max(1, ...top.map((r) => r.lift));
  return {
    tooltip: {
      formatter: (p: unknown) => {
        const d = (
          p as {
            dataType?: string;
            data?: { source?: string; target?: string; name?: string; lift?: number; confidence?: number };
          }
        ).data;
        if (!d) return '';
        if (d.source !== undefined)
          return `${name(d.source)} → ${name(d.target!)}<br/>${options.lift} ${d.lift!.toFixed(2)} · ${options.confidence} ${d.confidence!.toFixed(2)}`;
        return name(d.name!);
      },
    },
    series: [
      {
        type: 'graph',
        layout: 'force',
        roam: true,
        draggable: true,
        force: { repulsion: 160, edgeLength: [50, 120], gravity: 0.08 },
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 7,
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          formatter: (p: { name: string }) => name(p.name).slice(0, 24),
        },
        data: [...degree].map(([id, n]) => ({
          name: id,
          value: n,
          symbolSize: 10 + 4 * Math.min(6, n),
          itemStyle: { color: ACCENT },
        })),
        links: top.map((r) => ({
          source: r.antecedent[0]!,
          target: r.consequent[0]!,
          lift: r.lift,
          confidence: r.confidence,
          lineStyle: { width: 1 + (3 * r.lift) / maxLift, opacity: 0.7, curveness: 0.15 },
        })),
      },
    ],
  };
}

/** Horizontal bars of complaint keywords by z-score (top on top). */
export function keywordsOption(terms: readonly Keyword[], labels: { z: string }): ChartOption {
  const ordered = [...terms].reverse();
  return {
    grid: { left: 8, right: 24, top: 8, bottom: 30, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: labels.z, nameLocation: 'middle', nameGap: 22 },
    yAxis: { type: 'category', data: ordered.map((t) => t.term) },
    series: [
      { type: 'bar', name: labels.z, itemStyle: { color: NEG }, data: ordered.map((t) => Math.round(t.z * 100) / 100) },
    ],
  };
}

/** Stacked histogram of P(positive): 20 bins, by known label. */
export function scoreHistogramOption(
  h: { negative: number[]; positive: number[]; unrated: number[] },
  labels: { negative: string; positive: string; unrated: string; score: string; reviews: string },
): ChartOption {
  const bins = h.negative.length;
  const cats = Array.from({ length: bins }, (_, i) => (i / bins).toFixed(2));
  return {
    grid: { left: 8, right: 16, top: 34, bottom: 30, containLabel: true },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: cats, name: labels.score, nameLocation: 'middle', nameGap: 24 },
    yAxis: { type: 'value', name: labels.reviews, minInterval: 1 },
    series: [
      { type: 'bar', stack: 's', name: labels.negative, itemStyle: { color: NEG }, data: h.negative },
      { type: 'bar', stack: 's', name: labels.positive, itemStyle: { color: POS }, data: h.positive },
      { type: 'bar', stack: 's', name: labels.unrated, itemStyle: { color: GREY }, data: h.unrated },
    ],
  };
}
