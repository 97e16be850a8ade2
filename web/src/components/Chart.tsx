import { useEffect, useRef, type ReactNode } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import {
  AriaComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { kr, krCompact, krDiff } from '../format';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  MarkLineComponent,
  DataZoomComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

/** Colours with at least 3:1 against white, told apart by more than hue where it matters. */
export const PALETTE = [
  '#0b4f8a',
  '#c2570c',
  '#2f7d32',
  '#7b3fa0',
  '#a4161a',
  '#00738a',
  '#6b5900',
  '#46515c',
];

/** A bar below zero, whatever the chart's own colour. */
const NEGATIVE = '#b3261e';

/** Chart values are kronor (öre / 100): tooltips and axes write them as the rest of the interface does. */
export const kronor = (v: unknown) => kr(Number(v) * 100);
export const kronorDiff = (v: unknown) => krDiff(Math.round(Number(v) * 100));
export const kronorAxis = (v: number) => krCompact(v * 100);

/** A bar chart's tooltip: the hovered category shaded, its values as `format` writes them. */
export function barTooltip(format?: (v: unknown) => string) {
  return { trigger: 'axis', axisPointer: { type: 'shadow' }, ...(format && { valueFormatter: format }) };
}

/** Bars of amounts in öre, shown in kronor: red below zero, `colour` otherwise. */
export function signedBars(ore: number[], colour: string) {
  return ore.map((o) => ({ value: o / 100, itemStyle: { color: o < 0 ? NEGATIVE : colour } }));
}

/**
 * A chart (echarts, SVG) with a Swedish description for screen readers and the same numbers as a
 * table beside it: the table is the accessible alternative, the chart the quick view.
 */
export function Chart({
  title,
  description,
  option,
  height = 320,
  table,
  aside,
  testId,
}: {
  title: string;
  /** What the chart shows, read by screen readers in place of the picture. */
  description: string;
  option: ChartOption;
  height?: number;
  table?: ReactNode;
  /** A small table shown beside the chart (below it on a narrow screen), always visible. */
  aside?: ReactNode;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'svg', locale: 'EN' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      {
        color: PALETTE,
        textStyle: { fontFamily: 'system-ui, sans-serif', color: '#1a1f24', fontSize: 13 },
        animation: !window.matchMedia('(prefers-reduced-motion: reduce)').matches,
        animationDuration: 300,
        ...option,
        aria: { enabled: true, label: { description }, decal: { show: false } },
      },
      { notMerge: true },
    );
    // echarts writes its own aria-label; ours is the Swedish description.
    ref.current?.setAttribute('aria-label', description);
  }, [option, description]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      {aside ? (
        <div className="chart-with-table">
          <div ref={ref} className="canvas" role="img" aria-label={description} style={{ height }} />
          <div className="chart-aside">{aside}</div>
        </div>
      ) : (
        <div ref={ref} className="canvas" role="img" aria-label={description} style={{ height }} />
      )}
      {table && (
        <details>
          <summary>Visa som tabell</summary>
          {table}
        </details>
      )}
    </figure>
  );
}
