/**
 * ShopSight's one error type. It carries a stable `code` (for i18n and the embed API)
 * and crosses Comlink as a plain `ShopSightErrorInfo` object.
 */
import type { ShopSightErrorInfo } from '../contracts/data-api';

export class ShopSightError extends Error {
  readonly code: string;
  readonly params: Record<string, string | number>;
  readonly line?: number;
  readonly column?: number | string;

  constructor(info: ShopSightErrorInfo) {
    super(info.message);
    this.name = 'ShopSightError';
    this.code = info.code;
    this.params = info.params ?? {};
    if (info.line !== undefined) this.line = info.line;
    if (info.column !== undefined) this.column = info.column;
  }

  static cancelled(): ShopSightError {
    return new ShopSightError({ code: 'cancelled', message: 'Cancelled.' });
  }

  toInfo(): ShopSightErrorInfo {
    const info: ShopSightErrorInfo = { code: this.code, message: this.message, params: this.params };
    if (this.line !== undefined) info.line = this.line;
    if (this.column !== undefined) info.column = this.column;
    return info;
  }
}

/** Normalises anything thrown (DuckDB errors are plain Errors with a message) to error info. */
export function toErrorInfo(error: unknown, fallbackCode = 'internal'): ShopSightErrorInfo {
  if (error instanceof ShopSightError) return error.toInfo();
  if (isErrorInfo(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return { code: fallbackCode, message };
}

export function isErrorInfo(value: unknown): value is ShopSightErrorInfo {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
