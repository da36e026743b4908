/**
 * Sentences for data-quality findings in each language. The report carries only codes and
 * parameters; the words live here so the same report reads well in English and Chinese.
 */
import type { Finding } from '../contracts/data-api';
import { format, type Locale } from './index.svelte';

type Templates = Record<string, string>;

export const FINDING_TEMPLATES: Record<Locale, Templates> = {
  en: {},
  'zh-CN': {},
};

/** The finding as a sentence; unknown codes fall back to a generic sentence with the column. */
export function findingText(finding: Finding, locale: Locale): string {
  const template = FINDING_TEMPLATES[locale][finding.code] ?? FINDING_TEMPLATES.en[finding.code];
  const params: Record<string, string | number> = { ...finding.params };
  if (finding.column !== undefined) params.column ??= finding.column;
  if (finding.count !== undefined) params.count ??= finding.count;
  if (finding.share !== undefined) params.share ??= `${(finding.share * 100).toFixed(1)} %`;
  if (template) return format(template, params, locale);
  const subject = finding.column ? `${finding.column}: ` : '';
  return `${subject}${finding.code.replaceAll('_', ' ')}${finding.count !== undefined ? ` (${finding.count.toLocaleString(locale)})` : ''}`;
}
