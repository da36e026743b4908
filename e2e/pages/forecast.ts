import type { Download, Locator, Page } from 'playwright-core';
import type { AppPage } from './app-page';

const TIMEOUT = 180_000;

/** The Forecast analysis view. */
export class ForecastPage {
  constructor(
    readonly page: Page,
    readonly app: AppPage,
  ) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-forecast').click();
    await this.page.getByTestId('forecast-view').waitFor({ timeout: TIMEOUT });
  }

  field(name: string): Locator {
    return this.page.getByTestId(`forecast-${name}`);
  }

  async setModel(id: string, on: boolean): Promise<void> {
    await this.field(`model-${id}`).setChecked(on);
  }

  /** Runs and waits until the leaderboard (or an error) shows. */
  async run(): Promise<void> {
    await this.field('run').click();
    await this.page
      .locator('[data-testid="forecast-leaderboard"], [data-testid="forecast-error"]')
      .first()
      .waitFor({ timeout: TIMEOUT });
  }

  /** Leaderboard rows: model id, MASE text, whether recommended. */
  async rows(): Promise<{ model: string; mase: string; recommended: boolean }[]> {
    return this.page.getByTestId('forecast-row').evaluateAll((rows) =>
      rows.map((r) => ({
        model: r.getAttribute('data-model') ?? '',
        mase: r.querySelectorAll('td')[0]?.textContent?.trim() ?? '',
        recommended: r.classList.contains('recommended'),
      })),
    );
  }

  async exportCsv(): Promise<{ text: string; fileName: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: TIMEOUT }),
      this.field('export').click(),
    ]);
    return { text: await readDownload(download), fileName: download.suggestedFilename() };
  }
}

async function readDownload(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
