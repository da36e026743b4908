import { describe, expect, it } from 'vitest';
import { safeFileName } from './download';

describe('safeFileName', () => {
  it('keeps letters, digits and CJK, replaces the rest', () => {
    expect(safeFileName('orders recipe', 'json')).toBe('orders_recipe.json');
    expect(safeFileName('订单/清洗:配方', 'json')).toBe('订单_清洗_配方.json');
    expect(safeFileName('  ', 'csv')).toBe('shopsight.csv');
    expect(safeFileName('../../etc/passwd', 'json')).toBe('etc_passwd.json');
  });
});
