// A donut of a ranking's top 9 and "others" whose slices drill down: a click on a slice, or on its
// entry in the legend (a link, so the keyboard and a screen reader reach it), selects that row.
import { PieChart } from "chartist";
import { useLocation } from "preact-iso/router";
import { useEffect, useRef } from "preact/hooks";
import { UNKNOWN_COLOR, categoryColors, formatPercent, sliceLabel, sliceTitle } from "../../lib/chart-data";
import { OTHERS, type RankSlice } from "../lib/ranking";

interface Props {
  slices: RankSlice[];
  label: string;
  /** The page to show for a slice (a drill-down), or null when it has none ("others"). */
  hrefOf: (slice: RankSlice) => string | null;
}

export function DrillDonut({ slices, label, hrefOf }: Props) {
  const { route } = useLocation();
  const colors = categoryColors(slices.filter((s) => s.id !== null).map((s) => s.label));
  const colorOf = (s: RankSlice | undefined) => (s && s.id !== null && colors.get(s.label)) || UNKNOWN_COLOR;
  const ref = useRef<HTMLDivElement>(null);
  const hrefs = slices.map(hrefOf).join(" ");
  useEffect(() => {
    if (!ref.current) return;
    const chart = new PieChart(
      ref.current,
      { labels: slices.map((s) => s.label), series: slices.map((s) => s.value) },
      { donut: true, donutWidth: 44, height: 220, chartPadding: 12, showLabel: true, labelInterpolationFnc: (_v, i) => (slices[i] ? sliceLabel(slices[i]) : "") },
    );
    chart.on("draw", (data) => {
      if (data.type !== "slice") return;
      const slice = slices[data.index];
      data.element.attr({ style: `stroke: ${colorOf(slice)}` });
      if (!slice) return;
      data.element.elem("title").text(sliceTitle(slice).replace(" pcs", ""));
      const href = hrefOf(slice);
      if (href) {
        data.element.addClass("drill");
        data.element.getNode().addEventListener("click", () => route(href));
      }
    });
    return () => chart.detach();
  }, [slices, hrefs]);
  return (
    <div class="donut">
      <div ref={ref} class="chart" role="img" aria-label={`${label}: ${slices.map((s) => `${s.label} ${s.value}, ${formatPercent(s.percent)}`).join("; ")}`} />
      <ul class="legend">
        {slices.map((s) => {
          const href = hrefOf(s);
          return (
            <li key={s.label} data-slice={s.label === OTHERS && s.id === null ? "others" : s.id}>
              <span class="swatch" style={{ background: colorOf(s) }} aria-hidden="true" />
              {href ? <a href={href}>{s.label}</a> : s.label}: <strong>{s.value}</strong> ({formatPercent(s.percent)})
            </li>
          );
        })}
      </ul>
    </div>
  );
}
