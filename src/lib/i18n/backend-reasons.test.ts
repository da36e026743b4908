/** Every reason key the backend choice can produce has a translation in both languages, with its params filled. */
import { describe, expect, it } from 'vitest';
import { chooseBackend, type BackendCandidate } from '../ml/tf/backend';
import { format } from './index.svelte';
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

const c = (name: BackendCandidate['name'], msPerOp: number | null, available = true): BackendCandidate => ({
  name,
  available,
  software: false,
  msPerOp,
});

describe('backend reasons in the UI languages', () => {
  it('translates every reason with no placeholder left', () => {
    const cases = [
      chooseBackend([c('wasm', 1), c('cpu', 9)], 'cpu'),
      chooseBackend([c('wasm', 1.234), c('cpu', 9)]),
      chooseBackend([c('cpu', null), c('wasm', null)]),
      chooseBackend([]),
      chooseBackend([c('wasm', 1), c('webgpu', null, false)], 'webgpu'),
      chooseBackend([c('wasm', null), c('webgpu', null, false)], 'webgpu'),
      chooseBackend([], 'webgl'),
    ];
    expect(new Set(cases.map((x) => x.reasonKey)).size).toBe(7);
    for (const choice of cases) {
      const key = `backend.reason.${choice.reasonKey}` as MessageKey;
      const english = format(en[key], choice.reasonParams, 'en');
      const chinese = format(zhCN[key], choice.reasonParams, 'zh-CN');
      expect(english).not.toMatch(/[{}]/);
      expect(chinese).not.toMatch(/[{}]/);
      expect(chinese).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(format(en['backend.reason.fastest'], chooseBackend([c('wasm', 1.234)]).reasonParams, 'en')).toBe(
      'fastest measured (1.23 ms per test operation)',
    );
  });
});
