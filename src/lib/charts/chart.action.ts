/**
 * `use:chart={{ option, theme }}`: creates an ECharts instance on the element, updates it
 * when the option changes, follows the element's size, and disposes it when the element goes
 * (ECharts instances leak otherwise).
 */
import type { Action } from 'svelte/action';
import { echarts, type ChartOption } from './echarts';

export interface ChartParams {
  option: ChartOption;
  theme: 'light' | 'dark';
  /** Accessible description; charts are also summarised in text next to them. */
  label?: string;
}

export const chart: Action<HTMLElement, ChartParams> = (node, params) => {
  let current = params;
  let instance = echarts.init(node, current.theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
  instance.setOption({ backgroundColor: 'transparent', ...current.option });
  node.setAttribute('role', 'img');
  if (current.label) node.setAttribute('aria-label', current.label);
  const observer = new ResizeObserver(() => {
    if (!instance.isDisposed()) instance.resize();
  });
  observer.observe(node);

  return {
    update(next: ChartParams) {
      if (next.theme !== current.theme) {
        instance.dispose();
        instance = echarts.init(node, next.theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
      }
      current = next;
      if (!instance.isDisposed()) instance.setOption({ backgroundColor: 'transparent', ...next.option }, true);
      if (next.label) node.setAttribute('aria-label', next.label);
    },
    destroy() {
      observer.disconnect();
      if (!instance.isDisposed()) instance.dispose();
    },
  };
};
