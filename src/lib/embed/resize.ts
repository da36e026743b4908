/**
 * Reports an element's height through a ResizeObserver, for the embed `resize` event. The
 * observer class is a parameter so the helper is testable in Node; in the app it defaults
 * to the browser's.
 */

/** The subset of `ResizeObserverEntry` used here. */
export interface HeightEntry {
  readonly borderBoxSize?: ReadonlyArray<{ readonly blockSize: number }>;
  readonly contentRect: { readonly height: number };
}

/** The subset of the `ResizeObserver` constructor used here. */
export type HeightObserverClass = new (callback: (entries: readonly HeightEntry[]) => void) => {
  observe(target: Element): void;
  disconnect(): void;
};

/**
 * Calls `onHeight` with `target`'s border-box height whenever it changes; returns a stop
 * function. Observe the element that holds the app's content at its natural height (not
 * `<html>` stretched to the iframe, or every resize by the host would echo back).
 */
export function watchHeight(
  target: Element,
  onHeight: (height: number) => void,
  Observer: HeightObserverClass | undefined = (globalThis as { ResizeObserver?: HeightObserverClass }).ResizeObserver,
): () => void {
  if (!Observer) return () => {};
  const observer = new Observer((entries) => {
    const entry = entries[entries.length - 1];
    if (!entry) return;
    const height = entry.borderBoxSize?.[0]?.blockSize ?? entry.contentRect.height;
    onHeight(Math.ceil(height));
  });
  observer.observe(target);
  return () => observer.disconnect();
}
