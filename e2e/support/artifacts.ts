import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** e2e/artifacts/ (gitignored): screenshots and anything else a failing run leaves behind. */
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** A file name made of letters, digits, dots, dashes and underscores only. */
export function artifactName(name: string): string {
  const safe = name
    .trim()
    .replace(/[^\w.-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return safe.slice(0, 120) || 'unnamed';
}

/** Saves a full-page PNG as e2e/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${artifactName(name)}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
