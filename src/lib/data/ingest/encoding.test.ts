import { describe, expect, it } from 'vitest';
import type { TextEncoding } from '../../contracts/data-api';
import {
  decodeHead,
  detectEncoding,
  findInvalidUtf8,
  invalidUtf8Report,
  isAscii,
  transcodeToUtf8,
  type TranscodeOptions,
} from './encoding';
import { CORPUS, GBK, bytes, utf16, utf8 } from './fixtures/corpus';

async function text(blob: Blob): Promise<string> {
  return new TextDecoder('utf-8', { fatal: true }).decode(await blob.arrayBuffer());
}

describe('detectEncoding', () => {
  it('trusts byte-order marks', () => {
    expect(detectEncoding(CORPUS.utf8Bom.bytes)).toEqual({ encoding: 'utf-8', bom: 3, confidence: 'bom' });
    expect(detectEncoding(CORPUS.utf16leBom.bytes)).toEqual({ encoding: 'utf-16le', bom: 2, confidence: 'bom' });
    expect(detectEncoding(CORPUS.utf16beBom.bytes)).toEqual({ encoding: 'utf-16be', bom: 2, confidence: 'bom' });
  });

  it('recognises UTF-16 without a BOM from its NUL pattern', () => {
    expect(detectEncoding(CORPUS.utf16leNoBom.bytes)).toEqual({ encoding: 'utf-16le', bom: 0, confidence: 'guess' });
    expect(detectEncoding(utf16('id,name\n1,北京\n', 'be', false)).encoding).toBe('utf-16be');
  });

  it('is certain about valid UTF-8, even when the sample cuts a character in half', () => {
    expect(detectEncoding(utf8('a,b\n1,2\n'))).toEqual({ encoding: 'utf-8', bom: 0, confidence: 'certain' });
    const cut = utf8('name\n北京').slice(0, -1); // last byte of 京 missing
    expect(detectEncoding(cut)).toEqual({ encoding: 'utf-8', bom: 0, confidence: 'certain' });
  });

  it('calls mostly-valid UTF-8 with a stray byte UTF-8 (a damaged file, not cp1252)', () => {
    expect(detectEncoding(CORPUS.invalidUtf8.bytes)).toEqual({ encoding: 'utf-8', bom: 0, confidence: 'guess' });
  });

  it('tells GBK from Windows-1252', () => {
    expect(new TextDecoder('gb18030').decode(Uint8Array.from(GBK.订单编号))).toBe('订单编号');
    expect(detectEncoding(CORPUS.gbk.bytes)).toEqual({ encoding: 'gb18030', bom: 0, confidence: 'guess' });
    expect(detectEncoding(CORPUS.cp1252.bytes)).toEqual({ encoding: 'windows-1252', bom: 0, confidence: 'guess' });
    // "Müller" is a valid GBK pair (ü + l) but not a common hanzi: still Western.
    expect(detectEncoding(bytes('name\nM', [0xfc], 'ller\nJos', [0xe9], '\n')).encoding).toBe('windows-1252');
    // Overlong or surrogate sequences are not UTF-8.
    expect(detectEncoding(bytes('a', [0xc0, 0xaf], 'b')).encoding).not.toBe('utf-8');
    expect(detectEncoding(bytes('a', [0xed, 0xa0, 0x80], 'b')).encoding).not.toBe('utf-8');
  });
});

describe('invalidUtf8Report', () => {
  it('gives the offset, line and column of the first bad byte', () => {
    expect(invalidUtf8Report(CORPUS.invalidUtf8.bytes)).toEqual({ offset: 28, line: 3, column: 4 });
    expect(invalidUtf8Report(utf8('all good, café'))).toBeNull();
  });

  it('allows a truncated sequence at the end of a sample, but not at the end of the file', () => {
    const cut = utf8('ok 北').slice(0, -1);
    expect(invalidUtf8Report(cut)).toBeNull();
    expect(invalidUtf8Report(cut, true)).toEqual({ offset: 3, line: 1, column: 4 });
  });
});

describe('findInvalidUtf8 and isAscii', () => {
  it('finds the first bad sequence of a Blob, across chunks, or null', async () => {
    const blob = new Blob([CORPUS.invalidUtf8.bytes as BlobPart]);
    expect(await findInvalidUtf8(blob, { chunkBytes: 4 })).toEqual({ offset: 28, line: 3, column: 4 });
    expect(await findInvalidUtf8(new Blob([CORPUS.utf8Bom.bytes as BlobPart]), { chunkBytes: 2 })).toBeNull();
  });

  it('tells pure ASCII apart', () => {
    expect(isAscii(utf8('a,b\n1,2\n'))).toBe(true);
    expect(isAscii(utf8('café'))).toBe(false);
  });
});

describe('decodeHead', () => {
  it('drops the BOM and a character cut off at the end', () => {
    expect(decodeHead(CORPUS.utf8Bom.bytes.slice(3, 12), 'utf-8')).toBe('名称,');
    expect(decodeHead(CORPUS.utf16leBom.bytes, 'utf-16le').startsWith('name,price')).toBe(true);
  });
});

describe('transcodeToUtf8', () => {
  const cases: [string, Uint8Array, TextEncoding, string][] = [
    [
      'GB18030',
      CORPUS.gbk.bytes,
      'gb18030',
      '订单编号,客户,金额\r\nA001,北京,12.50\r\nA002,上海,8.00\r\nA003,北京,3.20\r\n',
    ],
    [
      'Windows-1252',
      CORPUS.cp1252.bytes,
      'windows-1252',
      'name,note,size\nCafé,\u201cbest\u201d coffee,5\u201310\nTea,plain,1\n',
    ],
    ['UTF-16LE with BOM', CORPUS.utf16leBom.bytes, 'utf-16le', 'name,price\r\nCafé,3.5\r\n北京,8\r\n'],
    ['UTF-16BE with BOM', CORPUS.utf16beBom.bytes, 'utf-16be', 'name,price\r\nCafé,3.5\r\n北京,8\r\n'],
    ['UTF-8 with BOM', CORPUS.utf8Bom.bytes, 'utf-8', '名称,价格\n咖啡,12.5\n茶,8\n'],
  ];
  for (const [label, input, encoding, expected] of cases) {
    it(`streams ${label} in tiny chunks that split characters`, async () => {
      const progress: number[] = [];
      const out = await transcodeToUtf8(new Blob([input as BlobPart]), encoding, {
        chunkBytes: 1024,
        onProgress: (done) => progress.push(done),
      });
      expect(await text(out)).toBe(expected);
      expect(progress.at(-1)).toBe(input.length);
      // With 3-byte chunks every multi-byte character is split somewhere.
      const small = await transcodeToUtf8(new Blob([input as BlobPart]), encoding, { chunkBytes: 3 });
      expect(await text(small)).toBe(expected);
    });
  }

  it('replaces invalid UTF-8 and reports the first bad sequence across chunk boundaries', async () => {
    const report = { invalidSequences: 0 } as NonNullable<TranscodeOptions['report']>;
    const input = bytes(CORPUS.invalidUtf8.bytes, 'x', [0xe5, 0x8c], '\n');
    const out = await transcodeToUtf8(new Blob([input as BlobPart]), 'utf-8', { chunkBytes: 5, report });
    expect(await text(out)).toBe('name,city\nJosé,München\nBad\uFFFDByte,北京\nx\uFFFD\n');
    expect(report).toEqual({ invalidSequences: 2, firstInvalid: { offset: 28, line: 3, column: 4 } });
  });

  it('normalises CRLF and lone CR to LF, also when CR and LF land in different chunks', async () => {
    const input = utf8('a,b\r\n1,2\r3,4\n5,"x\r\ny"\r\n');
    for (const chunkBytes of [1, 2, 3, 1024]) {
      const out = await transcodeToUtf8(new Blob([input as BlobPart]), 'utf-8', {
        chunkBytes,
        normalizeNewlines: true,
      });
      expect(await text(out)).toBe('a,b\n1,2\n3,4\n5,"x\ny"\n');
    }
  });

  it('stops when cancelled', async () => {
    const token = { cancelled: false };
    const input = new Blob([new Uint8Array(10_000) as BlobPart]);
    const promise = transcodeToUtf8(input, 'windows-1252', {
      chunkBytes: 1024,
      token,
      onProgress: () => (token.cancelled = true),
    });
    await expect(promise).rejects.toMatchObject({ code: 'cancelled' });
  });
});
