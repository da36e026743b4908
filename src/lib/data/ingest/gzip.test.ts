import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip } from './gzip';

const text = 'id,name\n' + Array.from({ length: 5000 }, (_, i) => `${i},name ${i} 北京`).join('\n') + '\n';
const gz = new Uint8Array(gzipSync(Buffer.from(text)));

describe('gunzip', () => {
  it('decompresses in chunks and reports progress over the compressed bytes', async () => {
    const progress: number[] = [];
    const out = await gunzip(new Blob([gz as BlobPart]), {
      chunkBytes: 1000,
      onProgress: (done) => progress.push(done),
    });
    expect(await out.text()).toBe(text);
    expect(progress.length).toBe(Math.ceil(gz.length / 1000));
    expect(progress.at(-1)).toBe(gz.length);
  });

  it('reports a damaged header as corrupt_gzip', async () => {
    const bad = gz.slice();
    bad[3] = 0xff; // reserved flag bits
    bad[10] = bad[10]! ^ 0xff;
    await expect(gunzip(new Blob([bad as BlobPart]), { fileName: 'orders.csv.gz' })).rejects.toMatchObject({
      code: 'corrupt_gzip',
      message: expect.stringMatching(/^orders\.csv\.gz looks like a gzip file but could not be decompressed/),
    });
  });

  it('reports a truncated file as corrupt_gzip', async () => {
    await expect(gunzip(new Blob([gz.slice(0, gz.length >> 1) as BlobPart]))).rejects.toMatchObject({
      code: 'corrupt_gzip',
    });
  });

  it('stops when cancelled', async () => {
    const token = { cancelled: false };
    const promise = gunzip(new Blob([gz as BlobPart]), {
      chunkBytes: 100,
      token,
      onProgress: () => (token.cancelled = true),
    });
    await expect(promise).rejects.toMatchObject({ code: 'cancelled' });
  });
});
