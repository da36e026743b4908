/**
 * Turning what a person types into a form field into the values a recipe step holds, so the
 * step forms stay free of parsing rules: `12` is a number for a numeric column and text for a
 * text column, `a, b` is a list, and an empty optional field is absent rather than "".
 */
import { typeClass } from './compile';
import type { Condition, Scalar } from './steps';

/** One typed value for a column of DuckDB type `type` (text when `type` is unknown). */
export function parseScalar(text: string, type?: string): Scalar {
  const trimmed = text.trim();
  const cls = type ? typeClass(type) : 'text';
  if (cls === 'numeric' && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  if (cls === 'boolean') {
    if (/^(true|yes|1)$/i.test(trimmed)) return true;
    if (/^(false|no|0)$/i.test(trimmed)) return false;
  }
  if (!type && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return cls === 'text' ? text : trimmed;
}

/** A comma-separated list, each item typed as `parseScalar` does; empty items are dropped. */
export function parseList(text: string, type?: string): Scalar[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => parseScalar(item, type));
}

/** How a value is shown back in a text field. */
export function formatScalar(value: Scalar | Scalar[] | undefined): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => formatScalar(v)).join(', ');
  return String(value);
}

/** The condition after its operator changed: the value takes the shape the new operator needs. */
export function withOperator(condition: Condition, op: Condition['op']): Condition {
  const { value, ...rest } = condition;
  const next: Condition = { ...rest, op };
  const first = Array.isArray(value) ? value[0] : value;
  if (op === 'is_null' || op === 'not_null') return next;
  if (op === 'in') return { ...next, value: Array.isArray(value) ? value : first == null ? [] : [first] };
  if (op === 'between') {
    const pair = Array.isArray(value) && value.length === 2 ? value : [first ?? 0, first ?? 0];
    return { ...next, value: pair };
  }
  if (op === 'contains' || op === 'starts_with') return { ...next, value: first == null ? '' : String(first) };
  return { ...next, value: first ?? '' };
}

/** Text for an optional field: empty means "not set". */
export function optionalText(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}
