/**
 * Pure ECharts option builders for Classify's explanations: one partial dependence chart per
 * top feature (a line over a numeric grid, bars over a category's levels) and the per-row
 * contribution bars ("why this customer scored 0.83"), pushes up and down in two colours with
 * the rest of the features folded into one bar. Text comes in translated.
 */
import type { ChartOption } from './echarts';

const ACCENT = '#2f6fdf';
// Towards the positive class or away from it: neither is good or bad in itself (churn vs. buy).
const UP = '#2f6fdf';
const DOWN = '#e07b39';
const GREY = '#8a94a6';

/** A partial dependence curve: mean P(positive) per grid value of one feature. */
export function partialDependenceOption(
  curve: {
    feature: string;
    kind: 'number' | 'category';
    grid: readonly (number | string)[];
    average: readonly number[];
  },
  labels: { y: string },
): ChartOption {
  const numeric = curve.kind === 'number';
  const lo = Math.min(...curve.average);
  const hi = Math.max(...curve.average);
  // Padded to tenths: a flat curve stays visibly flat (no auto-zoom into noise), ticks stay round.
  const pad = Math.max(0.02, (hi - lo) * 0.1);
  const first = numeric ? (curve.grid[0] as number) : 0;
  const last = numeric ? (curve.grid[curve.grid.length - 1] as number) : 0;
  return {
    animation: false,
    // Room left of the tick labels for the rotated y-axis name (containLabel counts labels only).
    grid: { left: 30, right: 16, top: 16, bottom: 40, containLabel: true },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v: number) => (typeof v === 'number' ? v.toFixed(3) : String(v)),
    },
    xAxis: numeric
      ? {
          type: 'value',
          name: curve.feature,
          nameLocation: 'middle',
          nameGap: 26,
          min: first,
          max: last,
          axisLine: { onZero: false },
          axisLabel: { formatter: (v: number) => Number(v.toPrecision(3)).toString(), hideOverlap: true },
        }
      : {
          type: 'category',
          name: curve.feature,
          nameLocation: 'middle',
          nameGap: 26,
          data: curve.grid.map(String),
          axisLabel: { interval: 0, rotate: curve.grid.length > 4 ? 30 : 0, width: 80, overflow: 'truncate' },
        },
    yAxis: {
      type: 'value',
      name: labels.y,
      nameLocation: 'middle',
      nameGap: 40,
      min: Math.max(0, Math.floor((lo - pad) * 10) / 10),
      max: Math.min(1, Math.ceil((hi + pad) * 10) / 10),
      axisLine: { onZero: false },
    },
    series: [
      numeric
        ? {
            type: 'line',
            name: labels.y,
            data: curve.grid.map((x, i) => [x as number, curve.average[i]!]),
            showSymbol: true,
            symbolSize: 4,
            lineStyle: { color: ACCENT },
            itemStyle: { color: ACCENT },
          }
        : {
            type: 'bar',
            name: labels.y,
            data: curve.average.map((v) => Number(v.toFixed(4))),
            itemStyle: { color: ACCENT },
          },
    ],
  };
}

/** A row's contributions as horizontal bars (largest |push| on top), at most `max` bars plus "other features". */
export function contributionsOption(
  contributions: readonly { feature: string; contribution: number }[],
  labels: { axis: string; other: string },
  max = 10,
): ChartOption {
  const sorted = [...contributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
  const shown = sorted.slice(0, max);
  const rest = sorted.slice(max).reduce((s, c) => s + c.contribution, 0);
  if (sorted.length > max) shown.push({ feature: labels.other, contribution: rest });
  const bars = shown.reverse();
  return {
    // Drawn at once: the bars are read as exact amounts (and a screenshot shows them whole).
    animation: false,
    grid: { left: 8, right: 56, top: 8, bottom: 36, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: labels.axis, nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'category', data: bars.map((c) => c.feature), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: labels.axis,
        data: bars.map((c, i) => ({
          value: Number(c.contribution.toFixed(4)),
          itemStyle: {
            color: sorted.length > max && i === 0 ? GREY : c.contribution >= 0 ? UP : DOWN,
          },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: number }) => `${p.value >= 0 ? '+' : ''}${p.value.toFixed(3)}`,
        },
      },
    ],
  };
}
