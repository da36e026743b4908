/**
 * Streaming gunzip with the platform's `DecompressionStream` (browsers and Node ≥ 18), so a
 * `.csv.gz` export never needs a JavaScript inflate library or one huge buffer.
 */
import type { CancelToken } from '../db';
import { ShopSightError } from '../errors';

/** Progress and cancellation for `gunzip`. */
export interface GunzipOptions {
  token?: CancelToken;
  /** Progress over the compressed input. */
  onProgress?(done: number, total: number): void;
  chunkBytes?: number;
  /** Name used in error messages. */
  fileName?: string;
}

/** Decompresses a gzip Blob chunk by chunk into a new Blob; corrupt input becomes `corrupt_gzip`. */
export async function gunzip(blob: Blob, opts: GunzipOptions = {}): Promise<Blob> {
  const chunkBytes = Math.max(1, opts.chunkBytes ?? 4 * 1024 * 1024);
  const total = blob.size;
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const parts: Uint8Array[] = [];

  // Read the output while feeding the input, or the stream's back-pressure would stall us.
  let readError: unknown = null;
  const drained = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        parts.push(value);
      }
    } catch (error) {
      readError = error;
    }
  })();

  try {
    for (let offset = 0; offset < total; offset += chunkBytes) {
      if (opts.token?.cancelled) throw ShopSightError.cancelled();
      if (readError) throw readError;
      const end = Math.min(total, offset + chunkBytes);
      const chunk = new Uint8Array(await blob.slice(offset, end).arrayBuffer());
      await writer.write(chunk);
      opts.onProgress?.(end, total);
    }
    await writer.close();
    await drained;
    if (readError) throw readError;
  } catch (error) {
    // Tear both ends down so nothing keeps running (or rejects unobserved) after we leave.
    writer.abort().catch(() => {});
    reader.cancel().catch(() => {});
    await drained;
    if (error instanceof ShopSightError) throw error;
    const name = opts.fileName ?? 'The file';
    throw new ShopSightError({
      code: 'corrupt_gzip',
      message:
        `${name} looks like a gzip file but could not be decompressed (${describe(error)}). ` +
        'It may be incomplete or damaged: download or export it again, or unzip it yourself and load the file inside.',
      params: { fileName: opts.fileName ?? '' },
    });
  }
  return new Blob(parts as BlobPart[]);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\.$/, '') || 'unknown error';
}
