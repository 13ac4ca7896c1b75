// Thin Preact wrappers over Chartist (SVG): each chart is drawn into its own element and redrawn
// when its data changes. Colour is never the only carrier of meaning: bars carry their value as
// text, donut slices their share and a legend with the numbers, lines a legend and dash patterns.
import { BarChart as ChartistBar, LineChart as ChartistLine, PieChart as ChartistPie } from "chartist";
import "chartist/dist/index.css";
import { useEffect, useRef } from "preact/hooks";
import { type Bar, type MultiSeries, type Slice, formatPercent, sliceLabel, sliceTitle } from "../lib/chart-data";

/** Okabe–Ito, distinguishable with the common colour-vision deficiencies. */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"];
export const colorAt = (i: number) => PALETTE[i % PALETTE.length]!;
const DASHES = ["", "6 3", "2 3", "10 3 2 3"];

interface Detachable {
  detach(): void;
}

/** Creates the chart on mount and whenever `key` changes; detaches it (listeners, SVG) after. */
function useChart(create: (element: HTMLElement) => Detachable, key: unknown) {
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
      data.element.elem("title").text(`${bar.label}: ${bar.value}`);
      // The value as text beside the bar: readable in greyscale and by a screen reader.
      data.group
        .elem("text", horizontal ? { x: data.x2 + 6, y: data.y2 + 4 } : { x: data.x2, y: data.y2 - 6, "text-anchor": "middle" }, "ct-bar-value")
        .text(String(bar.value));
    });
    return chart;
  }, bars);
  return <div ref={ref} class="chart" role="img" aria-label={`${label}: ${bars.map((b) => `${b.label} ${b.value}`).join(", ")}`} />;
}

export function DonutChart({ slices, label }: { slices: Slice[]; label: string }) {
  const ref = useChart((element) => {
    const chart = new ChartistPie(
      element,
      { labels: slices.map((s) => s.label), series: slices.map((s) => s.value) },
      { donut: true, donutWidth: 44, height: 220, chartPadding: 12, showLabel: true, labelInterpolationFnc: (_v, i) => (slices[i] ? sliceLabel(slices[i]) : "") },
    );
    chart.on("draw", (data) => {
      if (data.type !== "slice") return;
      const slice = slices[data.index];
      data.element.attr({ style: `stroke: ${colorAt(data.index)}` });
      if (slice) data.element.elem("title").text(sliceTitle(slice));
    });
    return chart;
  }, slices);
  return (
    <div class="donut">
      <div ref={ref} class="chart" role="img" aria-label={`${label}: ${slices.map(sliceTitle).join("; ")}`} />
      <ul class="legend">
        {slices.map((s, i) => (
          <li key={s.label}>
            <span class="swatch" style={{ background: colorAt(i) }} aria-hidden="true" />
            {s.label}: <strong>{s.value}</strong> ({formatPercent(s.percent)})
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Labels along x can be hundreds of days: show about eight of them. */
function sparseLabel(count: number) {
  const step = Math.max(1, Math.ceil(count / 8));
  return (value: unknown, index: number) => (index % step === 0 ? String(value) : null);
}

export function LineChart({ data, label }: { data: MultiSeries; label: string }) {
  const ref = useChart((element) => {
    const chart = new ChartistLine(
      element,
      { labels: data.labels, series: data.series.map((s) => ({ name: s.name, data: s.values })) },
      {
        height: 260,
        showPoint: data.labels.length <= 31,
        lineSmooth: false,
        fullWidth: true,
        axisY: { onlyInteger: true, low: 0 },
        axisX: { labelInterpolationFnc: sparseLabel(data.labels.length) },
        chartPadding: { top: 16, right: 24, bottom: 0, left: 0 },
      },
    );
    chart.on("draw", (d) => {
      if (d.type !== "line" && d.type !== "point") return;
      const i = d.seriesIndex;
      const dash = DASHES[i % DASHES.length];
      d.element.attr({ style: `stroke: ${colorAt(i)}${d.type === "line" && dash ? `; stroke-dasharray: ${dash}` : ""}` });
    });
    return chart;
  }, data);
  return (
    <div>
      <div ref={ref} class="chart" role="img" aria-label={`${label}: ${data.series.map((s) => s.name).join(", ")}`} />
      <ul class="legend">
        {data.series.map((s, i) => (
          <li key={s.name}>
            <svg class="swatch-line" width="28" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="28" y2="5" stroke={colorAt(i)} stroke-width="3" stroke-dasharray={DASHES[i % DASHES.length] || undefined} />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
