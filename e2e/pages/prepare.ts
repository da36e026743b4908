import type { Download, Locator, Page } from 'playwright-core';
import type { AppPage } from './app-page';

const TIMEOUT = 60_000;

/** The Prepare tab (recipe panel) and the Build features tab of the table that is open. */
export class PreparePage {
  constructor(
    readonly page: Page,
    readonly app: AppPage,
  ) {}

  get steps(): Locator {
    return this.page.getByTestId('step-item');
  }

  get previewCounts(): Locator {
    return this.page.getByTestId('preview-counts');
  }

  async open(): Promise<void> {
    await this.app.openTab('prepare');
    await this.page.getByTestId('prepare-view').waitFor({ timeout: TIMEOUT });
  }

  /** Adds a step of `kind` and waits for its preview (or its error). */
  async addStep(kind: string): Promise<string> {
    const before = await this.steps.count();
    await this.page.getByTestId('add-step').selectOption(kind);
    await this.steps.nth(before).waitFor({ timeout: TIMEOUT });
    return this.waitPreview();
  }

  /** The preview's counts line, or the preview error's text, once one is shown. */
  async waitPreview(): Promise<string> {
    const counts = this.previewCounts;
    const error = this.page.getByTestId('preview-error');
    await this.page.locator('[data-testid="step-preview"][aria-busy="false"]').waitFor({ timeout: TIMEOUT });
    await counts.or(error).first().waitFor({ timeout: TIMEOUT });
    return ((await error.isVisible()) ? await error.innerText() : await counts.innerText()).replace(/\s+/g, ' ').trim();
  }

  /** Applies the recipe into `into` and returns the result line. */
  async apply(into?: string): Promise<string> {
    if (into !== undefined) await this.page.getByTestId('recipe-into').fill(into);
    await this.page.getByTestId('recipe-apply').click();
    const result = this.page.getByTestId('recipe-result');
    const error = this.page.getByTestId('recipe-error');
    await result.or(error).first().waitFor({ timeout: TIMEOUT });
    if (await error.isVisible()) throw new Error(`recipe failed: ${await error.innerText()}`);
    return (await result.innerText()).trim();
  }

  /** Clicks Save recipe and returns the downloaded JSON's text. */
  async save(): Promise<{ text: string; fileName: string }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download', { timeout: TIMEOUT }),
      this.page.getByTestId('recipe-save').click(),
    ]);
    return { text: await readDownload(download), fileName: download.suggestedFilename() };
  }

  /** Loads a recipe file through the Load recipe input. */
  async load(fileName: string, text: string): Promise<void> {
    await this.page
      .getByTestId('recipe-file')
      .setInputFiles({ name: fileName, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') });
  }

  /** Runs one builder of the Build features tab and returns its result line (or throws its error). */
  async build(id: 'customers' | 'labels' | 'series' | 'products'): Promise<string> {
    await this.page.getByTestId(`builder-${id}-build`).click();
    const result = this.page.getByTestId(`builder-${id}-result`);
    const error = this.page.getByTestId(`builder-${id}-error`);
    await result.or(error).first().waitFor({ timeout: TIMEOUT });
    if (await error.isVisible()) throw new Error(`${id} failed: ${await error.innerText()}`);
    return (await result.innerText()).replace(/\s+/g, ' ').trim();
  }
}

async function readDownload(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
