/**
 * Saves text the page made (a recipe, a CSV export) as a file on the user's machine. The
 * bytes go from memory to the browser's download manager through a `blob:` URL: nothing is
 * uploaded, and the URL is revoked once the download has started.
 */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from free text: letters, digits, `-` and `_` (and CJK), nothing that a file system rejects. */
export function safeFileName(name: string, extension: string): string {
  const base =
    name
      .trim()
      .replace(/[^\p{L}\p{N}_-]+/gu, '_')
      .replace(/^_+|_+$/g, '') || 'shopsight';
  return `${base.slice(0, 80)}.${extension}`;
}
