// A small uPlot line chart. uPlot draws on canvas: thousands of points stay cheap.

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';

const COLORS = ['#3b82f6', '#f59e0b', '#ef4444', '#10b981', '#8b5cf6'];

/** `times` in epoch ms; `series` [{ label, values }] of the same length. */
export function Chart({ title, unit, times, series, height = 140, testId }) {
  const ref = useRef(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const dark = matchMedia('(prefers-color-scheme: dark)').matches;
    const axis = { stroke: dark ? '#aab' : '#556', grid: { stroke: dark ? '#2a2f3a' : '#e5e7eb', width: 1 }, ticks: { show: false } };
    const plot = new uPlot(
      {
        width: Math.max(200, el.clientWidth),
        height,
        legend: { show: series.length > 1 },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true } },
        axes: [axis, { ...axis, size: 50, values: (_, ticks) => ticks.map((v) => `${+v.toFixed(2)}${unit ? ` ${unit}` : ''}`) }],
        series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: COLORS[i % COLORS.length], width: 1.5, spanGaps: true, points: { size: 4 } }))],
      },
      [times.map((t) => t / 1000), ...series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(times), JSON.stringify(series)]);
  return html`<figure class="chart" data-testid=${testId} data-points=${times.length}>
    <figcaption>${title}</figcaption><div ref=${ref} class="plot"></div></figure>`;
}
