import { it } from 'vitest';
import { createNodeDb, DATASETS_DIR } from '../../test/duckdb-node';
import { inferAndConvert } from '../data/infer/infer-table';
import { profileTable, describeFinding } from './profile';

it('scratch', async () => {
  const db = await createNodeDb();
  for (const f of ['online_retail_sample_20k.csv', 'superstore_orders_train.csv', 'online_shoppers_intention.csv']) {
    db.exec(`CREATE OR REPLACE TABLE stage AS SELECT * FROM read_csv('${DATASETS_DIR}/${f}', all_varchar=true)`);
    db.exec('DROP TABLE IF EXISTS t; DROP TABLE IF EXISTS t__rejects');
    const r = await inferAndConvert(db, 'stage', 't', { decimalSeparator: '.' }, { cancelled: false });
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      const rep = await profileTable(db, 't', r.columns, { token: { cancelled: false }, now: new Date(2026, 0, 1), onProgress: (e) => void e });
      console.log(f, (performance.now() - t0).toFixed(0), 'ms', rep.score, JSON.stringify(rep.dimensionScores), rep.duplicateRows, JSON.stringify(rep.keyDuplicates));
      if (i) {
        for (const fi of rep.findings) console.log('  ', fi.severity, describeFinding(fi));
        for (const p of rep.columnProfiles.slice(0, 8)) console.log('  ', JSON.stringify(p).slice(0, 400));
      }
    }
  }
});
