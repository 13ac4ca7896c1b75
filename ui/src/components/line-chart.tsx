// Values over days as lines (Chartist's line chart), or as grouped bars for a single day; loaded
// only by the pages that draw one (adoption, health, the contribution timeline).
import { BarChart as ChartistBar, LineChart as ChartistLine } from "chartist";
import { type MultiSeries, UNKNOWN_COLOR, categoryColors } from "../lib/chart-data";
import { useChart } from "./charts";

const DASHES = ["", "6 3", "2 3", "10 3 2 3"];
/**
 * Line and point widths by series, widest first: Chartist draws later series on top, so lines with
 * equal values stay visible as a wide line with narrower ones inside it.
 */
export const LINE_WIDTHS = [7, 4.5, 2.5, 1.5];
const POINT_WIDTHS = [13, 9.5, 6.5, 4];
const widthOf = (widths: number[], i: number) => widths[Math.min(i, widths.length - 1)]!;

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
