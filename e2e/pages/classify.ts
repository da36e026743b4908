import type { Download, Locator, Page } from 'playwright-core';
import type { AppPage } from './app-page';

const TIMEOUT = 180_000;

/** The Classify analysis view. */
export class ClassifyPage {
  constructor(
    readonly page: Page,
    readonly app: AppPage,
  ) {}

  by(id: string): Locator {
    return this.page.getByTestId(id);
  }

  async open(): Promise<void> {
    await this.by('nav-classify').click();
    await this.by('classify-view').waitFor({ timeout: TIMEOUT });
  }

  /** Ticks exactly these model families. */
  async chooseModels(families: readonly string[]): Promise<void> {
    const boxes = this.by('classify-models').locator('input[type=checkbox]');
    for (let i = 0; i < (await boxes.count()); i++) {
      const box = boxes.nth(i);
      await box.setChecked(families.includes((await box.getAttribute('value')) ?? ''));
    }
  }

  /** Clicks Compare and waits for the leaderboard (or an error). */
  async compare(): Promise<void> {
    await this.by('classify-compare').click();
    await this.by('classify-leaderboard').or(this.by('classify-error')).first().waitFor({ timeout: TIMEOUT });
  }

  /** Families in leaderboard order, with the baseline flag and mean ROC-AUC. */
  async leaderboard(): Promise<{ family: string; baseline: boolean; auc: number }[]> {
    const rows = this.by('classify-row');
    const out: { family: string; baseline: boolean; auc: number }[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const row = rows.nth(i);
      const auc = await row.locator('[data-metric="rocAuc"]').innerText();
      out.push({
        family: (await row.getAttribute('data-family')) ?? '',
        baseline: (await row.getAttribute('data-baseline')) === 'true',
        auc: Number(/^[\d.]+/.exec(auc.trim())?.[0]),
      });
    }
    return out;
  }

  async waitEvaluation(): Promise<Locator> {
    const ev = this.by('classify-evaluation');
    await ev.or(this.by('classify-eval-error')).first().waitFor({ timeout: TIMEOUT });
    return ev;
  }

  async score(table: string): Promise<string> {
    await this.by('classify-score-table').selectOption(table);
    await this.by('classify-score-run').click();
    await this.by('classify-scored').waitFor({ timeout: TIMEOUT });
    return (await this.by('classify-scored').innerText()).trim();
  }

  async download(button: string): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.by(button).click()]);
    return download;
  }
}
