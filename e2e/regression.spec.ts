import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClassifyPage } from './pages/classify';
import { screenshot } from './support/artifacts';
import { useApp } from './support/fixture';
import { horizontalOverflow } from './pages/ui';

/**
 * Classify with a numeric target in the real app (production build, the app's CSP, the ML
 * worker): the task is detected as regression and said so, three families are compared by CV
 * beside the training-mean baseline, the best is tested on held-out rows (predicted vs actual,
 * residuals), a table is scored into a `prediction` column and downloaded, the model goes
 * through a file and through IndexedDB with identical predictions, the override to
 * classification explains why it cannot run, and the Chinese UI names the task.
 */

const TIMEOUT = 180_000;

/** `n` order lines: sales = 20·quantity·(1 − discount) + 15·(category = tech) + noise. */
function ordersCsv(n: number): string {
  let seed = 11;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const lines = ['order_id,quantity,discount,category,sales'];
  for (let i = 0; i < n; i++) {
    const quantity = 1 + Math.floor(rand() * 8);
    const discount = [0, 0.1, 0.2, 0.3][Math.floor(rand() * 4)]!;
    const category = ['tech', 'office', 'home'][Math.floor(rand() * 3)]!;
    const sales = 20 * quantity * (1 - discount) + (category === 'tech' ? 15 : 0) + 4 * (rand() - 0.5);
    lines.push(`O${5000 + i},${quantity},${discount},${category},${sales.toFixed(2)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('Classify: regression', () => {
  const fx = useApp();

  it('detects a numeric target, compares regressors beside the mean, evaluates, scores and reloads a model', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('orders.csv', ordersCsv(500), 'text/csv');
    await fx.app.waitForTable('orders');
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    await c.by('classify-target').selectOption('sales');
    const why = c.by('classify-task-why');
    await expect.poll(() => why.getAttribute('data-task'), { timeout: TIMEOUT }).toBe('regression');
    expect(await why.innerText()).toMatch(/Regression: “sales” holds numbers with \d+ different values/);
    expect(await c.by('classify-features').innerText()).not.toContain('order_id');

    const boxes = c.by('regress-models').locator('input[type=checkbox]');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      await box.setChecked(['linear', 'lasso', 'tree'].includes((await box.getAttribute('value')) ?? ''));
    }
    await c.by('classify-folds').fill('3');
    await c.by('classify-compare').click();
    await c.by('regress-leaderboard').or(c.by('regress-error')).first().waitFor({ timeout: TIMEOUT });
    const rows = c.by('regress-row');
    const board: { family: string; baseline: boolean; r2: number }[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      board.push({
        family: (await row.getAttribute('data-family')) ?? '',
        baseline: (await row.getAttribute('data-baseline')) === 'true',
        r2: Number(await row.locator('[data-metric="r2"]').getAttribute('data-value')),
      });
    }
    expect(board.map((r) => r.family).sort()).toEqual(['baseline', 'lasso', 'linear', 'tree']);
    expect(board[0]!.baseline).toBe(false);
    expect(board[0]!.r2).toBeGreaterThan(0.9);
    expect(board.find((r) => r.baseline)!.r2).toBeLessThanOrEqual(0);
    expect(await c.by('regress-leaderboard').innerText()).toMatch(/Baseline \(training mean\)/);
    expect(await c.by('regress-verdict').innerText()).toMatch(/beats the baseline/);

    // The best family is tested once on the 100 held-out rows, with both scatter charts.
    const ev = c.by('regress-evaluation');
    await ev.or(c.by('regress-eval-error')).first().waitFor({ timeout: TIMEOUT });
    expect(await ev.getAttribute('data-family')).toBe(board[0]!.family);
    expect(await ev.innerText()).toMatch(/held-out test on 100 rows/);
    const r2 = Number(await c.by('regress-card').and(fx.page.locator('[data-metric="r2"]')).getAttribute('data-value'));
    expect(r2).toBeGreaterThan(0.85);
    await c.by('regress-predicted-actual').locator('canvas').waitFor();
    await c.by('regress-residuals').locator('canvas').waitFor();
    await c.by('regress-importance').locator('canvas').waitFor();
    await screenshot(fx.page, 'regression-evaluation-light-en');

    // Score the table into a derived predictions table; download it as CSV.
    await c.by('regress-score-run').click();
    await c.by('regress-scored').waitFor({ timeout: TIMEOUT });
    expect(await c.by('regress-scored').innerText()).toMatch(/Created orders_predictions: 500 rows/);
    await fx.app.waitForTable('orders_predictions');
    const csv = await c.download('regress-download-csv');
    const text = readFileSync((await csv.path())!, 'utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('order_id,prediction');
    expect(lines).toHaveLength(501);

    // Model file: download, upload again, score with it: identical predictions.
    const file = await c.download('regress-download-model');
    const json = readFileSync((await file.path())!, 'utf8');
    expect(JSON.parse(json)).toMatchObject({ format: 'shopsight-regressor', version: 1 });
    await c
      .by('regress-upload')
      .setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await expect.poll(() => c.by('regress-score-model').locator('option').count()).toBe(2);
    await c.by('regress-score-run').click();
    await expect.poll(() => c.by('regress-score-run').isEnabled()).toBe(true);
    await c.by('regress-scored').waitFor();
    const again = await c.download('regress-download-csv');
    expect(readFileSync((await again.path())!, 'utf8')).toBe(text);

    // IndexedDB: save, load the saved copy, score with it: identical predictions again.
    await c.by('regress-save').click();
    await c.by('regress-saved').locator('li').first().waitFor();
    await c.by('regress-load-saved').first().click();
    await expect.poll(() => c.by('regress-score-model').locator('option').count()).toBe(3);
    await c.by('regress-score-run').click();
    await expect.poll(() => c.by('regress-score-run').isEnabled()).toBe(true);
    const third = await c.download('regress-download-csv');
    expect(readFileSync((await third.path())!, 'utf8')).toBe(text);

    // The override: classification of a many-valued number says why it cannot run.
    await c.by('classify-task').selectOption('classification');
    expect(await why.innerText()).toMatch(/Classification, as you chose/);
    await c.chooseModels(['tree']);
    await c.compare();
    expect(await c.by('classify-error').innerText()).toMatch(/\d+ (different )?values.*two/);

    // Chinese: the task is named there too.
    await c.by('classify-task').selectOption('auto');
    await fx.app.setLanguage('zh-CN');
    expect(await why.innerText()).toMatch(/回归/);
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  }, 400_000);

  it('looks right in dark mode at 375 px', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('orders.csv', ordersCsv(300), 'text/csv');
    await fx.app.waitForTable('orders');
    await fx.app.toggleTheme();
    const c = new ClassifyPage(fx.page, fx.app);
    await c.open();
    await c.by('classify-target').selectOption('sales');
    await expect
      .poll(() => c.by('classify-task-why').getAttribute('data-task'), { timeout: TIMEOUT })
      .toBe('regression');
    const boxes = c.by('regress-models').locator('input[type=checkbox]');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      await box.setChecked(['ridge', 'tree'].includes((await box.getAttribute('value')) ?? ''));
    }
    await c.by('classify-folds').fill('3');
    await c.by('classify-compare').click();
    await c.by('regress-evaluation').waitFor({ timeout: TIMEOUT });
    await fx.page.setViewportSize({ width: 375, height: 800 });
    await c.by('regress-residuals').locator('canvas').waitFor();
    await expect.poll(() => horizontalOverflow(fx.page, '[data-testid="regress-evaluation"]')).toBeLessThanOrEqual(1);
    // Let ECharts finish its entry animation, so the screenshot shows the points.
    await fx.page.waitForTimeout(1500);
    await screenshot(fx.page, 'regression-dark-375');
    expect(fx.tp.pageErrors).toEqual([]);
  }, 300_000);
});
