/**
 * Reading one method's `params` object: every method declares the names it accepts (anything
 * else, such as a typo like `tablename`, fails loudly instead of being ignored), and typed
 * getters throw a `bad_params` error naming the method and the parameter.
 */
import type { ShopSightErrorInfo } from '../contracts/data-api';
import { EMBED_ERROR, describeValue } from './protocol';

/** Thrown by `ParamReader`; `validate` turns it into a `bad_params` reply. */
export class BadParamsError extends Error {
  readonly info: ShopSightErrorInfo;

  constructor(method: string, param: string, message: string) {
    super(message);
    this.name = 'BadParamsError';
    this.info = { code: EMBED_ERROR.badParams, message, params: { method, param } };
  }
}

export interface StringRule {
  /** Longest accepted length in UTF-16 code units. */
  maxLength: number;
  /** Reject C0 control characters (names, file names); SQL may contain tabs and newlines. */
  allowControl?: boolean;
}

export interface IntegerRule {
  min: number;
  max: number;
}

const CONTROL = /[\u0000-\u001f\u007f]/;

export class ParamReader {
  readonly #method: string;
  readonly #raw: Record<string, unknown>;
  readonly #accepted: readonly string[];

  /** Throws `bad_params` at once if `raw` holds a parameter not in `accepted`. */
  constructor(method: string, raw: Record<string, unknown>, accepted: readonly string[]) {
    this.#method = method;
    this.#raw = raw;
    this.#accepted = accepted;
    // Checked first, so a typo (`table` for `name`) is named as such rather than reported
    // as the correct parameter missing.
    const unknown = Object.keys(raw).filter((key) => !accepted.includes(key));
    if (unknown.length > 0) {
      const list = accepted.length > 0 ? accepted.map((k) => `"${k}"`).join(', ') : 'none';
      throw new BadParamsError(
        method,
        unknown[0]!,
        `${method}: unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')} (accepted: ${list}).`,
      );
    }
  }

  /** A `bad_params` error about `param`, for checks a getter cannot express. */
  fail(param: string, problem: string): never {
    throw new BadParamsError(this.#method, param, `${this.#method}: "${param}" ${problem}`);
  }

  /** The raw value (undefined when absent). */
  raw(name: string): unknown {
    if (!this.#accepted.includes(name)) throw new Error(`${this.#method} reads "${name}" but does not declare it.`);
    return Object.prototype.hasOwnProperty.call(this.#raw, name) ? this.#raw[name] : undefined;
  }

  string(name: string, rule: StringRule): string {
    const value = this.optionalString(name, rule);
    if (value === undefined) this.fail(name, 'is required (a non-empty string).');
    return value;
  }

  optionalString(name: string, rule: StringRule): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(name, `must be a string, got ${describeValue(value)}.`);
    if (value.trim().length === 0) this.fail(name, 'must not be empty.');
    if (value.length > rule.maxLength) this.fail(name, `must be at most ${rule.maxLength} characters long.`);
    if (!rule.allowControl && CONTROL.test(value)) this.fail(name, 'must not contain control characters.');
    return value;
  }

  optionalInteger(name: string, rule: IntegerRule): number | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value))
      this.fail(name, `must be an integer, got ${describeValue(value)}.`);
    if (value < rule.min || value > rule.max) {
      this.fail(
        name,
        `must be between ${rule.min.toLocaleString('en')} and ${rule.max.toLocaleString('en')}, got ${value}.`,
      );
    }
    return value;
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail(name, `must be true or false, got ${describeValue(value)}.`);
    return value;
  }
}
