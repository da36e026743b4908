/**
 * An undo/redo history of immutable snapshots. Pure and generic: the recipe editor keeps its
 * recipes in one, and vitest checks the rules (a new edit clears the redo side; the oldest
 * snapshots fall off past `limit`).
 */
export class History<T> {
  readonly #limit: number;
  #past: T[] = [];
  #future: T[] = [];
  #present: T;

  constructor(initial: T, limit = 200) {
    this.#present = initial;
    this.#limit = limit;
  }

  get present(): T {
    return this.#present;
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** Records `next` as the present; what could be redone is gone. */
  push(next: T): T {
    this.#past.push(this.#present);
    if (this.#past.length > this.#limit) this.#past.shift();
    this.#future = [];
    this.#present = next;
    return next;
  }

  /** Replaces the present without a history entry (e.g. fitted statistics arriving). */
  replace(next: T): T {
    this.#present = next;
    return next;
  }

  undo(): T {
    const previous = this.#past.pop();
    if (previous === undefined) return this.#present;
    this.#future.push(this.#present);
    this.#present = previous;
    return previous;
  }

  redo(): T {
    const next = this.#future.pop();
    if (next === undefined) return this.#present;
    this.#past.push(this.#present);
    this.#present = next;
    return next;
  }
}
