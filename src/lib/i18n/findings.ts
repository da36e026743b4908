/**
 * Data-quality findings as sentences in the user's language. The report carries only codes,
 * counts and parameters; English comes from `describeFinding` (src/lib/sql/findings.ts), the
 * Chinese sentences live here, one per code (a unit test checks none is missing).
 */
import type { Finding } from '../contracts/data-api';
import { describeFinding, formatShare, type FindingCode } from '../sql/findings';
import type { Locale } from './index.svelte';

const KIND_WORDS_ZH: Record<string, string> = {
  integer: '整数',
  decimal: '数字',
  money: '金额',
  percent: '百分比',
  boolean: '是/否值',
  date: '日期',
  timestamp: '日期时间',
  id: '编号',
  text: '文本',
};

const num = (x: number | string | undefined): string =>
  typeof x === 'number' ? x.toLocaleString('zh-CN', { maximumFractionDigits: 2 }) : String(x ?? '');

/** The Chinese sentence for each finding code. */
export const ZH_FINDINGS: Record<FindingCode, (f: Finding, col: string, count: string, share: string) => string> = {
  missing_values: (_f, col, count, share) => `${col} 中有 ${count} 个值缺失${share}。`,
  empty_column: (_f, col) => `${col} 整列为空。`,
  constant_column: (f, col) => `${col} 每一行的值都相同（“${f.params.value}”）。`,
  sentinel_values: (f, col, count) =>
    typeof f.params.value === 'number'
      ? `${col} 中有 ${count} 个值是 ${f.params.value}，这通常表示“未知”。`
      : `${col} 中有 ${count} 个值是“unknown”、“?”、“none”之类的占位文字。`,
  type_problems: (f, col, count) =>
    `${col} 中有 ${count} 个值无法识别为${KIND_WORDS_ZH[String(f.params.kind)] ?? f.params.kind}（例如第 ${num(f.params.row)} 行的“${f.params.example}”）；这些原始值保存在拒收列表中。`,
  inconsistent_labels: (_f, col, count) => `${col} 中有 ${count} 个值存在多种写法（大小写或空格不同）。`,
  duplicate_rows: (_f, _col, count, share) => `有 ${count} 行与其他行完全相同${share}。`,
  duplicate_keys: (f, _col, count, share) => `有 ${count} 行的 ${f.params.key} 与其他行重复${share}。`,
  negative_quantity: (_f, _col, count) => `有 ${count} 行的数量为负数：是退货还是取消的订单？`,
  negative_price: (_f, col, count) => `有 ${count} 行的 ${col} 为负数。`,
  zero_price: (_f, col, count) => `有 ${count} 行的 ${col} 为零：是赠品还是缺少价格？`,
  negative_amount: (_f, col, count) => `有 ${count} 行的 ${col} 为负数：是退款吗？`,
  cancellations: (_f, _col, count, share) => `有 ${count} 行属于已取消的订单，其订单编号以“C”开头${share}。`,
  outliers: (f, col, count) =>
    `${col} 中有 ${count} 个值远离常见范围（低于 ${num(f.params.low)} 或高于 ${num(f.params.high)}）。`,
  future_dates: (f, col, count) => `${col} 中有 ${count} 行的日期在未来（晚于 ${f.params.now}）。`,
  date_gap: (f, col) => `${col} 从 ${f.params.from} 到 ${f.params.to} 连续 ${num(f.params.days)} 天没有数据。`,
  stale_data: (f, col) => `${col} 的最新日期是 ${f.params.latest}，距今已有 ${num(f.params.days)} 天。`,
};

/** The finding as a sentence in `locale`. */
export function findingText(finding: Finding, locale: Locale): string {
  if (locale === 'en') return describeFinding(finding);
  const render = ZH_FINDINGS[finding.code as FindingCode];
  if (!render) return describeFinding(finding);
  const col = `“${finding.column ?? finding.params.column ?? ''}”`;
  const share = finding.share !== undefined ? `（${formatShare(finding.share)}）` : '';
  return render(finding, col, num(finding.count), share);
}
