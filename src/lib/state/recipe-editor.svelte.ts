/**
 * The recipe panel's state for one table: the recipe being edited (with undo/redo), the step
 * being looked at and its before/after preview, and applying, saving and loading. Every edit
 * goes through `#commit`, which validates the recipe with the same parser the worker uses and
 * forgets statistics that the edit made stale.
 */
import type { ProgressEvent, TableInfo } from '../contracts/data-api';
import type { ApplyRecipeResult, Recipe, RecipePreview, RecipeStep, StepKind } from '../contracts/prepare-api';
import { newJobId } from '../clients/data-client';
import { decodeIpc } from '../data/arrow';
import { ShopSightError } from '../data/errors';
import { invalidateFrom, newStep, newStepId } from '../pipeline/step-forms';
import { parseRecipe, type SourceColumn } from '../pipeline/steps';
import { StaticSource } from './grid-source.svelte';
import { History } from './history';

/** Rows shown under a step's preview. */
export const PREVIEW_ROWS = 50;

/** What the editor needs from the app: the data client's recipe calls and a way to refresh tables. */
export interface RecipeHost {
  client: {
    previewRecipe(
      table: string,
      recipe: Recipe,
      stepIndex: number,
      limit: number,
      jobId?: string,
    ): Promise<RecipePreview>;
    applyRecipe(
      request: { table: string; recipe: Recipe; into?: string; fit?: 'missing' | 'all' | 'none' },
      onProgress?: (p: ProgressEvent) => void,
      jobId?: string,
    ): Promise<ApplyRecipeResult>;
    cancel(jobId: string): Promise<boolean>;
  };
  refreshTables(): Promise<void>;
}

export interface PreviewView {
  stepIndex: number;
  before: { rows: number; columns: number };
  after: { rows: number; columns: number };
  failed?: number;
  source: StaticSource;
}

/** A new, empty recipe for `table`. */
export function emptyRecipe(table: TableInfo): Recipe {
  return {
    version: 1,
    name: `${table.name} recipe`,
    source: { columns: table.columns.map((c) => ({ name: c.name, type: c.type })) },
    steps: [],
  };
}

export class RecipeEditor {
  /** The table's latest catalog entry (refreshed on every table list change). */
  table = $state.raw<TableInfo>(null as unknown as TableInfo);
  readonly #host: RecipeHost;
  readonly #history: History<Recipe>;
  recipe = $state.raw<Recipe>(null as unknown as Recipe);
  canUndo = $state(false);
  canRedo = $state(false);
  /** The step whose form and preview are shown (−1: none). */
  selected = $state(-1);
  preview = $state.raw<PreviewView | null>(null);
  previewError = $state<unknown>(null);
  previewing = $state(false);
  into = $state('');
  applying = $state<{ jobId: string; progress: ProgressEvent | null } | null>(null);
  applyError = $state<unknown>(null);
  lastResult = $state.raw<ApplyRecipeResult | null>(null);
  #previewTicket = 0;

  constructor(host: RecipeHost, table: TableInfo, initial?: Recipe) {
    this.#host = host;
    this.table = table;
    this.#history = new History(initial ?? emptyRecipe(table));
    this.recipe = this.#history.present;
    this.into = `${table.name}_prepared`;
  }

  /** Takes the table's newer catalog entry (same name); the recipe and its history stay. */
  sync(table: TableInfo): void {
    if (table !== this.table) this.table = table;
  }

  /** The columns step `index` receives (the table's own for the first step), from the last preview when known. */
  columnsBefore(index: number): SourceColumn[] {
    if (this.preview && this.preview.stepIndex === index - 1) return this.preview.source.columns.map(asSourceColumn);
    return this.table.columns.map((c) => ({ name: c.name, type: c.type }));
  }

  get steps(): readonly RecipeStep[] {
    return this.recipe.steps;
  }

  add(kind: StepKind): void {
    const at = this.selected >= 0 ? this.selected + 1 : this.recipe.steps.length;
    const step = newStep(kind, this.columnsBefore(at), newStepId(this.recipe.steps));
    const steps = [...this.recipe.steps];
    steps.splice(at, 0, step);
    this.#commit({ ...this.recipe, steps: invalidateFrom(steps, at) }, at);
  }

  /** Adds a ready-made step at the end (e.g. "keep the selected features"). */
  appendStep(step: RecipeStep): void {
    const steps = [...this.recipe.steps, step];
    this.#commit({ ...this.recipe, steps }, steps.length - 1, false);
  }

  update(index: number, step: RecipeStep): void {
    const steps = this.recipe.steps.map((s, i) => (i === index ? step : s));
    this.#commit({ ...this.recipe, steps: invalidateFrom(steps, index) }, index);
  }

  remove(index: number): void {
    const steps = this.recipe.steps.filter((_s, i) => i !== index);
    this.#commit({ ...this.recipe, steps: invalidateFrom(steps, index) }, Math.min(index, steps.length - 1));
  }

  move(index: number, delta: -1 | 1): void {
    const to = index + delta;
    if (to < 0 || to >= this.recipe.steps.length) return;
    const steps = [...this.recipe.steps];
    const [step] = steps.splice(index, 1);
    steps.splice(to, 0, step!);
    this.#commit({ ...this.recipe, steps: invalidateFrom(steps, Math.min(index, to)) }, to);
  }

  toggle(index: number): void {
    const step = this.recipe.steps[index];
    if (step) this.update(index, { ...step, enabled: !step.enabled });
  }

  rename(name: string): void {
    if (name.trim()) this.#commit({ ...this.recipe, name: name.trim() }, this.selected, false);
  }

  undo(): void {
    this.#show(this.#history.undo());
  }

  redo(): void {
    this.#show(this.#history.redo());
  }

  select(index: number): void {
    this.selected = index;
    void this.refreshPreview();
  }

  /** Previews the selected step; a newer request makes an older answer irrelevant. */
  async refreshPreview(): Promise<void> {
    const index = this.selected;
    const ticket = ++this.#previewTicket;
    if (index < 0 || index >= this.recipe.steps.length) {
      this.preview = null;
      this.previewError = null;
      return;
    }
    this.previewing = true;
    try {
      const result = await this.#host.client.previewRecipe(this.table.name, this.recipe, index, PREVIEW_ROWS);
      if (ticket !== this.#previewTicket) return;
      this.previewError = null;
      this.preview = {
        stepIndex: index,
        before: { rows: result.before.rows, columns: result.before.columns.length },
        after: { rows: result.after.rows, columns: result.after.columns.length },
        ...(result.failed === undefined ? {} : { failed: result.failed }),
        source: new StaticSource(decodeIpc(result.ipc)),
      };
      // The preview fitted the steps up to this one: keep those numbers (no undo entry).
      this.recipe = this.#history.replace(result.recipe);
    } catch (error) {
      if (ticket !== this.#previewTicket) return;
      this.preview = null;
      this.previewError = error;
    } finally {
      if (ticket === this.#previewTicket) this.previewing = false;
    }
  }

  /** Fits what is not fitted yet and writes the result table; the fitted recipe is kept for saving. */
  async apply(): Promise<ApplyRecipeResult | undefined> {
    if (this.applying) return undefined;
    const jobId = newJobId('recipe');
    this.applying = { jobId, progress: null };
    this.applyError = null;
    try {
      const result = await this.#host.client.applyRecipe(
        { table: this.table.name, recipe: this.recipe, into: this.into.trim() || `${this.table.name}_prepared` },
        (progress) => {
          if (this.applying?.jobId === jobId) this.applying = { jobId, progress };
        },
        jobId,
      );
      this.lastResult = result;
      this.recipe = this.#history.replace(result.recipe);
      await this.#host.refreshTables();
      return result;
    } catch (error) {
      this.applyError = error;
      return undefined;
    } finally {
      this.applying = null;
    }
  }

  cancelApply(): void {
    if (this.applying) void this.#host.client.cancel(this.applying.jobId);
  }

  /** The recipe as a JSON file's text (with its fitted statistics, so it replays identically). */
  toJson(): string {
    return `${JSON.stringify(this.recipe, null, 2)}\n`;
  }

  /** Loads a saved recipe; throws a `bad_recipe` ShopSightError (and changes nothing) when it is not one. */
  loadJson(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ShopSightError({ code: 'bad_recipe', message: 'This file is not a recipe (it is not valid JSON).' });
    }
    const recipe = parseRecipe(json);
    this.#commit(recipe, recipe.steps.length ? 0 : -1, true, false);
  }

  #commit(next: Recipe, select: number, preview = true, validate = true): void {
    const recipe = validate ? tryParse(next) : next;
    this.#history.push(recipe);
    this.#show(recipe, select, preview);
  }

  #show(recipe: Recipe, select = Math.min(this.selected, recipe.steps.length - 1), preview = true): void {
    this.recipe = recipe;
    this.canUndo = this.#history.canUndo;
    this.canRedo = this.#history.canRedo;
    this.selected = select;
    this.lastResult = null;
    if (preview) void this.refreshPreview();
  }
}

/**
 * Form edits may leave a step incomplete for a moment (no column picked yet); such a recipe is
 * kept as typed so the form does not fight the user, and the preview reports what is missing.
 */
function tryParse(recipe: Recipe): Recipe {
  try {
    return parseRecipe(recipe);
  } catch {
    return recipe;
  }
}

function asSourceColumn(c: { name: string; type: string }): SourceColumn {
  return { name: c.name, type: c.type };
}
