/**
 * The analysis views the sidebar lists, in order. Each chapter registers its view here (one
 * line); the view gets the app state and reads whatever tables it needs from it.
 */
import type { Component } from 'svelte';
import type { MessageKey } from '../../lib/i18n/en';
import type { AppState, AnalysisView } from '../../lib/state/app.svelte';
import ClassifyView from '../classify/ClassifyView.svelte';

export interface AnalysisEntry {
  id: AnalysisView;
  label: MessageKey;
  component: Component<{ app: AppState }>;
}

export const ANALYSES: readonly AnalysisEntry[] = [
  { id: 'classify', label: 'analysis.classify', component: ClassifyView },
];
