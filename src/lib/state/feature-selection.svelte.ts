/**
 * The "Select features" tab's state for one table: the target, the method and how many to
 * keep, the scoring job, and the one-click action that turns the selection into a recipe step
 * (keep these columns) and applies it.
 */
import type { ProgressCallback, TableInfo } from '../contracts/data-api';
import type { SelectFeaturesRequest, SelectFeaturesResult, SelectionMethod } from '../contracts/prepare-api';
import { isNumericType } from '../data/infer/kinds';
import { newStepId } from '../pipeline/step-forms';
import type { RecipeEditor } from './recipe-editor.svelte';
import { JobState } from './job.svelte';

export interface SelectionHost {
  client: {
    selectFeatures(r: SelectFeaturesRequest, p?: ProgressCallback, jobId?: string): Promise<SelectFeaturesResult>;
    cancel(jobId: string): Promise<boolean>;
  };
  recipeEditor(table: TableInfo): RecipeEditor;
}

/** Whether a column can be a feature (numbers and yes/no). */
export function isFeatureColumn(type: string): boolean {
  return isNumericType(type) || type.toUpperCase() === 'BOOLEAN';
}

/** A likely target: a column named like a label, else the last yes/no column. */
export function guessTarget(table: TableInfo): string {
  const byName = table.columns.find((c) => /^(label|target|revenue|churn|y|class|converted)$/i.test(c.name));
  const lastBoolean = [...table.columns].reverse().find((c) => c.type.toUpperCase() === 'BOOLEAN');
  return byName?.name ?? lastBoolean?.name ?? table.columns[table.columns.length - 1]?.name ?? '';
}

export class FeatureSelection {
  readonly #host: SelectionHost;
  table = $state.raw<TableInfo>(null as unknown as TableInfo);
  target = $state('');
  method = $state<SelectionMethod>('anova');
  k = $state(10);
  /** Candidate features the user unticked. */
  excluded = $state<string[]>([]);
  job: JobState<SelectFeaturesResult>;
  applying = $state(false);
  appliedTable = $state<string | null>(null);
  applyError = $state<unknown>(null);

  constructor(host: SelectionHost, table: TableInfo) {
    this.#host = host;
    this.table = table;
    this.job = new JobState((jobId) => host.client.cancel(jobId));
    this.target = guessTarget(table);
    this.k = Math.min(10, Math.max(1, Math.ceil(this.candidates.length / 2)));
  }

  sync(table: TableInfo): void {
    if (table !== this.table) this.table = table;
  }

  /** Numeric and yes/no columns other than the target and the id columns. */
  get candidates(): string[] {
    return this.table.columns
      .filter((c) => c.name !== this.target && isFeatureColumn(c.type) && !c.role.endsWith('_id'))
      .map((c) => c.name);
  }

  get features(): string[] {
    return this.candidates.filter((c) => !this.excluded.includes(c));
  }

  toggle(feature: string, on: boolean): void {
    this.excluded = on ? this.excluded.filter((f) => f !== feature) : [...this.excluded, feature];
  }

  async run(): Promise<void> {
    this.appliedTable = null;
    await this.job.run((jobId, onProgress) =>
      this.#host.client.selectFeatures(
        { table: this.table.name, target: this.target, method: this.method, k: this.k, features: this.features },
        onProgress,
        jobId,
      ),
    );
  }

  /** Adds "keep the selected features (and the target and ids)" to the table's recipe and applies it. */
  async keepSelected(): Promise<void> {
    const result = this.job.result;
    if (!result || this.applying) return;
    const selected = result.features.filter((f) => f.selected).map((f) => f.feature);
    const ids = this.table.columns.filter((c) => c.role.endsWith('_id')).map((c) => c.name);
    const keep = [...ids, ...selected, result.target].filter((c, i, all) => all.indexOf(c) === i);
    const editor = this.#host.recipeEditor(this.table);
    this.applying = true;
    this.applyError = null;
    try {
      editor.appendStep({
        id: newStepId(editor.steps),
        enabled: true,
        kind: 'select_columns',
        mode: 'keep',
        columns: keep,
      });
      editor.into = `${this.table.name}_selected`;
      const applied = await editor.apply();
      if (applied) this.appliedTable = applied.table.name;
      else this.applyError = editor.applyError;
    } finally {
      this.applying = false;
    }
  }
}
