import type { Download, Page } from 'playwright-core';

const TIMEOUT = 120_000;

/** The Segments and Anomalies analysis views. */
export class SegmentsPage {
  constructor(readonly page: Page) {}

  async openSegments(): Promise<void> {
    await this.page.getByTestId('nav-segments').click();
    await this.page.getByTestId('segments-view').waitFor();
  }

  async openAnomalies(): Promise<void> {
    await this.page.getByTestId('nav-anomalies').click();
    await this.page.getByTestId('anomalies-view').waitFor();
  }

  /** Waits for a job of the view to finish: its result or its error. */
  async waitFor(prefix: 'segments' | 'anomalies'): Promise<string> {
    const done = this.page.locator(`[data-testid="${prefix}-summary"], [data-testid="${prefix}-error"]`);
    await done.first().waitFor({ timeout: TIMEOUT });
    const error = this.page.getByTestId(`${prefix}-error`);
    if (await error.count()) throw new Error(`${prefix} failed: ${await error.innerText()}`);
    return this.page.getByTestId(`${prefix}-summary`).innerText();
  }

  /** Clicks an export button and returns the downloaded text and file name. */
  async download(testId: string): Promise<{ text: string; fileName: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: TIMEOUT }),
      this.page.getByTestId(testId).click(),
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
