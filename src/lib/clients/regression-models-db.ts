/**
 * Saved regression models in the browser (IndexedDB, database `shopsight-regression`; the Classify chapter's numeric targets): the model
 * files exactly as they download, so a saved model reloads with identical predictions. Nothing
 * leaves the machine. Without IndexedDB (private modes of some browsers) saving fails clearly.
 */
import type { RegressionModelFile } from '../contracts/regression-api';

const DB_NAME = 'shopsight-regression';
const STORE = 'models';

/** One saved model. */
export interface SavedRegressionModel {
  id: string;
  savedAt: string;
  file: RegressionModelFile;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('This browser offers no IndexedDB storage.'));
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
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

let counter = 0;

/** Saves a model file; resolves to its entry. */
export async function saveRegressionModel(file: RegressionModelFile): Promise<SavedRegressionModel> {
  counter += 1;
  const entry: SavedRegressionModel = {
    id: `r-${Date.now().toString(36)}-${counter}`,
    savedAt: new Date().toISOString(),
    file,
  };
  await run('readwrite', (store) => store.put(entry));
  return entry;
}

/** Every saved model, newest first. */
export async function listSavedRegressionModels(): Promise<SavedRegressionModel[]> {
  const all = await run('readonly', (store) => store.getAll() as IDBRequest<SavedRegressionModel[]>);
  return all.sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1));
}

export async function deleteSavedRegressionModel(id: string): Promise<void> {
  await run('readwrite', (store) => store.delete(id));
}
