/**
 * Pure ECharts option builders for the Prepare views: customers per RFM segment, a label's
 * class balance, sales series, feature scores and the correlation heatmap. Text (axis names,
 * series names) comes in translated; these functions only shape data.
 */
import type { ChartOption } from './echarts';

const ACCENT = '#2f6fdf';
const SECOND = '#e07b39';
const PALETTE = ['#2f6fdf', '#e07b39', '#2a9d8f', '#c44e97', '#8a6fdf', '#d4a017', '#5f7d95', '#3fa34d', '#b5523b'];

function compact(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** Horizontal bars: customers per segment (largest on top), with revenue share in the tooltip. */
export function segmentsOption(
  rows: readonly { segment: string; customers: number; revenue: number }[],
  labels: { customers: string; segment: (id: string) => string },
): ChartOption {
  const ordered = [...rows].reverse();
  return {
    grid: { left: 8, right: 36, top: 8, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value',
      name: labels.customers,
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1,
      axisLabel: { formatter: compact },
    },
    yAxis: { type: 'category', data: ordered.map((r) => labels.segment(r.segment)) },
    series: [
      {
        type: 'bar',
        name: labels.customers,
        data: ordered.map((r) => r.customers),
        itemStyle: { color: ACCENT },
        label: { show: true, position: 'right', formatter: (p: { value: number }) => compact(p.value) },
      },
    ],
  };
}

/** Two bars: how many customers have label 1 and label 0. */
export function classBalanceOption(
  balance: { positives: number; negatives: number },
  labels: { positive: string; negative: string; customers: string },
): ChartOption {
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value',
      name: labels.customers,
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1,
      axisLabel: { formatter: compact },
    },
    yAxis: { type: 'category', data: [labels.negative, labels.positive] },
    series: [
      {
        type: 'bar',
        data: [
          { value: balance.negatives, itemStyle: { color: SECOND } },
          { value: balance.positives, itemStyle: { color: ACCENT } },
        ],
        label: { show: true, position: 'right' },
      },
    ],
  };
}

/** One line per series over the periods; `null` series means the single, ungrouped one. */
export function seriesOption(
  points: readonly { period: string; series: string | null; value: number }[],
  labels: { value: string; total: string },
): ChartOption {
  const periods = [...new Set(points.map((p) => p.period))].sort();
  const index = new Map(periods.map((p, i) => [p, i]));
  const byName = new Map<string, (number | null)[]>();
  for (const p of points) {
    const name = p.series ?? labels.total;
    let values = byName.get(name);
    if (!values) {
      values = new Array<number | null>(periods.length).fill(null);
      byName.set(name, values);
    }
    values[index.get(p.period)!] = p.value;
  }
  const many = byName.size > 1;
  return {
    color: PALETTE,
    grid: { left: 8, right: 16, top: many ? 36 : 12, bottom: 56, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: many ? { type: 'scroll', top: 0 } : undefined,
    xAxis: { type: 'category', data: periods, boundaryGap: false },
    yAxis: { type: 'value', name: labels.value, axisLabel: { formatter: compact } },
    dataZoom: [{ type: 'inside' }, { type: 'slider', height: 18, bottom: 8 }],
    series: [...byName].map(([name, data]) => ({ type: 'line', name, data, showSymbol: false, smooth: false })),
  };
}

/** Feature scores as horizontal bars, best on top; selected features in the accent colour. */
export function featureScoresOption(
  scores: readonly { feature: string; score: number; selected: boolean }[],
  labels: { score: string },
): ChartOption {
  const ordered = [...scores].reverse();
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: {
      type: 'value',
      name: labels.score,
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: compact },
    },
    yAxis: { type: 'category', data: ordered.map((s) => s.feature), axisLabel: { width: 160, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: ordered.map((s) => ({ value: s.score, itemStyle: { color: s.selected ? ACCENT : '#9aa4b5' } })),
      },
    ],
  };
}

/** A correlation heatmap from −1 (orange) to 1 (blue), values printed when the matrix is small. */
export function correlationOption(features: readonly string[], matrix: readonly (readonly number[])[]): ChartOption {
  const data: [number, number, number][] = [];
  matrix.forEach((row, i) => row.forEach((r, j) => data.push([j, i, Number.isFinite(r) ? Number(r.toFixed(2)) : 0])));
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 64, containLabel: true },
    tooltip: {
      formatter: (p: { value: [number, number, number] }) =>
        `${features[p.value[1]]} × ${features[p.value[0]]}: ${p.value[2]}`,
    },
    xAxis: { type: 'category', data: [...features], axisLabel: { rotate: 45, width: 90, overflow: 'truncate' } },
    yAxis: { type: 'category', data: [...features], axisLabel: { width: 120, overflow: 'truncate' } },
    visualMap: {
      min: -1,
      max: 1,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
      inRange: { color: [SECOND, '#f4f4f4', ACCENT] },
    },
    series: [{ type: 'heatmap', data, label: { show: features.length <= 12, fontSize: 10 } }],
  };
}
