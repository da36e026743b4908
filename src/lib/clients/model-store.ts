/**
 * Saved models in the browser (IndexedDB): the model files exactly as they download, so a
 * saved model reloads with identical predictions. Nothing leaves the machine. Without
 * IndexedDB (private modes of some browsers) saving fails clearly. Classify's classifiers and
 * regressors keep separate databases (`shopsight-classify`, `shopsight-regression`), so a file
 * of one kind is never offered to the other.
 */
import type { ClassifyModelFile } from '../contracts/classify-api';
import type { RegressionModelFile } from '../contracts/regression-api';

const STORE = 'models';

/** One saved model. */
export interface SavedModel<F> {
  id: string;
  savedAt: string;
  file: F;
}

/** Save, list (newest first) and delete in one database. */
export interface ModelStore<F> {
  save(file: F): Promise<SavedModel<F>>;
  list(): Promise<SavedModel<F>[]>;
  remove(id: string): Promise<void>;
}

let counter = 0;

/** The store in database `dbName`; ids start with `idPrefix`. */
export function modelStore<F>(dbName: string, idPrefix: string): ModelStore<F> {
  function open(): Promise<IDBDatabase> {
    return new Promise((resolve, reject) => {
      if (typeof indexedDB === 'undefined') {
        reject(new Error('This browser offers no IndexedDB storage.'));
        return;
      }
      const request = indexedDB.open(dbName, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB failed to open.'));
    });
  }

  async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = work(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(request.result);
        tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed.'));
      });
    } finally {
      db.close();
    }
  }

  return {
    async save(file) {
      counter += 1;
      const entry: SavedModel<F> = {
        id: `${idPrefix}-${Date.now().toString(36)}-${counter}`,
        savedAt: new Date().toISOString(),
        file,
      };
      await run('readwrite', (store) => store.put(entry));
      return entry;
    },
    async list() {
      const all = await run('readonly', (store) => store.getAll() as IDBRequest<SavedModel<F>[]>);
      return all.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
    },
    async remove(id) {
      await run('readwrite', (store) => store.delete(id));
    },
  };
}

/** Saved classifiers (database `shopsight-classify`). */
export const classifyModels = modelStore<ClassifyModelFile>('shopsight-classify', 'm');

/** Saved regressors (database `shopsight-regression`). */
export const regressionModels = modelStore<RegressionModelFile>('shopsight-regression', 'r');
