/**
 * The model files of one kind of Classify model (classifiers or regressors): those held in the
 * ML worker (`loaded`), those saved in the browser (`saved`, IndexedDB), and the moves between
 * them — save, download as a file, upload, load a saved one, delete. Storage failures land in
 * `storageError` and lose nothing. ClassifyState and RegressionState extend it.
 */
import type { ModelStore, SavedModel } from '../clients/model-store';
import { downloadText, safeFileName } from '../download';

/** What the library needs from a chapter client. */
export interface ModelFileClient<F, I> {
  listModels(): Promise<I[]>;
  exportModel(modelId: string): Promise<F>;
  importModel(file: F): Promise<I>;
}

/** Loaded and saved models of one kind, with the storage actions the Score panel offers. */
export abstract class ModelLibrary<F extends { info: { name: string } }, I> {
  saved = $state.raw<SavedModel<F>[]>([]);
  loaded = $state.raw<I[]>([]);
  message = $state<string | null>(null);
  storageError = $state<unknown>(null);
  abstract readonly client: ModelFileClient<F, I>;
  readonly #store: ModelStore<F>;
  readonly #fileKind: string;

  /** `fileKind` names downloads `<model>.<fileKind>.json` (e.g. "classifier"). */
  constructor(store: ModelStore<F>, fileKind: string) {
    this.#store = store;
    this.#fileKind = fileKind;
  }

  /** The model the held-out evaluation produced, the default for save and download. */
  protected abstract evaluatedModelId(): string | undefined;

  async refreshLoaded(): Promise<void> {
    try {
      this.loaded = await this.client.listModels();
    } catch {
      this.loaded = [];
    }
  }

  async refreshSaved(): Promise<void> {
    try {
      this.saved = await this.#store.list();
    } catch (error) {
      this.storageError = error;
    }
  }

  /** Saves a model (by default the evaluated one) in the browser (IndexedDB). */
  async saveInBrowser(modelId = this.evaluatedModelId()): Promise<void> {
    if (!modelId) return;
    try {
      this.storageError = null;
      await this.#store.save(await this.client.exportModel(modelId));
      await this.refreshSaved();
      this.message = 'saved';
    } catch (error) {
      this.storageError = error;
    }
  }

  /** Downloads a model (by default the evaluated one) as a JSON file. */
  async download(modelId = this.evaluatedModelId()): Promise<void> {
    if (!modelId) return;
    const file = await this.client.exportModel(modelId);
    downloadText(safeFileName(`${file.info.name}.${this.#fileKind}`, 'json'), JSON.stringify(file));
  }

  /** Loads a model file (upload or IndexedDB) into the worker; it can then score tables. */
  async loadFile(file: F): Promise<I | undefined> {
    try {
      this.storageError = null;
      const info = await this.client.importModel(file);
      await this.refreshLoaded();
      return info;
    } catch (error) {
      this.storageError = error;
      return undefined;
    }
  }

  /** Loads an uploaded file's text; a file that is not JSON ends in `storageError`. */
  async upload(text: string): Promise<I | undefined> {
    try {
      return await this.loadFile(JSON.parse(text) as F);
    } catch (error) {
      this.storageError = error;
      return undefined;
    }
  }

  async deleteSaved(id: string): Promise<void> {
    try {
      await this.#store.remove(id);
      await this.refreshSaved();
    } catch (error) {
      this.storageError = error;
    }
  }
}
