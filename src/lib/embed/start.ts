/**
 * Browser wiring of embed mode, called by src/main.ts once the data engine is ready: the
 * bridge talks to the app's own `DataClient`, so host-loaded tables appear in the UI (it
 * refreshes after each successful loadTable/dropTable) and survive a worker restart.
 */
import { version } from '../../../package.json';
import type { AppState } from '../state/app.svelte';
import { createClientBackend } from './backend';
import { ClassifyState } from '../state/classify.svelte';
import type { EmbedBridge } from './host-bridge';
import { startEmbedMode } from './index';

/** Starts answering the host page; returns the bridge (its `stop()` detaches everything). */
export function startEmbedding(state: AppState, search: string): EmbedBridge {
  const warnedOrigins = new Set<string>();
  return startEmbedMode({
    window,
    search,
    backend: createClientBackend(
      state.client,
      undefined,
      state.analysis('classify', () => new ClassifyState(state)).client,
    ),
    version,
    resizeTarget: document.getElementById('app') ?? undefined,
    onActivity(activity) {
      if (activity.type === 'settled' && activity.ok && activity.mutates) void state.refreshTables();
      // Host developers' most common mistake is a missing `allow=`: say so once per origin
      // in the app's console (the host itself gets no reply, by design).
      if (activity.type === 'ignored' && activity.reason === 'origin' && !warnedOrigins.has(activity.origin)) {
        warnedOrigins.add(activity.origin);
        console.warn(
          `[ShopSight embed] Ignored messages from ${activity.origin}: not in the allow-list. ` +
            `Open the app with ?embed=1&allow=${encodeURIComponent(activity.origin)} to accept them.`,
        );
      }
    },
  });
}
