// The punch card (§4.2): a person's or a company's records by weekday and UTC hour, as circles
// whose area follows the count, with the numbers as a table, CSV and JSON beside it.
import { ChartCard } from "../../components/chart-card";
import type { Table } from "../../lib/csv";
import type { PunchCard } from "./api";

/** Monday first, as the API's rows (schemas/contrib/reports.ts PUNCH_CARD_WEEKDAYS, not imported: it would bring zod). */
export const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, "0"));

export function punchCardTable(card: PunchCard): Table {
  return { columns: ["weekday", ...HOURS.map((h) => `${h}:00`)], rows: card.punch_card.map((row, d) => [WEEKDAYS[d]!, ...row]) };
}

/** The busiest cell in words, for the chart's label. */
function busiest(card: PunchCard): string {
  let best = { d: 0, h: 0, n: 0 };
  card.punch_card.forEach((row, d) => row.forEach((n, h) => n > best.n && (best = { d, h, n })));
  return best.n ? `busiest ${WEEKDAYS[best.d]} ${HOURS[best.h]}:00 UTC with ${best.n}` : "no records";
}

const CELL = 26;
const LEFT = 84;
const TOP = 18;

function Bubbles({ card }: { card: PunchCard }) {
  const max = Math.max(1, ...card.punch_card.flat());
  const width = LEFT + 24 * CELL;
  const height = TOP + 7 * CELL;
  return (
    <div class="punch-card">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Punch card: ${card.total} records, ${busiest(card)}`} data-testid="punch-card">
        {HOURS.map((h, i) =>
          i % 3 === 0 ? (
            <text key={h} class="label" x={LEFT + i * CELL + CELL / 2} y={12} text-anchor="middle">
              {h}
            </text>
          ) : null,
        )}
        {card.punch_card.map((row, d) => (
          <g key={d}>
            <text class="label" x={0} y={TOP + d * CELL + CELL / 2 + 4}>
              {WEEKDAYS[d]}
            </text>
            <line class="gridline" x1={LEFT} x2={width} y1={TOP + d * CELL + CELL / 2} y2={TOP + d * CELL + CELL / 2} />
            {row.map((n, h) =>
              n > 0 ? (
                <circle key={h} data-cell={`${d}-${h}`} cx={LEFT + h * CELL + CELL / 2} cy={TOP + d * CELL + CELL / 2} r={Math.max(2, (CELL / 2 - 1) * Math.sqrt(n / max))}>
                  <title>{`${WEEKDAYS[d]} ${HOURS[h]}:00 UTC: ${n}`}</title>
                </circle>
              ) : null,
            )}
          </g>
        ))}
      </svg>
    </div>
  );
}

export function PunchCardChart({ card, jsonUrl, who }: { card: PunchCard; jsonUrl: string; who: string }) {
  return (
    <ChartCard
      id="punch-card"
      title="Punch card"
      table={card.total === 0 ? { columns: [], rows: [] } : punchCardTable(card)}
      jsonUrl={jsonUrl}
      caption={`${who}'s votes, patch sets, emails and blueprints by weekday and hour (UTC): ${card.total} records.`}
      empty={`No votes, patch sets, emails or blueprints of ${who} under these filters.`}
    >
      <Bubbles card={card} />
    </ChartCard>
  );
}
