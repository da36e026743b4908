/**
 * Row sources for the virtualised grid. The grid asks for the rows it can see; a source
 * fetches pages on demand (BrowseSource, from DuckDB) or already holds them (StaticSource,
 * a SQL result), so the DOM never holds more than a screenful of rows.
 */
import type { BrowseRequest, FilterSpec, ShopSightErrorInfo, SortSpec } from '../contracts/data-api';
import type { DataClient } from '../clients/data-client';
import { decodeIpc, type Cell, type DecodedResult } from '../data/arrow';
import { isErrorInfo } from '../data/errors';

export interface GridColumn {
  name: string;
  type: string;
}

export interface GridSource {
  readonly columns: GridColumn[];
  /** Rows available (after filters); -1 while unknown. */
  readonly total: number;
  /** Changes whenever rows arrive; the grid reads it to re-render. */
  readonly version: number;
  row(index: number): Cell[] | undefined;
  ensure(from: number, to: number): void;
}

const PAGE = 200;

export class BrowseSource implements GridSource {
  readonly #client: DataClient;
  readonly table: string;
  columns = $state.raw<GridColumn[]>([]);
  total = $state(-1);
  version = $state(0);
  sort = $state.raw<SortSpec[]>([]);
  filters = $state.raw<FilterSpec[]>([]);
  error = $state<ShopSightErrorInfo | null>(null);
  loading = $state(false);
  // Deliberately not reactive: `version` is the one signal the grid reads, bumped once per page.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pages = new Map<number, Cell[][]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #inFlight = new Set<number>();
  #generation = 0;

  constructor(client: DataClient, table: string, columns: GridColumn[]) {
    this.#client = client;
    this.table = table;
    this.columns = columns;
  }

  row(index: number): Cell[] | undefined {
    return this.#pages.get(Math.floor(index / PAGE))?.[index % PAGE];
  }

  ensure(from: number, to: number): void {
    const first = Math.floor(Math.max(0, from) / PAGE);
    const last = Math.floor(Math.max(0, to) / PAGE);
    for (let page = first; page <= last; page++) {
      if (!this.#pages.has(page) && !this.#inFlight.has(page)) void this.#fetch(page);
    }
  }

  setSort(sort: SortSpec[]): void {
    this.sort = sort;
    this.#reset();
  }

  setFilters(filters: FilterSpec[]): void {
    this.filters = filters;
    this.#reset();
  }

  #reset(): void {
    this.#generation += 1;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.#pages = new Map();
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    this.#inFlight = new Set();
    this.total = -1;
    this.version += 1;
    this.ensure(0, PAGE - 1);
  }

  async #fetch(page: number): Promise<void> {
    const generation = this.#generation;
    this.#inFlight.add(page);
    this.loading = true;
    const request: BrowseRequest = {
      table: this.table,
      offset: page * PAGE,
      limit: PAGE,
      sort: this.sort,
      filters: this.filters,
    };
    try {
      const result = await this.#client.browse(request);
      if (generation !== this.#generation) return;
      const decoded = decodeIpc(result.ipc);
      this.#pages.set(page, rowsOf(decoded));
      this.total = result.totalRows;
      this.error = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.error = isErrorInfo(error) ? error : { code: 'internal', message: String(error) };
      this.total = 0;
    } finally {
      this.#inFlight.delete(page);
      if (generation === this.#generation) {
        this.loading = this.#inFlight.size > 0;
        this.version += 1;
      }
    }
  }
}

/** A result that is already in memory (SQL console). */
export class StaticSource implements GridSource {
  readonly columns: GridColumn[];
  readonly total: number;
  readonly version = 0;
  readonly #decoded: DecodedResult;

  constructor(decoded: DecodedResult) {
    this.#decoded = decoded;
    this.columns = decoded.columns;
    this.total = decoded.rowCount;
  }

  row(index: number): Cell[] | undefined {
    if (index < 0 || index >= this.total) return undefined;
    return this.columns.map((_c, column) => this.#decoded.cell(index, column));
  }

  ensure(): void {}
}

function rowsOf(decoded: DecodedResult): Cell[][] {
  const rows: Cell[][] = new Array<Cell[]>(decoded.rowCount);
  for (let r = 0; r < decoded.rowCount; r++) {
    const row: Cell[] = new Array<Cell>(decoded.columns.length);
    for (let c = 0; c < decoded.columns.length; c++) row[c] = decoded.cell(r, c);
    rows[r] = row;
  }
  return rows;
}
