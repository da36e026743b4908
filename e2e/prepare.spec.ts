import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PreparePage } from './pages/prepare';
import { useApp } from './support/fixture';

/**
 * The Prepare chapter in the real app: a recipe built step by step with live previews on the
 * Online Retail sample, applied, saved, loaded back and replayed on a second copy of the file;
 * the customer and label builders; and a step that cannot apply.
 */

const SAMPLE = 'public/samples/online_retail_sample_20k.csv';

describe('Prepare', () => {
  const fx = useApp();

  it('builds a recipe with previews, applies it, saves it and replays it on the next export', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadFiles([SAMPLE]);
    await fx.app.openTable('online_retail_sample_20k');
    const prep = new PreparePage(fx.page, fx.app);
    await prep.open();

    // Dedupe: the sample has exact duplicate lines.
    const dedupe = await prep.addStep('dedupe');
    expect(dedupe).toMatch(/20,000 rows × 8 columns → 19,\d{3} rows × 8 columns/);
    // Filter the default condition (first numeric column > 0): Quantity > 0 drops returns.
    const filter = await prep.addStep('filter_rows');
    const [, afterDedupe, afterFilter] = /→ ([\d,]+) rows.*?→ ([\d,]+) rows/.exec(`${dedupe} ${filter}`) ?? [];
    expect(Number(afterFilter?.replaceAll(',', ''))).toBeLessThan(Number(afterDedupe?.replaceAll(',', '')));
    // Scale: fitted on the data and marked as such in the list.
    await prep.addStep('scale');
    await expect.poll(() => prep.steps.nth(2).innerText()).toMatch(/fitted/);

    const applied = await prep.apply('retail_clean');
    expect(applied).toMatch(/Created retail_clean: [\d,]+ rows, 8 columns/);
    await fx.app.waitForTable('retail_clean');

    const saved = await prep.save();
    expect(saved.fileName).toMatch(/\.recipe\.json$/);
    const recipe = JSON.parse(saved.text) as { steps: { kind: string; fitted?: unknown }[] };
    expect(recipe.steps.map((s) => s.kind)).toEqual(['dedupe', 'filter_rows', 'scale']);
    expect(recipe.steps[2]?.fitted).toBeDefined();

    // Next month's export: the same file under another name; load the saved recipe and replay it.
    await fx.app.uploadBuffer('december.csv', readFileSync(SAMPLE), 'text/csv');
    await fx.app.openTable('december');
    await prep.open();
    await prep.load(saved.fileName, saved.text);
    await expect.poll(() => prep.steps.count()).toBe(3);
    const replayed = await prep.apply('december_clean');
    const size = (line: string) => /: ([\d,]+ rows, \d+ columns)/.exec(line)?.[1];
    expect(size(replayed)).toBe(size(applied));
    const rows = await fx.app.runSql(
      'SELECT (SELECT count(*) FROM retail_clean) = (SELECT count(*) FROM december_clean) AS same_rows',
    );
    expect(rows.error).toBeNull();
    expect(await fx.app.gridCellTexts()).toEqual([['true']]);
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  });

  it('says why a recipe file is not one, and keeps the recipe being edited', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('orders.csv', 'order_id,amount\nA,1\nB,2\n', 'text/csv');
    await fx.app.openTable('orders');
    const prep = new PreparePage(fx.page, fx.app);
    await prep.open();
    await prep.addStep('dedupe');
    await prep.load('broken.recipe.json', '{"version": 1, "steps": [{"kind": "drop_database"}]}');
    const error = fx.page.getByTestId('recipe-load-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/recipe/i);
    expect(await prep.steps.count()).toBe(1);
  });

  it('refuses a date format that matches nothing, naming the step, and creates no table', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadBuffer('codes.csv', 'code,label\nA1,x\nB2,y\n', 'text/csv');
    await fx.app.openTable('codes');
    const prep = new PreparePage(fx.page, fx.app);
    await prep.open();
    const preview = await prep.addStep('parse_date');
    expect(preview).toMatch(/2 rows/);
    await fx.page.getByTestId('recipe-apply').click();
    const error = fx.page.getByTestId('recipe-error');
    await error.waitFor();
    expect(await error.innerText()).toMatch(/Step 1 \(parse_date\) could not convert any of its 2 values/);
    expect(await fx.app.tableNames()).toEqual(['codes']);
  });

  it('builds a customer table with RFM segments and a buys-again label from the sample', async () => {
    await fx.app.goto();
    await fx.app.waitReady();
    await fx.app.uploadFiles([SAMPLE]);
    await fx.app.openTable('online_retail_sample_20k');
    await fx.app.openTab('features');
    const prep = new PreparePage(fx.page, fx.app);
    const customers = await prep.build('customers');
    expect(customers).toMatch(/online_retail_sample_20k_customers: [\d,]+ rows, \d+ columns/);
    expect(customers).toMatch(/lines without a customer id were left out/);
    await fx.page.locator('[data-testid="segments-chart"] canvas').waitFor();

    // The suggested cutoff leaves a full 90-day window after it.
    expect(await fx.page.getByTestId('labels-cutoff').inputValue()).toBe('2011-09-10');
    const labels = await prep.build('labels');
    expect(labels).toMatch(/[\d,]+ positive, [\d,]+ negative \(\d+\.\d % positive\)/);
    await fx.app.waitForTable('online_retail_sample_20k_labels');
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  });
});
