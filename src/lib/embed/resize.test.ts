import { describe, expect, it } from 'vitest';
import { watchHeight, type HeightEntry, type HeightObserverClass } from './resize';

function fakeObserverClass() {
  const instances: {
    callback: (entries: readonly HeightEntry[]) => void;
    targets: unknown[];
    disconnected: boolean;
  }[] = [];
  const Observer: HeightObserverClass = class {
    readonly state: (typeof instances)[number];
    constructor(callback: (entries: readonly HeightEntry[]) => void) {
      this.state = { callback, targets: [], disconnected: false };
      instances.push(this.state);
    }
    observe(target: Element) {
      this.state.targets.push(target);
    }
    disconnect() {
      this.state.disconnected = true;
    }
  };
  return { Observer, instances };
}

describe('watchHeight', () => {
  const element = {} as Element;

  it('reports the border-box height rounded up, else the content rect', () => {
    const { Observer, instances } = fakeObserverClass();
    const heights: number[] = [];
    const stop = watchHeight(element, (h) => heights.push(h), Observer);
    expect(instances[0]?.targets).toEqual([element]);
    instances[0]?.callback([{ borderBoxSize: [{ blockSize: 480.4 }], contentRect: { height: 470 } }]);
    instances[0]?.callback([{ contentRect: { height: 300 } }]);
    instances[0]?.callback([]);
    expect(heights).toEqual([481, 300]);
    stop();
    expect(instances[0]?.disconnected).toBe(true);
  });

  it('is a no-op where ResizeObserver does not exist', () => {
    const stop = watchHeight(
      element,
      () => {
        throw new Error('never');
      },
      undefined,
    );
    expect(stop).not.toThrow();
  });
});
