// Thin Preact wrappers over Chartist (SVG): each chart is drawn into its own element and redrawn
// when its data changes. Colour is never the only carrier of meaning: bars carry their value as
// text, donut slices their share and a legend with the numbers, lines a legend, dash patterns and
// widths. A category keeps its colour in every view (categoryColors).
import { BarChart as ChartistBar, LineChart as ChartistLine, PieChart as ChartistPie } from "chartist";
import "chartist/dist/index.css";
import { useEffect, useRef } from "preact/hooks";
import { type Bar, type MultiSeries, type Slice, UNKNOWN_COLOR, categoryColors, formatPercent, sliceLabel, sliceTitle } from "../lib/chart-data";

const DASHES = ["", "6 3", "2 3", "10 3 2 3"];
/**
 * Line and point widths by series, widest first: Chartist draws later series on top, so lines with
 * equal values stay visible as a wide line with narrower ones inside it.
 */
export const LINE_WIDTHS = [7, 4.5, 2.5, 1.5];
const POINT_WIDTHS = [13, 9.5, 6.5, 4];
const widthOf = (widths: number[], i: number) => widths[Math.min(i, widths.length - 1)]!;

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

/** Labels along x can be hundreds of days: show about eight of them. */
function sparseLabel(count: number) {
  const step = Math.max(1, Math.ceil(count / 8));
  return (value: unknown, index: number) => (index % step === 0 ? String(value) : null);
}

/**
 * Values over days: a line per series, or grouped bars while there are fewer than two days (a
 * line needs two points; one day drawn as a line is a spike at the chart's edge).
 */
export function LineChart({ data, label }: { data: MultiSeries; label: string }) {
  const colors = categoryColors(data.series.map((s) => s.name));
  const colorOf = (i: number) => colors.get(data.series[i]?.name ?? "") ?? UNKNOWN_COLOR;
  const asBars = data.labels.length < 2;
  const ref = useChart((element) => {
    const series = data.series.map((s) => ({ name: s.name, data: s.values }));
    if (asBars) {
      const chart = new ChartistBar(
        element,
        { labels: data.labels, series },
        { height: 260, seriesBarDistance: 30, axisY: { onlyInteger: true, low: 0 }, chartPadding: { top: 20, right: 24, bottom: 0, left: 0 } },
      );
      chart.on("draw", (d) => {
        if (d.type !== "bar") return;
        const s = data.series[d.seriesIndex];
        d.element.attr({ style: `stroke: ${colorOf(d.seriesIndex)}; stroke-width: 24px` });
        if (s) d.element.elem("title").text(`${s.name}: ${s.values[d.index] ?? 0}`);
        d.group.elem("text", { x: d.x2, y: d.y2 - 6, "text-anchor": "middle" }, "ct-bar-value").text(String(s?.values[d.index] ?? 0));
      });
      return chart;
    }
    const chart = new ChartistLine(
      element,
      { labels: data.labels, series },
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
      const width = widthOf(d.type === "line" ? LINE_WIDTHS : POINT_WIDTHS, i);
      d.element.attr({
        style: `stroke: ${colorOf(i)}; stroke-width: ${width}px${d.type === "line" && dash ? `; stroke-dasharray: ${dash}` : ""}`,
      });
    });
    return chart;
  }, data);
  return (
    <div>
      <div
        ref={ref}
        class="chart"
        role="img"
        data-shape={asBars ? "bars" : "lines"}
        aria-label={`${label}: ${data.series.map((s) => `${s.name} ${s.values.at(-1) ?? 0}${data.labels.length > 0 ? ` on ${data.labels.at(-1)}` : ""}`).join(", ")}`}
      />
      <ul class="legend">
        {data.series.map((s, i) => (
          <li key={s.name}>
            <svg class="swatch-line" width="28" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="28" y2="5" stroke={colorOf(i)} stroke-width={Math.min(widthOf(LINE_WIDTHS, i), 6)} stroke-dasharray={DASHES[i % DASHES.length] || undefined} />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}
