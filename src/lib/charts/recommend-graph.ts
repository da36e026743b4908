/**
 * Registers ECharts' graph series (the rules network) on first use, so the shared chart bundle
 * does not grow for views that never draw a network. Import lazily before drawing a graph.
 */
import { GraphChart } from 'echarts/charts';
import { echarts } from './echarts';

echarts.use([GraphChart]);

export const graphReady = true;
