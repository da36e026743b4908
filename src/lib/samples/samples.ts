/**
 * Bundled sample datasets for lessons and demos. Only openly licensed files are shipped
 * (see public/samples/README.md for the full provenance of each file).
 */
import type { SampleInfo } from '../contracts/data-api';

export const SAMPLES: readonly SampleInfo[] = [
  {
    id: 'online-retail',
    fileName: 'online_retail_sample_20k.csv',
    title: 'Online Retail (UK gift shop, 2010–2011), 20,000 order lines',
    titleZh: '在线零售（英国礼品店，2010–2011），20,000 条订单明细',
    rows: 20_000,
    licence: 'CC BY 4.0',
    attribution: 'Chen, Sain & Guo (2012), UCI Machine Learning Repository #352 "Online Retail"',
  },
  {
    id: 'online-shoppers',
    fileName: 'online_shoppers_intention.csv',
    title: 'Online Shoppers Purchasing Intention, 12,330 sessions',
    titleZh: '在线购物者购买意向，12,330 次访问',
    rows: 12_330,
    licence: 'CC BY 4.0',
    attribution: 'Sakar, Polat, Katircioglu & Kastro (2019), UCI Machine Learning Repository #468',
  },
];

/** URL of a sample relative to the app (same origin, so the CSP allows it). */
export function sampleUrl(sample: SampleInfo): string {
  return `${import.meta.env.BASE_URL}samples/${sample.fileName}`;
}
