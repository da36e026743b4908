import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { csvField, ipcToCsv } from './classify-csv';

describe('scored table CSV', () => {
  it('quotes fields that need it and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(null)).toBe('');
    expect(csvField(0.25)).toBe('0.25');
  });

  it('writes a header and one line per row', () => {
    const ipc = tableToIPC(tableFromArrays({ id: ['c1', 'c2'], probability: Float64Array.from([0.9, 0.1]) }), 'stream');
    expect(ipcToCsv(ipc)).toBe('id,probability\r\nc1,0.9\r\nc2,0.1\r\n');
  });
});
