import { describe, expect, it } from 'vitest';
import type { ColumnInfo, TableInfo } from '../contracts/data-api';
import type { ForecastResult } from '../contracts/forecast-api';
import { forecastCsv, guessColumns, pickForecastTable } from './forecast.svelte';

const col = (name: string, type: string, role: ColumnInfo['role'] = 'none'): ColumnInfo => ({
  name,
  type,
  role,
  kind: type === 'DATE' || type === 'TIMESTAMP' ? 'date' : 'decimal',
});
const table = (name: string, columns: ColumnInfo[], derived?: TableInfo['derived']): TableInfo => ({
  name,
  rows: 10,
  columns,
  warnings: [],
  ...(derived ? { derived } : {}),
});

const retail = table('retail', [
  col('InvoiceNo', 'VARCHAR', 'order_id'),
  col('Quantity', 'BIGINT', 'quantity'),
  col('InvoiceDate', 'TIMESTAMP', 'timestamp'),
  col('UnitPrice', 'DOUBLE', 'unit_price'),
  col('CustomerID', 'BIGINT', 'customer_id'),
]);
const built = table(
  'retail_series',
  [col('period', 'DATE'), col('group', 'VARCHAR'), col('value', 'DOUBLE'), col('year', 'INTEGER')],
  { kind: 'series', from: 'retail' },
);

describe('forecast state helpers', () => {
  it('pre-selects a built series, else an orders table, never a forecast result', () => {
    const other = table('x', [col('a', 'VARCHAR')]);
    const result = table('retail_forecast', [col('period', 'DATE'), col('p50', 'DOUBLE')], {
      kind: 'forecast',
      from: 'retail',
    });
    expect(pickForecastTable([other, retail, built])?.name).toBe('retail_series');
    expect(pickForecastTable([result, retail])?.name).toBe('retail');
    expect(pickForecastTable([other])).toBeUndefined();
  });

  it('guesses quantity × unit price without an amount, and the series columns of a built series', () => {
    expect(guessColumns(retail)).toEqual({ date: 'InvoiceDate', value: 'Quantity', multiplyBy: 'UnitPrice', by: '' });
    expect(guessColumns(built)).toEqual({ date: 'period', value: 'value', multiplyBy: '', by: 'group' });
    const withAmount = table('o', [col('ts', 'TIMESTAMP', 'timestamp'), col('total', 'DOUBLE', 'line_amount')]);
    expect(guessColumns(withAmount)).toEqual({ date: 'ts', value: 'total', multiplyBy: '', by: '' });
  });

  it('exports every model’s forecast as CSV with the level’s quantile names', () => {
    const result = {
      quantileColumns: ['p5', 'p50', 'p95'],
      series: [
        {
          key: 'Toys, "big"',
          future: ['2024-02-01'],
          recommended: 'ets',
          forecasts: {
            ets: { mean: [5], median: [5], lower: [1], upper: [9], intervalMethod: 'analytic' },
            naive: { mean: [4], median: [4], lower: [NaN], upper: [8], intervalMethod: 'analytic' },
          },
        },
      ],
    } as unknown as ForecastResult;
    expect(forecastCsv(result)).toBe(
      'period,series,model,recommended,p5,p50,p95\n' +
        '2024-02-01,"Toys, ""big""",ets,1,1,5,9\n' +
        '2024-02-01,"Toys, ""big""",naive,0,,4,8\n',
    );
  });
});

describe('forecast inputs (calendar, covariates)', () => {
  it('turns the covariate choices into the request: planned values only for known ones', async () => {
    const { covariateRequest, parsePlanned } = await import('./forecast.svelte');
    expect(parsePlanned('1, 0;0.5\n2')).toEqual([1, 0, 0.5, 2]);
    expect(parsePlanned('')).toEqual([]);
    expect(
      covariateRequest([
        { column: 'Discount', aggregate: 'mean', known: false, future: '9' },
        { column: 'Promo', aggregate: 'max', known: true, future: '1 0' },
      ]),
    ).toEqual([
      { column: 'Discount', aggregate: 'mean' },
      { column: 'Promo', aggregate: 'max', known: true, future: [1, 0] },
    ]);
  });
});
