import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClassifyPage } from './pages/classify';
import { screenshot } from './support/artifacts';
import { useApp } from './support/fixture';
import { horizontalOverflow } from './pages/ui';

/**
 * Classify in the real app (production build, the app's CSP, the ML worker with self-hosted
 * TF.js wasm): a generated table with a known signal, three fast model families compared with
 * CV beside the baseline, the held-out evaluation, a scored table with CSV download, a model
 * file round trip; and WebGPU on SwiftShader really training.
 */

/** A table of `n` customers: bought = 1 when 2·visits − bounce + (channel = ads) + noise > 1. */
function customersCsv(n: number): string {
  let seed = 7;
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

describe('Classify', () => {
  const fx = useApp();

  it('compares models beside the baseline, evaluates the best, scores a table and round-trips a model file', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('customers.csv', customersCsv(600), 'text/csv');
    await fx.app.waitForTable('customers');
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    expect(await c.by('classify-table').inputValue()).toBe('customers');
    expect(await c.by('classify-target').inputValue()).toBe('bought');
    // The id column is not offered as a feature.
    expect(await c.by('classify-features').innerText()).not.toContain('customer_id');
    await c.chooseModels(['logistic', 'svm', 'tree', 'naive_bayes']);
    await c.by('classify-folds').fill('3');
    await c.compare();
    const board = await c.leaderboard();
    expect(board.map((r) => r.family).sort()).toEqual(['baseline', 'logistic', 'naive_bayes', 'svm', 'tree']);
    // The Platt-calibrated linear SVM ranks about as well as logistic regression on a linear signal.
    expect(board.find((r) => r.family === 'svm')!.auc).toBeGreaterThan(0.85);
    expect(await c.by('classify-svm-hint').innerText()).toMatch(/Platt scaling/);
    expect(board.find((r) => r.baseline)!.auc).toBe(0.5);
    expect(board[0]!.baseline).toBe(false);
    expect(board[0]!.auc).toBeGreaterThan(0.85);
    expect(await c.by('classify-verdict').innerText()).toMatch(/beats the baseline/);

    // The best model is tested once on the held-out rows.
    const ev = await c.waitEvaluation();
    expect(await ev.getAttribute('data-family')).toBe(board[0]!.family);
    expect(await ev.innerText()).toMatch(/held-out test on 120 rows/);
    const auc = Number(await c.by('classify-card').first().locator('strong').innerText());
    expect(auc).toBeGreaterThan(0.8);
    const f1Before = await c.by('classify-f1').innerText();
    await c.by('classify-optimise-f1').click();
    await expect.poll(() => c.by('classify-threshold').inputValue()).not.toBe('0.5');
    expect(Number(await c.by('classify-f1').innerText())).toBeGreaterThanOrEqual(Number(f1Before));
    // Reach precision ≥ 0.95: the threshold moves and the confusion matrix has tp / (tp + fp) ≥ 0.95.
    const atF1 = await c.by('classify-threshold').inputValue();
    await c.by('classify-target-precision').fill('0.95');
    await c.by('classify-reach-precision').click();
    const note = c.by('classify-target-note');
    await expect.poll(() => note.getAttribute('data-reached')).toBe('true');
    expect(await c.by('classify-threshold').inputValue()).not.toBe(atF1);
    const cell = async (name: string) =>
      Number(await c.by('classify-confusion').locator(`[data-cell="${name}"]`).innerText());
    const [tp, fp] = [await cell('tp'), await cell('fp')];
    expect(tp).toBeGreaterThan(0);
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.95);
    expect(Number(await c.by('classify-precision').innerText())).toBeGreaterThanOrEqual(0.95);
    expect(await note.innerText()).toMatch(/Precision/);
    // An unreachable recall target (above 1 is refused; exactly 1 is always reachable) says so.
    await c.by('classify-target-recall').fill('1.5');
    await c.by('classify-reach-recall').click();
    await expect.poll(() => note.innerText()).toMatch(/between 0 and 1/);
    expect(await c.by('classify-gain-sentence').innerText()).toMatch(/top 10 % of rows by score hold \d+ %/);
    await c.by('classify-roc').locator('canvas').waitFor();
    await screenshot(fx.page, 'classify-evaluation-light-en');

    // Score the table: a derived predictions table appears; download it as CSV.
    const scored = await c.score('customers');
    expect(scored).toMatch(/Created customers_predictions: 600 rows/);
    await fx.app.waitForTable('customers_predictions');
    const csv = await c.download('classify-download-csv');
    const text = readFileSync((await csv.path())!, 'utf8');
    expect(text.split('\r\n')[0]).toBe('customer_id,probability,predicted_bought');
    expect(text.trim().split('\r\n')).toHaveLength(601);

    // Model file: download, upload again, score with the reloaded model: identical probabilities.
    const file = await c.download('classify-download-model');
    const json = readFileSync((await file.path())!, 'utf8');
    expect(JSON.parse(json)).toMatchObject({ format: 'shopsight-classifier', version: 1 });
    await c
      .by('classify-upload')
      .setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await expect.poll(() => c.by('classify-score-model').locator('option').count()).toBe(2);
    await c.by('classify-score-run').click();
    await expect.poll(() => c.by('classify-score-run').isEnabled()).toBe(true);
    await c.by('classify-scored').waitFor();
    const again = await c.download('classify-download-csv');
    expect(readFileSync((await again.path())!, 'utf8')).toBe(text);

    // Save in the browser: listed, and survives a reload of the list.
    await c.open();
    await c.by('classify-save').click();
    await c.by('classify-saved').locator('li').first().waitFor();
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  }, 300_000);

  it('looks right in dark mode, in Chinese and at 375 px', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('customers.csv', customersCsv(400), 'text/csv');
    await fx.app.waitForTable('customers');
    await fx.app.setLanguage('zh-CN');
    await fx.app.toggleTheme();
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    await c.chooseModels(['tree', 'naive_bayes']);
    await c.by('classify-folds').fill('3');
    await c.compare();
    await c.waitEvaluation();
    expect(await c.by('classify-verdict').innerText()).toMatch(/优于基线/);
    await c.by('classify-gain').locator('canvas').waitFor();
    await screenshot(fx.page, 'classify-dark-zh');
    await fx.page.setViewportSize({ width: 375, height: 800 });
    await c.by('classify-roc').locator('canvas').waitFor();
    // Nothing wider than the narrow window but the leaderboard's own scroll box (charts resize
    // a moment after the viewport does, hence the poll).
    await expect.poll(() => horizontalOverflow(fx.page, '[data-testid="classify-evaluation"]')).toBeLessThanOrEqual(1);
    await screenshot(fx.page, 'classify-narrow-375');
  }, 300_000);

  it('cancels a comparison and stays usable', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('customers.csv', customersCsv(3000), 'text/csv');
    await fx.app.waitForTable('customers');
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    await c.chooseModels(['forest', 'mlp']);
    await c.by('classify-compare').click();
    await c.by('job-cancel').click();
    await c.by('classify-cancelled').waitFor({ timeout: 60_000 });
    expect(await c.by('classify-leaderboard').count()).toBe(0);
    // Still usable: a small comparison runs.
    await c.chooseModels(['naive_bayes']);
    await c.compare();
    expect((await c.leaderboard()).length).toBe(2);
    expect(fx.tp.offOriginRequests).toEqual([]);
  }, 300_000);

  it('explains a target with one class', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('flat.csv', 'x,label\n1,yes\n2,yes\n3,yes\n4,yes\n', 'text/csv');
    await fx.app.waitForTable('flat');
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    await c.chooseModels(['tree']);
    await c.compare();
    expect(await c.by('classify-error').innerText()).toMatch(/only one class/);
  }, 120_000);
});

describe('Classify on WebGPU (SwiftShader)', () => {
  const fx = useApp({ launch: { webgpu: true } });

  it('trains on the webgpu backend when chosen', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('customers.csv', customersCsv(300), 'text/csv');
    await fx.app.waitForTable('customers');
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    const active = c.by('classify-backend-active');
    await active.waitFor({ timeout: 120_000 });
    // The measured choice never prefers a software WebGPU adapter over wasm: override it.
    expect(await active.getAttribute('data-backend')).not.toBe('webgpu');
    await c.by('classify-backend-select').selectOption('webgpu');
    await expect.poll(() => active.getAttribute('data-backend'), { timeout: 120_000 }).toBe('webgpu');
    await c.chooseModels(['logistic']);
    await c.by('classify-folds').fill('2');
    await c.compare();
    const row = c.by('classify-row').and(fx.page.locator('[data-family="logistic"]'));
    expect(await row.locator('td.muted').innerText()).toBe('webgpu');
    const ev = await c.waitEvaluation();
    expect(await ev.innerText()).toMatch(/webgpu/);
    expect(fx.tp.offOriginRequests).toEqual([]);
  }, 600_000);
});
