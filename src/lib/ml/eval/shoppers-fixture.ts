/**
 * Test fixture: turns the UCI "Online Shoppers Purchasing Intention" CSV (shipped in
 * public/samples, CC BY 4.0) into a feature matrix exactly like
 * docs/reference/classify_shoppers_reference.py does, so that AUCs are comparable with sklearn's.
 */
import type { Matrix } from '../matrix';

/** Month codes in calendar order (the file spells June in full). */
const MONTHS = ['Feb', 'Mar', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const VISITORS = ['New_Visitor', 'Other', 'Returning_Visitor'];
const NUMERIC = [
  'Administrative',
  'Administrative_Duration',
  'Informational',
  'Informational_Duration',
  'ProductRelated',
  'ProductRelated_Duration',
  'BounceRates',
  'ExitRates',
  'PageValues',
  'SpecialDay',
  'OperatingSystems',
  'Browser',
  'Region',
  'TrafficType',
];

/** The encoded data set: 14 numeric columns, one-hot Month and VisitorType, Weekend as 0/1; y = Revenue. */
export interface Shoppers {
  X: Matrix;
  y: Int32Array;
  names: string[];
}

/** Parses the CSV text (no quoted fields in this file, so a plain split suffices). */
export function parseShoppers(text: string): Shoppers {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const header = lines[0]!.split(',');
  const col = (name: string) => {
    const j = header.indexOf(name);
    if (j < 0) throw new Error(`shoppers: missing column ${name}`);
    return j;
  };
  const numIdx = NUMERIC.map(col);
  const [mIdx, vIdx, wIdx, rIdx] = [col('Month'), col('VisitorType'), col('Weekend'), col('Revenue')];
  const names = [...NUMERIC, ...MONTHS.map((m) => `Month=${m}`), ...VISITORS.map((v) => `VisitorType=${v}`), 'Weekend'];
  const p = names.length;
  const n = lines.length - 1;
  const data = new Float64Array(n * p);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1]!.split(',');
    const o = i * p;
    numIdx.forEach((j, c) => (data[o + c] = Number(f[j])));
    const mi = MONTHS.indexOf(f[mIdx]!);
    const vi = VISITORS.indexOf(f[vIdx]!);
    if (mi < 0 || vi < 0) throw new Error(`shoppers: unexpected Month/VisitorType on line ${i + 2}`);
    data[o + NUMERIC.length + mi] = 1;
    data[o + NUMERIC.length + MONTHS.length + vi] = 1;
    data[o + p - 1] = f[wIdx] === 'TRUE' ? 1 : 0;
    y[i] = f[rIdx] === 'TRUE' ? 1 : 0;
  }
  return { X: { data, nRows: n, nCols: p }, y, names };
}
