/**
 * `use:chart={{ option, theme }}`: creates an ECharts instance on the element, updates it
 * when the option changes, follows the element's size, and disposes it when the element goes
 * (ECharts instances leak otherwise). ECharts itself is loaded on first use, so the first
 * screen does not wait for it.
 */
import type { Action } from 'svelte/action';
import type { ChartOption, echarts as EChartsNamespace } from './echarts';

export interface ChartParams {
  option: ChartOption;
  theme: 'light' | 'dark';
  /** Accessible description; charts are also summarised in text next to them. */
  label?: string;
}

type ECharts = typeof EChartsNamespace;
type Instance = ReturnType<ECharts['init']>;

let loading: Promise<ECharts> | undefined;
function loadECharts(): Promise<ECharts> {
  loading ??= import('./echarts').then((m) => m.echarts);
  return loading;
}

export const chart: Action<HTMLElement, ChartParams> = (node, params) => {
  let current = params;
  let instance: Instance | undefined;
  let destroyed = false;
  let echarts: ECharts | undefined;
  node.setAttribute('role', 'img');
  if (current.label) node.setAttribute('aria-label', current.label);

  const create = () => {
    if (!echarts || destroyed) return;
    instance = echarts.init(node, current.theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    instance.setOption({ backgroundColor: 'transparent', ...current.option });
  };
  void loadECharts().then((loaded) => {
    echarts = loaded;
    create();
  });
  const observer = new ResizeObserver(() => {
    if (instance && !instance.isDisposed()) instance.resize();
  });
  observer.observe(node);

  return {
    update(next: ChartParams) {
      const themeChanged = next.theme !== current.theme;
      current = next;
      if (next.label) node.setAttribute('aria-label', next.label);
      if (!instance || instance.isDisposed()) return;
      if (themeChanged) {
        instance.dispose();
        create();
      } else {
        instance.setOption({ backgroundColor: 'transparent', ...next.option }, true);
      }
    },
    destroy() {
      destroyed = true;
      observer.disconnect();
      if (instance && !instance.isDisposed()) instance.dispose();
    },
  };
};
