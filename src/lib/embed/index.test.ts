import { describe, expect, it } from 'vitest';
import { startEmbedMode } from './index';
import type { HeightEntry, HeightObserverClass } from './resize';
import { FakeWindow, HOST_ORIGIN, fakeBackend, settle } from './test-fakes';

describe('startEmbedMode', () => {
  it('parses the allow-list (warning about junk), starts the bridge and drives resize from the observer', async () => {
    const warnings: string[] = [];
    let observed: ((entries: readonly HeightEntry[]) => void) | undefined;
    let disconnected = false;
    const Observer: HeightObserverClass = class {
      constructor(callback: (entries: readonly HeightEntry[]) => void) {
        observed = callback;
      }
      observe() {}
      disconnect() {
        disconnected = true;
      }
    };
    const win = new FakeWindow({ search: `?embed=1&allow=${HOST_ORIGIN},*`, ancestorOrigins: [HOST_ORIGIN] });
    const embed = startEmbedMode({
      window: win,
      backend: fakeBackend(),
      version: '9.9.9',
      resizeTarget: {} as Element,
      ResizeObserver: Observer,
      warn: (m) => warnings.push(m),
    });
    expect(embed.allowList).toEqual(['https://shopsight.example', HOST_ORIGIN]);
    expect(warnings).toEqual([expect.stringMatching(/wildcards/)]);
    expect(win.parent.events('ready')).toEqual([
      { message: expect.objectContaining({ version: '9.9.9' }), targetOrigin: HOST_ORIGIN },
    ]);

    observed?.([{ contentRect: { height: 720 } }]);
    expect(win.parent.events('resize').map((p) => p.message)).toEqual([{ shopsight: 1, event: 'resize', height: 720 }]);

    win.call(1, 'hello');
    await settle();
    expect(win.parent.repliesTo(1)[0]?.message).toMatchObject({ ok: true, result: { version: '9.9.9' } });

    embed.stop();
    expect(disconnected).toBe(true);
    expect(embed.active).toBe(false);
  });
});
