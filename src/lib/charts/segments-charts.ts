/**
 * Pure ECharts option builders for the Segments and Anomalies views: the elbow (inertia) and
 * silhouette per k, the PCA scatter coloured by segment, and the histogram of anomaly scores.
 * Text comes in translated; these functions only shape data.
 */
import type { ChartOption } from './echarts';

export const SEGMENT_PALETTE = [
  '#2f6fdf',
  '#e07b39',
  '#2a9d8f',
  '#c44e97',
  '#8a6fdf',
  '#d4a017',
  '#5f7d95',
  '#3fa34d',
  '#b5523b',
  '#1f9bd1',
  '#9b5de5',
  '#7a8b2c',
];

/** The colour of segment `s` (1-based), the same in every chart and card. */
export function segmentColor(s: number): string {
  return SEGMENT_PALETTE[(s - 1) % SEGMENT_PALETTE.length]!;
}

function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** One chart per measure over k (inertia or silhouette), with the chosen k marked. */
export function perKOption(
  scores: readonly { k: number; value: number }[],
  chosenK: number,
  labels: { k: string; value: string; chosen: string },
  color = '#2f6fdf',
): ChartOption {
  return {
    grid: { left: 8, right: 16, top: 20, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      name: labels.k,
      nameLocation: 'middle',
      nameGap: 26,
      data: scores.map((s) => String(s.k)),
    },
    // The panel's title names the measure; an axis name would be cut off on narrow screens.
    yAxis: { type: 'value', scale: true, axisLabel: { formatter: compact } },
    series: [
      {
        type: 'line',
        name: labels.value,
        data: scores.map((s) => ({
          value: s.value,
          symbolSize: s.k === chosenK ? 12 : 6,
          itemStyle: s.k === chosenK ? { color: '#e07b39' } : { color },
        })),
        lineStyle: { color },
        markLine: {
          symbol: 'none',
          silent: true,
          label: { formatter: labels.chosen },
          lineStyle: { type: 'dashed', color: '#e07b39' },
          data: [{ xAxis: String(chosenK) }],
        },
      },
    ],
  };
}

/** PCA scatter, one series per segment (legend toggles them). */
export function scatterOption(
  points: { x: readonly number[]; y: readonly number[]; segment: readonly number[] },
  labels: { segment: (s: number) => string; x: string; y: string },
): ChartOption {
  const bySegment = new Map<number, [number, number][]>();
  points.segment.forEach((s, i) => {
    const list = bySegment.get(s) ?? [];
    list.push([points.x[i]!, points.y[i]!]);
    bySegment.set(s, list);
  });
  const segments = [...bySegment.keys()].sort((a, b) => a - b);
  return {
    grid: { left: 8, right: 16, top: 40, bottom: 36, containLabel: true },
    legend: { type: 'scroll', top: 0 },
    tooltip: { trigger: 'item' },
    // Axis lines at the edges, not through 0, so the names sit outside the cloud.
    xAxis: {
      type: 'value',
      name: labels.x,
      nameLocation: 'middle',
      nameGap: 26,
      scale: true,
      axisLine: { onZero: false },
    },
    yAxis: {
      type: 'value',
      name: labels.y,
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      axisLine: { onZero: false },
    },
    series: segments.map((s) => ({
      type: 'scatter',
      name: labels.segment(s),
      symbolSize: 5,
      large: true,
      itemStyle: { color: segmentColor(s), opacity: 0.7 },
      data: bySegment.get(s)!,
    })),
  };
}

/** Bars of the score histogram; bins at or beyond the cutoff in the warning colour. */
export function scoreHistogramOption(
  histogram: { edges: readonly number[]; counts: readonly number[]; cutoff: number | null },
  labels: { score: string; rows: string },
): ChartOption {
  const { edges, counts, cutoff } = histogram;
  const centres = counts.map((_, i) => (edges[i]! + edges[i + 1]!) / 2);
  return {
    grid: { left: 8, right: 16, top: 16, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'category',
      name: labels.score,
      nameLocation: 'middle',
      nameGap: 26,
      data: centres.map((c) => c.toFixed(2)),
    },
    yAxis: { type: 'log', logBase: 10, min: 1, axisLabel: { formatter: compact } },
    series: [
      {
        type: 'bar',
        name: labels.rows,
        barCategoryGap: '5%',
        data: counts.map((c, i) => ({
          // A log axis cannot show 0; empty bins stay empty.
          value: c > 0 ? c : null,
          itemStyle: { color: cutoff !== null && edges[i + 1]! > cutoff ? '#c4453b' : '#2f6fdf' },
        })),
      },
    ],
  };
}
