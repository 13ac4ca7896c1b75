// Thin Preact wrappers over Chartist (SVG): each chart is drawn into its own element and redrawn
// when its data changes. Colour is never the only carrier of meaning: bars carry their value as
// text, donut slices their share and a legend with the numbers, lines a legend, dash patterns and
// widths. A category keeps its colour in every view (categoryColors).
// Lines over days are in line-chart.tsx: the overview of `/` draws none, and Chartist's line chart
// stays out of its first load.
import { BarChart as ChartistBar, PieChart as ChartistPie } from "chartist";
import "chartist/dist/index.css";
import { useEffect, useRef } from "preact/hooks";
import { type Bar, type Slice, UNKNOWN_COLOR, categoryColors, formatPercent, sliceLabel, sliceTitle } from "../lib/chart-data";

export interface Detachable {
  detach(): void;
}

/** Creates the chart on mount and whenever `key` changes; detaches it (listeners, SVG) after. */
export function useChart(create: (element: HTMLElement) => Detachable, key: unknown) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = create(ref.current);
    return () => chart.detach();
  }, [key]);
  return ref;
}

export function BarChart({ bars, horizontal = false, label }: { bars: Bar[]; horizontal?: boolean; label: string }) {
  const ref = useChart((element) => {
    const chart = new ChartistBar(
      element,
      { labels: bars.map((b) => b.label), series: [bars.map((b) => b.value)] },
      {
        horizontalBars: horizontal,
        reverseData: horizontal,
        height: horizontal ? Math.max(120, bars.length * 36 + 40) : 240,
        axisY: { onlyInteger: true, offset: horizontal ? 90 : 40 },
        axisX: { onlyInteger: true },
        chartPadding: { top: 20, right: 24, bottom: 0, left: 0 },
      },
    );
    chart.on("draw", (data) => {
      if (data.type !== "bar") return;
      const bar = horizontal ? bars[bars.length - 1 - data.index] : bars[data.index];
      if (!bar) return;
      if (bar.color) data.element.attr({ style: `stroke: ${bar.color}` });
      data.element.elem("title").text(`${bar.label}: ${bar.text ?? bar.value}`);
      // The value as text beside the bar: readable in greyscale and by a screen reader.
      data.group
        .elem("text", horizontal ? { x: data.x2 + 6, y: data.y2 + 4 } : { x: data.x2, y: data.y2 - 6, "text-anchor": "middle" }, "ct-bar-value")
        .text(bar.text ?? String(bar.value));
    });
    return chart;
  }, bars);
  return <div ref={ref} class="chart" role="img" aria-label={`${label}: ${bars.map((b) => `${b.label} ${b.text ?? b.value}`).join(", ")}`} />;
}

export function DonutChart({ slices, label }: { slices: Slice[]; label: string }) {
  const colors = categoryColors(slices.map((s) => s.label));
  const colorOf = (s: Slice | undefined) => (s && colors.get(s.label)) ?? UNKNOWN_COLOR;
  const ref = useChart((element) => {
    const chart = new ChartistPie(
      element,
      { labels: slices.map((s) => s.label), series: slices.map((s) => s.value) },
      { donut: true, donutWidth: 44, height: 220, chartPadding: 12, showLabel: true, labelInterpolationFnc: (_v, i) => (slices[i] ? sliceLabel(slices[i]) : "") },
    );
    chart.on("draw", (data) => {
      if (data.type !== "slice") return;
      const slice = slices[data.index];
      data.element.attr({ style: `stroke: ${colorOf(slice)}` });
      if (slice) data.element.elem("title").text(sliceTitle(slice));
    });
    return chart;
  }, slices);
  return (
    <div class="donut">
      <div ref={ref} class="chart" role="img" aria-label={`${label}: ${slices.map(sliceTitle).join("; ")}`} />
      <ul class="legend">
        {slices.map((s) => (
          <li key={s.label}>
            <span class="swatch" style={{ background: colorOf(s) }} aria-hidden="true" />
            {s.label}: <strong>{s.value}</strong> ({formatPercent(s.percent)})
          </li>
        ))}
      </ul>
    </div>
  );
}
