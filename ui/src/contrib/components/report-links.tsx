// The reports (§4.2) that fit the overview's selection: a person's or a company's activity, a
// module's open reviews and review report, and the reports over everything.
import { reportPaths } from "../reports/paths";
import type { Selection } from "../lib/selection";

export function ReportLinks({ selection }: { selection: Selection }) {
  const links: [string, string][] = [];
  if (selection.user_id) links.push([reportPaths.user(selection.user_id), "This contributor's activity and punch card"]);
  if (selection.company) links.push([reportPaths.company(selection.company), "This company's activity and punch card"]);
  if (selection.module) {
    links.push([reportPaths.openReviews(selection.module), "Open reviews of this module"]);
    links.push([reportPaths.reviewReport(selection.module, 30), "Review report of this module, last 30 days"]);
  }
  links.push(
    [reportPaths.activity(), "Activity"],
    [reportPaths.cores(selection.project_type), "Core reviewers"],
    [reportPaths.affiliationChanges(), "Affiliation changes"],
    [reportPaths.largeCommits(), "Large commits"],
    [reportPaths.singlePlusTwo(), "Merged with a single +2"],
  );
  return (
    <nav class="card report-links" aria-label="Reports" data-testid="report-links">
      <h2>Reports</h2>
      <ul>
        {links.map(([href, text]) => (
          <li key={href}>
            <a href={href}>{text}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
