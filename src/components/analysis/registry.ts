/**
 * The analysis views the sidebar lists, in order. Each chapter registers its view here (one
 * line); the view gets the app state and reads whatever tables it needs from it.
 */
import type { Component } from 'svelte';
import type { MessageKey } from '../../lib/i18n/en';
import type { AppState, AnalysisView } from '../../lib/state/app.svelte';
import ForecastView from '../forecast/ForecastView.svelte';
import SegmentsView from '../segments/SegmentsView.svelte';
import AnomaliesView from '../anomalies/AnomaliesView.svelte';
import RecommendView from '../recommend/RecommendView.svelte';
import ReviewsView from '../reviews/ReviewsView.svelte';
import ClassifyView from '../classify/ClassifyView.svelte';

export interface AnalysisEntry {
  id: AnalysisView;
  label: MessageKey;
  component: Component<{ app: AppState }>;
}

export const ANALYSES: readonly AnalysisEntry[] = [
  { id: 'classify', label: 'analysis.classify', component: ClassifyView },
  { id: 'forecast', label: 'analysis.forecast', component: ForecastView },
  { id: 'segments', label: 'segments.title', component: SegmentsView },
  { id: 'recommend', label: 'analysis.recommend', component: RecommendView },
  { id: 'anomalies', label: 'anomalies.title', component: AnomaliesView },
  { id: 'reviews', label: 'analysis.reviews', component: ReviewsView },
];
