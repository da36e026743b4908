/**
 * Browser wiring of embed mode, called by src/main.ts once the data engine is ready: the
 * bridge talks to the app's own `DataClient`, so host-loaded tables appear in the UI (it
 * refreshes after each successful loadTable/dropTable) and survive a worker restart.
 */
import { version } from '../../../package.json';
import type { AppState } from '../state/app.svelte';
import { ForecastClient } from '../clients/forecast-client';
import { newTrainJobId } from '../clients/train-client';
import { SegmentsClient } from '../clients/segments-client';
import { RecommendClient } from '../clients/recommend-client';
import { createClientBackend, recommendBackend } from './backend';
import { ClassifyState } from '../state/classify.svelte';
import { withRegression } from './classify-methods';
import type { EmbedBridge } from './host-bridge';
import { startEmbedMode } from './index';

/** Starts answering the host page; returns the bridge (its `stop()` detaches everything). */
export function startEmbedding(state: AppState, search: string): EmbedBridge {
  const warnedOrigins = new Set<string>();
  return startEmbedMode({
    window,
    search,
    backend: {
      ...createClientBackend(state.client),
      // The ML chapters: each call goes to the ML worker, linked to the data worker.
      forecast: {
        forecast: (request, onProgress) =>
          new ForecastClient(
            () => state.mlReady(),
            (id) => state.ml.cancel(id),
          ).forecast(request, onProgress, newTrainJobId('embed-forecast')),
      },
      segments: new SegmentsClient(state),
      recommend: recommendBackend(new RecommendClient(state)),
      // The view's own client, so models trained from the host show up in the Classify view.
      classify: ((c) => withRegression(c.client, c.regression.client))(
        state.analysis('classify', () => new ClassifyState(state)),
      ),
    },
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
