/** Rules for the names of user tables: readable, unique, and never clashing with internals. */
import { ShopSightError } from './errors';

/** Internal tables (stages, rejects) start with `__` or end with `__rejects`. */
export function rejectsTableName(table: string): string {
  return `${table}__rejects`;
}

/** Checks a user-chosen name; returns it trimmed. */
export function validateTableName(name: string): string {
  const trimmed = name.trim();
  if (
    trimmed === '' ||
    trimmed.length > 120 ||
    trimmed.startsWith('__') ||
    trimmed.endsWith('__rejects') ||
    /[\u0000-\u001f]/.test(trimmed)
  ) {
    throw new ShopSightError({
      code: 'bad_table_name',
      message: `"${name}" cannot be used as a table name. Use up to 120 letters, digits or underscores, not starting with "__".`,
      params: { name },
    });
  }
  return trimmed;
}

/** The name itself when free, otherwise `name_2`, `name_3`, … */
export function uniqueTableName(name: string, taken: (candidate: string) => boolean): string {
  const base = validateTableName(name);
  if (!taken(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}_${i}`;
    if (!taken(candidate)) return candidate;
  }
}
