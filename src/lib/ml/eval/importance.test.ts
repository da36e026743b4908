/** Grouped permutation importance with a regression score (R²) and with a loss (MAE). */
import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix';
import { Rng } from '../random';
import { mae, r2 } from '../metrics/regression';
import { groupPermutationImportance } from './importance';

describe('groupPermutationImportance', () => {
  const rng = new Rng(1);
  // Columns: a, then a two-column one-hot block (group 1), then noise; y = 2a + 3·block0.
  const rows: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const a = rng.normal();
    const hot = rng.randint(2);
    rows.push([a, hot, 1 - hot, rng.normal()]);
    y.push(2 * a + 3 * hot);
  }
  const X = fromRows(rows);
  const groups = [0, 1, 1, 2];
  const exact = async (M: typeof X) => {
    const out = new Float64Array(M.nRows);
    for (let i = 0; i < M.nRows; i++) out[i] = 2 * M.data[i * 4]! + 3 * M.data[i * 4 + 1]!;
    return out;
  };

  it('scores each group by the R² lost when its columns are shuffled together', async () => {
    const seen: number[] = [];
    const imp = await groupPermutationImportance(exact, X, y, groups, r2, {
      nRepeats: 4,
      seed: 2,
      onGroup: (g) => void seen.push(g),
    });
    expect(imp.baseline).toBe(1);
    expect(seen).toEqual([0, 1, 2]);
    // Shuffling a (variance 4 of the total ≈ 6.25) loses about 2·4/6.25 ≈ 1.3 of R².
    expect(imp.mean[0]).toBeGreaterThan(0.9);
    expect(imp.mean[1]).toBeGreaterThan(0.5);
    expect(imp.mean[0]).toBeGreaterThan(imp.mean[1]!);
    expect(imp.mean[2]).toBe(0);
    expect(imp.std[2]).toBe(0);
    expect(imp.std[0]).toBeGreaterThan(0);
  });

  it('flips the sign for a loss, so more important is still larger', async () => {
    const imp = await groupPermutationImportance(exact, X, y, groups, mae, { greaterIsBetter: false, seed: 2 });
    expect(imp.baseline).toBe(0);
    expect(imp.mean[0]).toBeGreaterThan(1);
    expect(imp.mean[2]).toBe(0);
  });

  it('is reproducible for a seed', async () => {
    const a = await groupPermutationImportance(exact, X, y, groups, r2, { seed: 5 });
    const b = await groupPermutationImportance(exact, X, y, groups, r2, { seed: 5 });
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
  });
});
