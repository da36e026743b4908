/**
 * Calendar and covariate inputs: the calendar of known dates checked by hand (2024-01-01 was a
 * Monday; ISO week 1 of 2021 starts on 2021-01-04), holiday windows and counts, the alignment of
 * the horizon's calendar with the window targets, and the backtest's leakage guard.
 */
import { describe, expect, it } from 'vitest';
import { backtestModel } from './backtest';
import {
  calendarNames,
  columnsMatrix,
  concatColumns,
  defaultAggregate,
  expandHolidays,
  fillCovariate,
  holidayDays,
  isoWeek,
  periodCalendar,
  sliceExogenous,
  type Exogenous,
} from './exogenous';
import type { FitOptions, Forecaster } from './types';
import { makeWindows } from './windowing';

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(iso) / DAY;

describe('periodCalendar', () => {
  it('daily: weekday one-hot, month sin/cos, holiday flag with a ±1 day window', () => {
    const starts = Array.from({ length: 10 }, (_, i) => day('2024-01-01') + i);
    const hol = expandHolidays(holidayDays(['2024-01-05']), 1);
    const cal = periodCalendar(starts, 'day', hol);
    expect(cal.names).toEqual(calendarNames('day', true));
    const f = cal.names.length;
    expect(f).toBe(10);
    const row = (r: number) => Array.from(cal.data.subarray(r * f, (r + 1) * f));
    // Monday 2024-01-01 → dow_mon; Sunday 2024-01-07 → dow_sun.
    expect(row(0).slice(0, 7)).toEqual([1, 0, 0, 0, 0, 0, 0]);
    expect(row(6).slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    // January: month index 0 → sin 0, cos 1.
    expect(row(0)[7]).toBeCloseTo(0, 6);
    expect(row(0)[8]).toBeCloseTo(1, 6);
    // Holiday on the 5th (index 4) widened to the 4th and the 6th.
    expect(Array.from({ length: 10 }, (_, r) => row(r)[9])).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('weekly: ISO week of year and holiday days in the week; monthly: month and holiday count', () => {
    expect(isoWeek(day('2021-01-04'))).toBe(1);
    expect(isoWeek(day('2021-01-03'))).toBe(53); // belongs to 2020's week 53
    expect(isoWeek(day('2024-12-30'))).toBe(1); // belongs to 2025's week 1
    const hol = new Set(holidayDays(['2024-12-25', '2024-12-26', '2025-01-01']));
    const weeks = [day('2024-12-23'), day('2024-12-30'), day('2025-01-06')];
    const w = periodCalendar(weeks, 'week', hol);
    expect(w.names).toEqual(['woy_sin', 'woy_cos', 'month_sin', 'month_cos', 'holiday_days']);
    expect([w.data[4], w.data[9], w.data[14]]).toEqual([2, 1, 0]);
    // Week 1 → angle 0: sin 0, cos 1. The week of 2024-12-30 has its Thursday in January.
    expect(w.data[5]).toBeCloseTo(0, 6);
    expect(w.data[6]).toBeCloseTo(1, 6);
    expect(w.data[8]).toBeCloseTo(1, 6);
    const months = periodCalendar([day('2024-12-01'), day('2025-01-01')], 'month', hol);
    expect(months.names).toEqual(['month_sin', 'month_cos', 'holiday_days']);
    expect([months.data[2], months.data[5]]).toEqual([2, 1]);
    // December sits next to January on the circle.
    expect(months.data[0]).toBeCloseTo(Math.sin((2 * Math.PI * 11) / 12), 6);
    expect(() => holidayDays(['christmas'])).toThrow(/not a date/);
  });

  it("aligns the horizon's calendar with the targets: step h of a window is the calendar of that date", () => {
    const n = 40;
    const H = 5;
    const starts = Array.from({ length: n + H }, (_, i) => day('2024-03-01') + i);
    const cal = periodCalendar(starts, 'day');
    const series = Float32Array.from({ length: n }, (_, i) => i);
    const w = makeWindows(series, { lookback: 7, horizon: H, future: cal });
    const f = cal.names.length;
    expect(w.futureFeatures).toBe(f);
    expect(w.xFuture!.length).toBe(w.count * H * f);
    for (let k = 0; k < w.count; k++) {
      for (let h = 0; h < H; h++) {
        const date = w.targetStart[k]! + h;
        expect(w.y[k * H + h]).toBe(date); // the target is series[date] …
        const got = w.xFuture!.subarray((k * H + h) * f, (k * H + h + 1) * f);
        expect(Array.from(got)).toEqual(Array.from(cal.data.subarray(date * f, (date + 1) * f))); // … and so is its calendar
      }
    }
  });
});

describe('covariate helpers', () => {
  it('fills empty periods: 0 for sums, the last value for means', () => {
    const raw = Float64Array.from([NaN, 2, NaN, NaN, 5, NaN]);
    expect(Array.from(fillCovariate(raw, 'sum'))).toEqual([0, 2, 0, 0, 5, 0]);
    expect(Array.from(fillCovariate(raw, 'mean'))).toEqual([0, 2, 2, 2, 5, 5]);
    expect(defaultAggregate('Discount')).toBe('mean');
    expect(defaultAggregate('Quantity')).toBe('sum');
    expect(defaultAggregate('order_count')).toBe('sum');
    expect(defaultAggregate('promo_flag')).toBe('mean');
    expect(defaultAggregate('x', 'line_amount')).toBe('sum');
  });

  it('concatenates columns and refuses blocks that are too short', () => {
    const a = columnsMatrix([{ name: 'a', values: [1, 2, 3] }]);
    const b = columnsMatrix([
      { name: 'b', values: [4, 5, 6] },
      { name: 'c', values: [7, 8, 9] },
    ]);
    const ab = concatColumns([a, b]);
    expect(ab.names).toEqual(['a', 'b', 'c']);
    expect(Array.from(ab.data)).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
    expect(() => concatColumns([a, b], 4)).toThrow(/rows/);
  });
});

describe('leakage guard', () => {
  it('slices observed covariates at the origin and known inputs at origin + horizon', () => {
    const exo: Exogenous = {
      known: columnsMatrix([{ name: 'k', values: Array.from({ length: 30 }, (_, i) => i) }]),
      observed: columnsMatrix([{ name: 'o', values: Array.from({ length: 25 }, (_, i) => 100 + i) }]),
    };
    const cut = sliceExogenous(exo, 15, 4)!;
    expect(cut.known!.rows).toBe(19);
    expect(cut.observed!.rows).toBe(15);
    expect(cut.observed!.data.at(-1)).toBe(114);
    expect(sliceExogenous(undefined, 15, 4)).toBeUndefined();
  });

  it('a backtested model never receives an observed covariate value from after its origin', () => {
    const n = 60;
    const H = 6;
    const series = Float64Array.from({ length: n }, (_, i) => 10 + (i % 7));
    // The perfect leak: the covariate IS the series. A model that read it past the origin would be exact.
    const exo: Exogenous = {
      observed: columnsMatrix([{ name: 'leak', values: series }]),
      known: columnsMatrix([{ name: 'k', values: Array.from({ length: n }, (_, i) => i) }]),
    };
    const seen: { origin: number; observed: number; known: number }[] = [];
    const peeking: Forecaster = {
      modelId: 'peek',
      fit(y: Float64Array, options?: FitOptions) {
        const o = options!.exogenous!.observed!;
        const k = options!.exogenous!.known!;
        seen.push({ origin: y.length, observed: o.rows, known: k.rows });
        // Forecast the covariate's "next" values: only the past is there, so this is a naive forecast.
        const last = o.data[o.rows - 1]!;
        const mean = new Float64Array(H).fill(last);
        return {
          modelId: 'peek',
          description: 'peek',
          fitted: new Float64Array(y.length).fill(NaN),
          residuals: new Float64Array(y.length).fill(NaN),
          params: {},
          forecast: () => ({ mean, lower: mean, upper: mean, level: 0.8, intervalMethod: 'none' }),
        };
      },
    };
    const bt = backtestModel(
      series,
      { id: 'peek', family: 'statistical', complexity: 1, forecaster: peeking },
      { horizon: H, origins: 3, seasonPeriod: 7, exogenous: exo },
    );
    expect(seen.map((s) => s.origin)).toEqual([42, 48, 54]);
    for (const s of seen) {
      expect(s.observed).toBe(s.origin);
      expect(s.known).toBe(s.origin + H);
    }
    // Had the model seen the future it would score 0; with only the past it cannot.
    expect(bt.aggregate.mae).toBeGreaterThan(0);
  });
});
