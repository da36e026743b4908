import { describe, expect, it } from 'vitest';
import { en } from './en';
import { zhCN } from './zh-CN';
import { format, negotiateLocale, translate } from './index.svelte';

describe('i18n', () => {
  it('has a Chinese string for every English key and no extra ones', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('keeps the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(zhCN[key]), key).toEqual(names(en[key]));
    }
  });

  it('follows the browser language', () => {
    expect(negotiateLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(negotiateLocale(['de-DE', 'en-GB'])).toBe('en');
    expect(negotiateLocale(['fr'])).toBe('en');
  });

  it('fills placeholders and formats numbers for the locale', () => {
    expect(format('{rows} rows', { rows: 1234567 }, 'en')).toBe('1,234,567 rows');
    expect(translate('zh-CN', 'sidebar.rows', { rows: 20000 })).toBe('20,000 行');
  });
});
