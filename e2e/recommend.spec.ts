import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot } from './support/artifacts';
import { useApp } from './support/fixture';

/**
 * Recommendations and Reviews in the real app (ML worker under the production CSP): bakery-like
 * baskets generated here with a planted rule → rules table, evaluation cards and the CSV export;
 * generated English reviews → held-out metrics, complaint keywords, scored table.
 */

const TIMEOUT = 120_000;

/** Baskets (no customer column): Croissant ⇒ Jam in every basket with a croissant. */
function baskets(): string {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const others = ['Coffee', 'Bread', 'Tea', 'Cake', 'Muffin', 'Cookies', 'Juice'];
  const lines = ['Transaction,Item,Date'];
  for (let t = 1; t <= 600; t++) {
    const day = `2024-0${1 + Math.floor((t - 1) / 120)}-${String(1 + ((t * 7) % 27)).padStart(2, '0')}`;
    const items = new Set<string>();
    if (rnd() < 0.3) items.add('Croissant').add('Jam');
    items.add(others[Math.floor(rnd() * others.length)]!);
    if (rnd() < 0.6) items.add(others[Math.floor(rnd() * others.length)]!);
    for (const it of items) lines.push(`${t},${it},${day}`);
  }
  return lines.join('\n');
}

function reviews(): string {
  const good = ['love it', 'perfect fit', 'beautiful colour', 'great quality', 'very comfortable'];
  const bad = ['poor quality', 'too small', 'returned it', 'seams ripped', 'very disappointed'];
  const lines = ['Review Text,Rating,Department'];
  for (let i = 0; i < 300; i++) {
    const rating = 1 + (i % 5);
    const dept = i % 3 ? 'Tops' : 'Dresses';
    const pool = rating >= 3 ? good : bad;
    const text = `${pool[i % 5]!} and ${pool[(i * 3 + 1) % 5]!}${rating <= 2 && dept === 'Dresses' ? ', zipper broke' : ''}`;
    lines.push(`"${text}",${i % 11 === 10 ? '' : rating},${dept}`);
  }
  return lines.join('\n');
}

async function readDownload(download: Download): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('Recommendations and Reviews', () => {
  const fx = useApp();

  it('mines basket rules, evaluates against best sellers and exports the rules', async () => {
    const { app, page } = fx;
    await app.goto();
    await app.waitReady();
    await app.uploadBuffer('baskets.csv', baskets(), 'text/csv');
    await app.waitForTable('baskets');
    await page.getByTestId('nav-recommend').click();
    await page.getByTestId('recommend-view').waitFor();
    expect(await page.getByTestId('recommend-table').inputValue()).toBe('baskets');
    expect(await page.getByTestId('recommend-basket').inputValue()).toBe('Transaction');
    expect(await page.getByTestId('recommend-customer').inputValue()).toBe('');
    await page.getByTestId('recommend-support').fill('0.05');
    await page.getByTestId('recommend-run').click();
    await page.getByTestId('recommend-summary').waitFor({ timeout: TIMEOUT });
    expect(await page.getByTestId('recommend-note-per_basket').isVisible()).toBe(true);
    const first = await page.getByTestId('recommend-rule').first().innerText();
    expect(first).toMatch(/Croissant|Jam/);
    await page.getByTestId('recommend-evaluation').waitFor();
    expect(await page.getByTestId('recommend-card-hitRate').innerText()).toMatch(/\d+\.\d %/);
    expect(await page.getByTestId('recommend-verdict').innerText()).not.toBe('');
    await page.getByTestId('recommend-rule-filter').fill('jam');
    const filtered = await page.getByTestId('recommend-rule').allInnerTexts();
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((r) => /Jam/.test(r))).toBe(true);
    await page.getByTestId('recommend-lookup').fill('Croissant');
    expect(await page.getByTestId('recommend-neighbours').locator('tbody tr').first().innerText()).toMatch(/Jam/);
    await page.getByTestId('recommend-network').waitFor();
    await page.getByTestId('recommend-network').scrollIntoViewIfNeeded();
    await page.waitForTimeout(1500);
    await screenshot(page, 'recommend-rules-network');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: TIMEOUT }),
      page.getByTestId('recommend-export-rules').click(),
    ]);
    const csv = await readDownload(download);
    expect(csv.split('\r\n')[0]).toBe('antecedent,consequent,baskets,support,confidence,lift');
    expect(csv).toMatch(/Croissant,Jam,/);
    await app.waitForTable('baskets_recommendations');
    await screenshot(page, 'recommend-light-en');
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
    expect(fx.tp.consoleErrors).toEqual([]);
  });

  it('trains sentiment from star ratings and shows metrics, keywords and the most negative reviews', async () => {
    const { app, page } = fx;
    await app.goto();
    await app.waitReady();
    await app.uploadBuffer('clothing_reviews.csv', reviews(), 'text/csv');
    await app.waitForTable('clothing_reviews');
    await page.getByTestId('nav-reviews').click();
    await page.getByTestId('reviews-view').waitFor();
    expect(await page.getByTestId('reviews-text').inputValue()).toBe('Review Text');
    expect(await page.getByTestId('reviews-rating').inputValue()).toBe('Rating');
    await page.getByTestId('reviews-group').selectOption('Department');
    // Both models, compared on the same held-out reviews (the embedding network on TF.js).
    await page.getByTestId('reviews-model').selectOption('both');
    await page.getByTestId('reviews-run').click();
    await page.getByTestId('reviews-summary').waitFor({ timeout: TIMEOUT });
    const acc = await page.getByTestId('reviews-metric-accuracy').locator('td').allInnerTexts();
    expect(Number(acc[0])).toBeGreaterThan(Number(acc[1]));
    expect(await page.getByTestId('reviews-confusion').isVisible()).toBe(true);
    const embedding = await page.getByTestId('reviews-comparison-embedding').innerText();
    expect(embedding).toMatch(/TF\.js (wasm|webgl|webgpu|cpu)/);
    expect(await page.getByTestId('reviews-comparison-tfidf').isVisible()).toBe(true);
    await page.getByTestId('reviews-keyword-group').selectOption('Dresses');
    expect(await page.getByTestId('reviews-keywords').innerText()).toMatch(/zipper/);
    expect(await page.getByTestId('reviews-negative').locator('tbody tr').count()).toBeGreaterThan(5);
    await app.waitForTable('clothing_reviews_sentiment');
    await screenshot(page, 'reviews-light-en');
    await app.setLanguage('zh-CN');
    await app.toggleTheme();
    await page.getByTestId('reviews-histogram').waitFor();
    await screenshot(page, 'reviews-dark-zh');
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, 'reviews-narrow');
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
    expect(fx.tp.consoleErrors).toEqual([]);
  });
});
