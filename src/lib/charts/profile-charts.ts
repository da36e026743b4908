/** Pure option builders for the quality report's charts (tested without a DOM). */
import type { ColumnProfile } from '../contracts/data-api';
import type { ChartOption } from './echarts';

const ACCENT = '#2f6fdf';

function compactNumber(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

/** A histogram of a numeric column, bins labelled by their lower edge. */
export function histogramOption(profile: ColumnProfile, countLabel: string): ChartOption | null {
  const bins = profile.histogram;
  if (!bins?.length) return null;
  return {
    grid: { left: 48, right: 12, top: 12, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
    },
    xAxis: {
      type: 'category',
      data: bins.map((b) => `${compactNumber(b.lo)} – ${compactNumber(b.hi)}`),
      axisLabel: { formatter: (v: string) => v.split(' – ')[0] ?? v, hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      name: countLabel,
      minInterval: 1,
      nameTextStyle: { align: 'left' },
      axisLabel: { formatter: compactNumber },
    },
    series: [{ type: 'bar', data: bins.map((b) => b.count), itemStyle: { color: ACCENT }, barCategoryGap: '8%' }],
  };
}

/** A horizontal bar chart of the most common values, most frequent on top. */
export function topValuesOption(profile: ColumnProfile, countLabel: string): ChartOption | null {
  const top = profile.topValues;
  // A bar per value is only worth drawing when some value repeats (not for ids).
  if (!top?.length || Math.max(...top.map((t) => t.count)) <= 1) return null;
  const ordered = [...top].reverse();
  return {
    grid: { left: 8, right: 24, top: 8, bottom: 28, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', name: countLabel, minInterval: 1, axisLabel: { formatter: compactNumber } },
    yAxis: {
      type: 'category',
      data: ordered.map((t) => t.value),
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: [{ type: 'bar', data: ordered.map((t) => t.count), itemStyle: { color: ACCENT } }],
  };
}
