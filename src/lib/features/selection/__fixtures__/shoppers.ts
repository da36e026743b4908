/**
 * Test helper: the Online Shoppers sample shipped in public/samples (CC BY 4.0), parsed into the
 * same columns docs/reference/selection_reference.py feeds to scikit-learn.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import reference from './shoppers-reference.json';

/** Path of the shipped sample CSV. */
export const SHOPPERS_CSV = path.resolve(process.cwd(), 'public/samples/online_shoppers_intention.csv');

/** The parsed sample: reference feature columns, Revenue as 0/1 and VisitorType as class indices. */
export interface Shoppers {
  features: string[];
  columns: Float64Array[];
  revenue: Int32Array;
  visitor: Int32Array;
  visitorClasses: string[];
  column(name: string): Float64Array;
}

let cached: Shoppers | undefined;

/** Reads and parses the CSV once per test file (the file has no quoted fields). */
export function loadShoppers(): Shoppers {
  if (cached) return cached;
  const lines = readFileSync(SHOPPERS_CSV, 'utf8').trim().split('\n');
  const header = lines[0]!.split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const at = (name: string): number => header.indexOf(name);
  const num = (v: string): number => (v === 'TRUE' ? 1 : v === 'FALSE' ? 0 : Number(v));
  const features = reference.features;
  const columns = features.map((f) => Float64Array.from(rows, (r) => num(r[at(f)]!)));
  const visitorClasses = [...new Set(rows.map((r) => r[at('VisitorType')]!))].sort();
  cached = {
    features,
    columns,
    revenue: Int32Array.from(rows, (r) => num(r[at('Revenue')]!)),
    visitor: Int32Array.from(rows, (r) => visitorClasses.indexOf(r[at('VisitorType')]!)),
    visitorClasses,
    column: (name) => columns[features.indexOf(name)]!,
  };
  return cached;
}

/** Relative difference |a − b| / max(|b|, tiny), for tolerance checks that report the worst case. */
export function relDiff(a: number, b: number, tiny = 1e-300): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(b), tiny);
}
