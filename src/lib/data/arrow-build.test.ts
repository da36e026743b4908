import { vectorFromArray, Utf8 } from 'apache-arrow';
import { it, vi } from 'vitest';

it('experiment: spy', () => {
  const original = Function;
  const spy = vi.spyOn(globalThis, 'Function');
  console.log(Object.getOwnPropertyDescriptor(spy, 'prototype'));
  Object.defineProperty(spy, 'prototype', { value: original.prototype });
  const v = vectorFromArray(['a', null], new Utf8());
  console.log(v.toArray(), spy.mock.calls.length, spy.mock.calls[0]);
  const f = new Function('x', 'return x + 1') as (x: number) => number;
  console.log(f(1), f instanceof original, spy.mock.calls.length);
  spy.mockRestore();
  console.log(globalThis.Function === original);
});
