import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClassifyPage } from './pages/classify';
import { screenshot } from './support/artifacts';
import { useApp } from './support/fixture';
import { horizontalOverflow } from './pages/ui';

/**
 * Classify's explanations and search in the real app (production build, CSP, the ML worker):
 * partial dependence charts of the top features, the per-row "why this customer scored …"
 * chart for the top-scored and a chosen held-out row, a small grid search with its best row
 * marked and used for the held-out evaluation, reason columns in a scored CSV, and the
 * backend's reason and these views in Chinese.
 */

/** A table of `n` customers: bought = 1 when 2·visits − bounce + (channel = ads) + noise > 1. */
function customersCsv(n: number): string {
  let seed = 11;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const lines = ['customer_id,visits,bounce,channel,bought'];
  for (let i = 0; i < n; i++) {
    const visits = normal();
    const bounce = normal();
    const channel = ['ads', 'search', 'mail'][Math.floor(rand() * 3)]!;
    const z = 2 * visits - bounce + (channel === 'ads' ? 1 : 0) + 0.7 * normal();
    lines.push(`C${1000 + i},${visits.toFixed(3)},${bounce.toFixed(3)},${channel},${z > 1 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('Classify explanations and search', () => {
  const fx = useApp();

  it('shows partial dependence, explains rows, runs a small search and writes reasons', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('customers.csv', customersCsv(500), 'text/csv');
    await fx.app.waitForTable('customers');
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    await c.chooseModels(['logistic', 'naive_bayes']);
    await c.by('classify-folds').fill('3');
    await c.compare();
    const ev = await c.waitEvaluation();
    expect(await ev.getAttribute('data-family')).toBe('logistic');

    // Partial dependence: one chart per feature (three here), 20 grid points for a number.
    const pd = c.by('classify-pd-chart');
    await expect.poll(() => pd.count()).toBe(3);
    const visits = c.by('classify-pd').locator('[data-feature="visits"]');
    expect(await visits.getAttribute('data-points')).toBe('20');
    expect(await c.by('classify-pd').locator('[data-feature="channel"]').getAttribute('data-points')).toBe('3');
    await visits.locator('canvas').waitFor();
    expect(await visits.getAttribute('aria-label')).toBe('Partial dependence of visits');

    // The top-scored held-out row is explained at once; then a chosen row.
    const explanation = c.by('classify-explanation');
    await explanation.waitFor({ timeout: 60_000 });
    const top = Number(await explanation.getAttribute('data-probability'));
    expect(top).toBeGreaterThan(0.9);
    expect(await explanation.innerText()).toMatch(/Why row \d+ scored/);
    expect(await c.by('classify-explain-summary').innerText()).toMatch(/log-odds/);
    await c.by('classify-explain-row').fill('5');
    await c.by('classify-explain-run').click();
    await expect.poll(() => explanation.getAttribute('data-row')).toBe('5');
    expect(await c.by('classify-explain-item').count()).toBe(3);
    await c.by('classify-explain-chart').locator('canvas').waitFor();
    await screenshot(fx.page, 'classify-explain-light-en');

    // A small grid search for the decision tree (5 depths × 3 folds), best marked, then used.
    await c.by('classify-search').locator('summary').click();
    await c.by('classify-search-family').selectOption('tree');
    await c.by('classify-search-run').click();
    const rows = c.by('classify-search-row');
    await c.by('classify-search-results').waitFor({ timeout: 180_000 });
    expect(await rows.count()).toBe(5);
    expect(await rows.first().getAttribute('data-best')).toBe('true');
    const aucs = await c
      .by('classify-search-results')
      .locator('td[data-auc]')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-auc'))));
    expect(aucs).toEqual([...aucs].sort((a, b) => b - a));
    expect(aucs[0]).toBeGreaterThan(0.8);
    await c.by('classify-search-use-best').click();
    await expect.poll(() => ev.getAttribute('data-family'), { timeout: 120_000 }).toBe('tree');
    await c.by('classify-search-evaluated').waitFor({ timeout: 60_000 });
    expect(await c.by('classify-search-evaluated').innerText()).toMatch(/Fitted with depth \d+/);
    // Tree explanations are in probability units.
    await expect.poll(() => c.by('classify-explain-summary').innerText(), { timeout: 60_000 }).toMatch(/probability/);

    // Score with reasons: three reason columns, e.g. "visits (+0.31)".
    await c.by('classify-score-explain').check();
    expect(await c.score('customers')).toMatch(/500 rows/);
    const csv = await c.download('classify-download-csv');
    const lines = readFileSync((await csv.path())!, 'utf8')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('customer_id,probability,predicted_bought,reason_1,reason_2,reason_3');
    expect(lines[1]).toMatch(/,(visits|bounce|channel) \([+-]\d\.\d{3}\)/);
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  }, 480_000);

  it('speaks Chinese in the explanations and the backend reason, and fits 375 px', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('customers.csv', customersCsv(300), 'text/csv');
    await fx.app.waitForTable('customers');
    await fx.app.setLanguage('zh-CN');
    await fx.app.toggleTheme();
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    const active = c.by('classify-backend-active');
    await active.waitFor({ timeout: 120_000 });
    // The reason why this backend was chosen is translated (no English from the worker).
    expect(await active.innerText()).toMatch(/实测最快|您的选择|退回使用|没有其他可用后端/);
    expect(await active.innerText()).not.toMatch(/fastest|fallback|override/);
    await c.chooseModels(['tree']);
    await c.by('classify-folds').fill('3');
    await c.compare();
    await c.waitEvaluation();
    await c.by('classify-explanation').waitFor({ timeout: 60_000 });
    expect(await c.by('classify-explain').innerText()).toMatch(/为什么这位客户得到这个分数/);
    expect(await c.by('classify-pd').innerText()).toMatch(/部分依赖/);
    await fx.page.setViewportSize({ width: 375, height: 800 });
    await c.by('classify-pd-chart').first().locator('canvas').waitFor();
    await expect.poll(() => horizontalOverflow(fx.page, '[data-testid="classify-evaluation"]')).toBeLessThanOrEqual(1);
    await screenshot(fx.page, 'classify-explain-dark-zh-375');
    expect(fx.tp.pageErrors).toEqual([]);
  }, 300_000);
});
