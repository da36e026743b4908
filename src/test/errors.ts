/** Test helper: runs `fn`, asserts it throws a ShopSightError, and returns that error. */
import { expect } from 'vitest';
import { ShopSightError } from '../lib/data/errors';

export function thrownShopSightError(fn: () => unknown): ShopSightError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ShopSightError);
    return error as ShopSightError;
  }
  throw new Error('expected a ShopSightError, but nothing was thrown');
}
