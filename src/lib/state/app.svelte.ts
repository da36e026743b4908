/**
 * The application's state: tables, the selected view, running loads and notices. One class,
 * `$state.raw` for the big immutable results, methods for everything the views can do, so
 * components stay thin and never talk to the worker themselves.
 */
import type { ColumnRole, ProgressEvent, QualityReport, TableInfo, TextEncoding } from '../contracts/data-api';
import { DataClient, newJobId, type SupervisorEvent } from '../clients/data-client';
import { isErrorInfo } from '../data/errors';
import { i18n } from '../i18n/index.svelte';
import { localizedMessage } from '../i18n/messages';
import { SAMPLES, sampleUrl } from '../samples/samples';
import { RecipeEditor } from './recipe-editor.svelte';
import { FeatureBuilders } from './feature-builders.svelte';
import { FeatureSelection } from './feature-selection.svelte';
import { TrainClient, type TrainSupervisorEvent } from '../clients/train-client';

/** The analyses: views of their own (sidebar), each reading the tables it needs. */
export const ANALYSIS_VIEWS = ['classify', 'forecast', 'segments', 'recommend', 'anomalies', 'reviews'] as const;
export type AnalysisView = (typeof ANALYSIS_VIEWS)[number];

export type View = 'data' | 'columns' | 'quality' | 'prepare' | 'features' | 'select' | 'sql' | AnalysisView;

export function isAnalysisView(view: View): view is AnalysisView {
  return (ANALYSIS_VIEWS as readonly string[]).includes(view);
}

export interface LoadJob {
  id: string;
  fileName: string;
  progress: ProgressEvent | null;
}

export interface Notice {
  id: number;
  kind: 'error' | 'warning' | 'info';
  title: string;
  message?: string;
  details?: string[];
  testId?: string;
}

/** Timing of the last load, read by bench/ingest through `window.__shopsight`. */
export interface LoadTiming {
  ms: number;
  rows: number;
  bytes: number;
  table: string;
  /** How many progress events reached the UI during the load (tests check the bar moves). */
  progressEvents: number;
}

let noticeCounter = 0;

export class AppState {
  readonly client: DataClient;
  status = $state<'starting' | 'ready' | 'error'>('starting');
  startError = $state<string | null>(null);
  engine = $state<{ duckdbVersion: string; bundle: string } | null>(null);
  tables = $state.raw<TableInfo[]>([]);
  selected = $state<string | null>(null);
  view = $state<View>('data');
  loads = $state<LoadJob[]>([]);
  notices = $state<Notice[]>([]);
  reports = $state.raw<Record<string, QualityReport>>({});
  profiling = $state<string | null>(null);
  encoding = $state<TextEncoding | ''>('');
  lastLoad: LoadTiming | null = null;
  /**
   * One recipe editor per table, kept while the table exists (switching tabs loses nothing).
   * A plain Map on purpose: nothing renders the map itself, and creating an editor inside a
   * template read must not count as a state change.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #editors = new Map<string, RecipeEditor>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- as #editors
  readonly #builders = new Map<string, FeatureBuilders>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- as #editors
  readonly #selections = new Map<string, FeatureSelection>();
  /** Each analysis view's state, created on first use and kept while the page lives. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- as #editors
  readonly #analyses = new Map<string, unknown>();
  /** The ML worker (TF.js and the TypeScript models); started on first use. */
  readonly ml: TrainClient;
  /** Set once the two workers share a MessageChannel; cleared when either restarts. */
  #mlLink: Promise<void> | undefined;

  constructor(client?: DataClient, ml?: TrainClient) {
    this.client = client ?? new DataClient({ onSupervisorEvent: (e) => this.#onSupervisor(e) });
    this.ml = ml ?? new TrainClient({ onSupervisorEvent: (e) => this.#onMlSupervisor(e) });
  }

  /**
   * The ML worker, linked to the data worker: one MessageChannel whose ends go to the two
   * workers, so analyses read tables and write results without passing the data through here.
   */
  async mlReady(): Promise<TrainClient> {
    if (!this.#mlLink) {
      const channel = new MessageChannel();
      this.#mlLink = Promise.all([
        this.client.attachFramePort(channel.port1),
        this.ml.attachFrameSource(channel.port2),
      ]).then(() => undefined);
      this.#mlLink.catch(() => {
        this.#mlLink = undefined;
      });
    }
    await this.#mlLink;
    return this.ml;
  }

  /** The state object of an analysis view (`create` runs once per key). */
  analysis<T>(key: AnalysisView, create: () => T): T {
    if (!this.#analyses.has(key)) this.#analyses.set(key, create());
    return this.#analyses.get(key) as T;
  }

  get selectedTable(): TableInfo | undefined {
    return this.tables.find((t) => t.name === this.selected);
  }

  async start(): Promise<void> {
    try {
      this.engine = await this.client.init();
      this.status = 'ready';
    } catch (error) {
      this.status = 'error';
      this.startError = messageOf(error);
    }
  }

  /** Loads several files one after the other; a failing file never affects the others. */
  async loadFiles(files: readonly File[]): Promise<void> {
    for (const file of files) await this.loadBlob(file, file.name);
  }

  async loadBlob(source: Blob, fileName: string): Promise<TableInfo[]> {
    const job: LoadJob = { id: newJobId('load'), fileName, progress: null };
    this.loads = [...this.loads, job];
    const started = performance.now();
    let progressEvents = 0;
    try {
      const options = this.encoding ? { encoding: this.encoding } : {};
      const tables = await this.client.loadFile(
        source,
        fileName,
        options,
        (p) => {
          progressEvents += 1;
          this.#onProgress(job.id, p);
        },
        job.id,
      );
      const ms = performance.now() - started;
      await this.refreshTables();
      const first = tables[0];
      if (first) {
        this.lastLoad = { ms, rows: first.rows, bytes: source.size, table: first.name, progressEvents };
        this.selected = first.name;
        this.view = 'data';
      }
      for (const table of tables) {
        if (table.warnings.length > 0) {
          this.notify({
            kind: 'warning',
            title: `${table.name}: ${i18n.t('load.warnings', { count: table.warnings.length })}`,
            details: table.warnings.map((w) => localizedMessage(w, i18n.locale)),
            testId: 'load-warning',
          });
        }
      }
      return tables;
    } catch (error) {
      if (isErrorInfo(error) && error.code === 'cancelled') {
        this.notify({ kind: 'info', title: i18n.t('load.cancelled', { file: fileName }) });
      } else {
        this.notify({
          kind: 'error',
          title: i18n.t('load.failed', { file: fileName }),
          message: describeError(error),
          details: [i18n.t('load.failedHint')],
          testId: 'load-error',
        });
      }
      return [];
    } finally {
      this.loads = this.loads.filter((l) => l.id !== job.id);
    }
  }

  async loadSample(id: string): Promise<void> {
    const sample = SAMPLES.find((s) => s.id === id);
    if (!sample) return;
    const response = await fetch(sampleUrl(sample));
    if (!response.ok) {
      this.notify({
        kind: 'error',
        title: i18n.t('load.failed', { file: sample.fileName }),
        message: `HTTP ${response.status}`,
      });
      return;
    }
    await this.loadBlob(await response.blob(), sample.fileName);
  }

  cancelLoad(jobId: string): void {
    void this.client.cancel(jobId);
  }

  async refreshTables(): Promise<void> {
    this.tables = await this.client.listTables();
    for (const map of [this.#editors, this.#builders, this.#selections] as Map<
      string,
      { sync(t: TableInfo): void }
    >[]) {
      for (const [name, state] of map) {
        const table = this.tables.find((t) => t.name === name);
        if (table) state.sync(table);
        else map.delete(name);
      }
    }
    if (this.selected && !this.tables.some((t) => t.name === this.selected))
      this.selected = this.tables[0]?.name ?? null;
  }

  select(
    name: string | null,
    view: View = this.view === 'sql' || isAnalysisView(this.view) ? 'data' : this.view,
  ): void {
    this.selected = name;
    this.view = view;
  }

  /** The recipe being edited for `table` (created on first use). */
  recipeEditor(table: TableInfo): RecipeEditor {
    const existing = this.#editors.get(table.name);
    if (existing) return existing;
    const editor = new RecipeEditor(this, table);
    this.#editors.set(table.name, editor);
    return editor;
  }

  /** The feature builders' forms and results for `table` (created on first use). */
  featureBuilders(table: TableInfo): FeatureBuilders {
    const existing = this.#builders.get(table.name);
    if (existing) return existing;
    const builders = new FeatureBuilders(this, table);
    this.#builders.set(table.name, builders);
    return builders;
  }

  /** The Select features tab's state for `table` (created on first use). */
  featureSelection(table: TableInfo): FeatureSelection {
    const existing = this.#selections.get(table.name);
    if (existing) return existing;
    const selection = new FeatureSelection(this, table);
    this.#selections.set(table.name, selection);
    return selection;
  }

  async dropTable(name: string): Promise<void> {
    await this.#guard(() => this.client.dropTable(name));
    this.#editors.delete(name);
    this.#builders.delete(name);
    this.#selections.delete(name);
    const { [name]: _dropped, ...rest } = this.reports;
    this.reports = rest;
    await this.refreshTables();
  }

  async setRole(table: string, column: string, role: ColumnRole): Promise<void> {
    await this.#guard(async () => {
      const info = await this.client.setColumnRole(table, column, role);
      this.tables = this.tables.map((t) => (t.name === table ? info : t));
    });
  }

  async profile(table: string): Promise<void> {
    if (this.profiling) return;
    this.profiling = table;
    try {
      const report = await this.client.profile(table);
      this.reports = { ...this.reports, [table]: report };
    } catch (error) {
      this.notify({ kind: 'error', title: i18n.t('errors.generic', { message: describeError(error) }) });
    } finally {
      this.profiling = null;
    }
  }

  notify(notice: Omit<Notice, 'id'>): void {
    noticeCounter += 1;
    this.notices = [...this.notices, { ...notice, id: noticeCounter }];
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  #onProgress(jobId: string, progress: ProgressEvent): void {
    this.loads = this.loads.map((l) => (l.id === jobId ? { ...l, progress } : l));
  }

  #onMlSupervisor(event: TrainSupervisorEvent): void {
    this.#mlLink = undefined;
    this.notify({
      kind: 'warning',
      title: i18n.t('supervisor.mlRestarted', { reason: event.reason }),
      testId: 'ml-supervisor',
    });
  }

  #onSupervisor(event: SupervisorEvent): void {
    // The old data worker took its end of the channel with it.
    this.#mlLink = undefined;
    if (event.kind === 'restarting') {
      this.notify({
        kind: 'warning',
        title: i18n.t('supervisor.restarting', { reason: event.reason }),
        testId: 'supervisor',
      });
      return;
    }
    this.notify({
      kind: 'info',
      title: i18n.t('supervisor.restarted', { count: event.restoredTables.length }),
      testId: 'supervisor',
    });
    if (event.lostTables.length > 0) {
      this.notify({ kind: 'error', title: i18n.t('supervisor.lost', { tables: event.lostTables.join(', ') }) });
    }
    void this.refreshTables();
  }

  async #guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.notify({ kind: 'error', title: i18n.t('errors.generic', { message: describeError(error) }) });
    }
  }
}

function messageOf(error: unknown): string {
  if (isErrorInfo(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The error in the user's language, with its location, e.g. "… (line 12, column "Price")". */
export function describeError(error: unknown): string {
  if (!isErrorInfo(error)) return messageOf(error);
  return localizedMessage(error, i18n.locale);
}
