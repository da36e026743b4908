/**
 * Translation with Svelte 5 runes: `i18n.t(key, params)` re-renders wherever it is used when
 * the locale changes. The locale follows the browser (`navigator.languages`) until the user
 * picks one, which is remembered in localStorage.
 */
import { en, type MessageKey } from './en';
import { zhCN } from './zh-CN';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: readonly { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };
const STORAGE_KEY = 'shopsight.locale';

/** Picks the first supported language from a browser language list. */
export function negotiateLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const lower = lang.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Fills `{name}` placeholders; numbers are formatted for the locale. */
export function format(template: string, params: Record<string, string | number> | undefined, locale: Locale): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(locale) : value;
  });
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return format(catalogues[locale][key] ?? en[key], params, locale);
}

class I18n {
  locale = $state<Locale>('en');

  constructor() {
    const saved = typeof localStorage !== 'undefined' ? safeGet(STORAGE_KEY) : null;
    if (saved === 'en' || saved === 'zh-CN') this.locale = saved;
    else if (typeof navigator !== 'undefined')
      this.locale = negotiateLocale(navigator.languages ?? [navigator.language]);
  }

  setLocale(locale: Locale): void {
    this.locale = locale;
    safeSet(STORAGE_KEY, locale);
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
  }

  t = (key: MessageKey, params?: Record<string, string | number>): string => translate(this.locale, key, params);

  /** Has a translation for a dynamic key (finding codes, error codes) in the catalogue? */
  has(key: string): key is MessageKey {
    return key in en;
  }

  number = (value: number, digits = 2): string =>
    value.toLocaleString(this.locale, { maximumFractionDigits: Math.abs(value) >= 1000 ? 0 : digits });
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or a sandboxed iframe without storage: the choice lasts for this visit.
  }
}

export const i18n = new I18n();
