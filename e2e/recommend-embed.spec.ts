import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedHostPage } from './pages/embed-host';
import type { NewPageOptions } from './support/browser';
import { useApp } from './support/fixture';
import { startHostServer, type HostServer } from './support/host-server';

/**
 * The `recommend` and `sentiment` embed methods from a cross-origin host page (the pattern of
 * embed.spec.ts): result tables appear in the app, bad params and unsuitable input give codes.
 */

/** Order lines: 40 customers, Pen ⇒ Ink in every order with a pen. */
function orders(): string {
  const lines = ['InvoiceNo,CustomerID,StockCode,InvoiceDate'];
  const others = ['Paper', 'Clip', 'Tape', 'Glue', 'Ruler'];
  let n = 100;
  for (let c = 0; c < 40; c++)
    for (let o = 0; o < 3; o++) {
      n++;
      const date = `2024-0${1 + o}-${String(1 + (c % 27)).padStart(2, '0')}`;
      const items = new Set([others[(c + o) % 5]!, others[(c * 3 + o) % 5]!]);
      if (c % 2 === 0) items.add('Pen').add('Ink');
      for (const it of items) lines.push(`${n},C${c},${it},${date}`);
    }
  return lines.join('\n');
}

function reviews(): string {
  const lines = ['review,stars'];
  for (let i = 0; i < 120; i++) {
    const stars = 1 + (i % 5);
    lines.push(
      `"${stars >= 4 ? 'great value, works well' : stars <= 2 ? 'broke quickly, waste of money' : 'it is okay'} #${i % 7}",${stars}`,
    );
  }
  return lines.join('\n');
}

describe('embed: recommend and sentiment', () => {
  const pageOptions: NewPageOptions = { allowedOrigins: [] };
  const fx = useApp({ page: pageOptions });
  let hostServer: HostServer;

  beforeAll(async () => {
    hostServer = await startHostServer();
    pageOptions.allowedOrigins = [hostServer.origin];
  });
  afterAll(async () => {
    await hostServer?.close();
  });

  it('recommends, scores reviews and explains bad input', async () => {
    const host = new EmbedHostPage(fx.page, hostServer.url, fx.app.baseUrl);
    await host.open();
    await host.waitReady();
    await host.result('loadTable', { fileName: 'orders.csv', data: orders() });
    const rec = await host.result<{
      mode: string;
      rules: { antecedent: string[]; consequent: string[]; confidence: number }[];
      evaluation: { model: { hitRate: number }; popularity: { hitRate: number } } | null;
      recommendationsTable: string;
      neighbourIndex?: unknown;
    }>('recommend', { table: 'orders', k: 3, minSupport: 0.1, minConfidence: 0.5 });
    expect(rec.mode).toBe('customer');
    expect(
      rec.rules.some((r) => r.antecedent.join() === 'Pen' && r.consequent.join() === 'Ink' && r.confidence === 1),
    ).toBe(true);
    expect(rec.evaluation).not.toBeNull();
    expect(rec.neighbourIndex).toBeUndefined();

    await host.result('loadTable', { fileName: 'reviews.csv', data: reviews() });
    const sent = await host.result<{
      model: { accuracy: number };
      baseline: { accuracy: number };
      outputTable: string;
    }>('sentiment', { table: 'reviews', text: 'review', rating: 'stars' });
    expect(sent.model.accuracy).toBeGreaterThan(sent.baseline.accuracy);
    await expect
      .poll(async () => (await host.appTableNames()).sort())
      .toEqual(['orders', 'orders_recommendations', 'orders_rules', 'reviews', 'reviews_sentiment']);

    expect((await host.call('recommend', { table: 'orders', k: 0 })).reply).toMatchObject({
      ok: false,
      error: { code: 'bad_params' },
    });
    expect((await host.call('sentiment', { table: 'reviews', text: 'review', rating: 'review' })).reply).toMatchObject({
      ok: false,
      error: { code: 'too_few_labelled' },
    });
    expect(fx.tp.offOriginRequests).toEqual([]);
    expect(fx.tp.pageErrors).toEqual([]);
  });
});
