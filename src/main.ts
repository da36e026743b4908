/**
 * Entry point: mounts the app, or the app in embedded mode (`?embed=1`) with the postMessage
 * bridge to the host page (see docs/embed-api.md).
 */
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import './components/views.css';
import { AppState } from './lib/state/app.svelte';
import { i18n } from './lib/i18n/index.svelte';
import { startEmbedding } from './lib/embed/start';
import { isEmbedMode } from './lib/embed/allow-list';

const embedded = isEmbedMode(location.search);
const state = new AppState();
document.documentElement.lang = i18n.locale;
document.documentElement.dataset.state = 'starting';

mount(App, { target: document.getElementById('app')!, props: { app: state, embedded } });

void state.start().then(() => {
  document.documentElement.dataset.state = state.status;
  if (embedded && state.status === 'ready') startEmbedding(state, location.search);
});

// Read by bench/ingest and the e2e suite: timings, and a way to prove the supervisor works.
// It exposes no data and nothing a same-origin script could not do anyway.
Object.defineProperty(window, '__shopsight', {
  value: {
    get lastLoad() {
      return state.lastLoad;
    },
    simulateDataWorkerCrash: () => state.client.simulateCrash(),
    /** Links the ML worker to the data worker and reads `table` there (e2e: the link works). */
    async checkMlLink(table: string) {
      const ml = await state.mlReady();
      const [backend, shape] = await Promise.all([ml.init(), ml.call((api) => api.checkLink(table))]);
      return { backend: backend.active, ...shape };
    },
  },
});
