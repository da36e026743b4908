import { describe, expect, it } from 'vitest';
import type { AnomalyReason } from '../contracts/segments-api';
import { perKOption, scatterOption, scoreHistogramOption, segmentColor } from '../charts/segments-charts';
import { csvCell, toCsv } from './csv';
import { formatRatio, reasonChip } from './reasons';

type Series = { name?: string; data: unknown[]; markLine?: { data: unknown[] } }[];

describe('segments CSV', () => {
  it('quotes what needs quoting and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('-12.5')).toBe('-12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(3)).toBe('3');
    expect(
      toCsv(
        ['id', 'segment'],
        [
          ['C1', 1],
          ['C,2', 2],
        ],
      ),
    ).toBe('id,segment\r\nC1,1\r\n"C,2",2\r\n');
  });
});

describe('anomaly reason chips', () => {
  const text = {
    t: (key: string, p: Record<string, string>) => `${key}|${Object.values(p).join('|')}`,
    feature: (n: string) => n.replace('_', ' '),
    number: (v: number) => String(v),
  };
  const reason = (over: Partial<AnomalyReason>): AnomalyReason => ({
    feature: 'order_value',
    value: 1200,
    median: 100,
    z: 9,
    direction: 'high',
    ratio: 12,
    ...over,
  });

  it('says "N× typical" for big ratios and value vs typical otherwise', () => {
    expect(reasonChip(reason({}), text)).toBe('anomalies.reason.times|order value|12');
    expect(reasonChip(reason({ value: 5, ratio: 0.05, direction: 'low', z: -4 }), text)).toBe(
      'anomalies.reason.times|order value|0.050',
    );
    expect(reasonChip(reason({ feature: 'hour', value: 0, median: 12, ratio: null, direction: 'low' }), text)).toBe(
      'anomalies.reason.low|hour|0|12',
    );
    expect(reasonChip(reason({ value: 150, ratio: 1.5 }), text)).toBe('anomalies.reason.high|order value|150|100');
  });

  it('rounds ratios for reading', () => {
    expect(formatRatio(145.2)).toBe('145');
    expect(formatRatio(3.44)).toBe('3.4');
    expect(formatRatio(0.254)).toBe('0.25');
  });
});

describe('segments charts', () => {
  it('marks the chosen k on the per-k line', () => {
    const option = perKOption(
      [
        { k: 2, value: 10 },
        { k: 3, value: 6 },
        { k: 4, value: 5 },
      ],
      3,
      { k: 'k', value: 'Inertia', chosen: 'chosen' },
    );
    expect((option.xAxis as { data: string[] }).data).toEqual(['2', '3', '4']);
    const series = (option.series as Series)[0]!;
    expect(series.data.map((d) => (d as { symbolSize: number }).symbolSize)).toEqual([6, 12, 6]);
    expect(series.markLine!.data).toEqual([{ xAxis: '3' }]);
  });

  it('draws one scatter series per segment in the segment colours', () => {
    const option = scatterOption(
      { x: [0, 1, 2, 3], y: [1, 1, 2, 2], segment: [2, 1, 2, 1] },
      { segment: (s) => `S${s}`, x: 'PC1', y: 'PC2' },
    );
    const series = option.series as (Series[number] & { itemStyle: { color: string } })[];
    expect(series.map((s) => s.name)).toEqual(['S1', 'S2']);
    expect(series[0]!.data).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(series[1]!.itemStyle.color).toBe(segmentColor(2));
  });

  it('colours histogram bins above the cutoff and leaves empty bins empty on the log axis', () => {
    const option = scoreHistogramOption(
      { edges: [0, 0.25, 0.5, 0.75, 1], counts: [10, 0, 3, 1], cutoff: 0.6 },
      { score: 'Score', rows: 'Rows' },
    );
    const data = (option.series as Series)[0]!.data as { value: number | null; itemStyle: { color: string } }[];
    expect(data.map((d) => d.value)).toEqual([10, null, 3, 1]);
    expect(data[0]!.itemStyle.color).not.toBe(data[3]!.itemStyle.color);
    expect(data[2]!.itemStyle.color).toBe(data[3]!.itemStyle.color);
  });
});
