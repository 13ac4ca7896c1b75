// `/contrib/reports/single-plus-two-reviews`: merged changes on master that one reviewer alone
// approved with a +2 (§4.2), newest merge first.
import { useLocation } from "preact-iso/router";
import { Fetching } from "../../components/status";
import { useApi } from "../lib/use-api";
import { type SinglePlusTwoReview, filtersOf, reportApi } from "./api";
import { CompanyLink, OutLink, PersonLink, ReportHead, TableCard } from "./components";
import { formatDay } from "./format";

export function SinglePlusTwo({ reviews, jsonUrl }: { reviews: SinglePlusTwoReview[]; jsonUrl: string }) {
  const merged = (r: SinglePlusTwoReview) => formatDay(r.last_updated ?? r.date);
  return (
    <TableCard
      id="single-plus-two"
      title="Changes merged with a single +2"
      caption="Merged changes on master that exactly one reviewer approved with Code-Review +2 (the owner's own votes do not count)."
      jsonUrl={jsonUrl}
      empty="Every merged change under these filters had two or more +2 reviewers."
      table={{
        columns: ["change", "author", "company", "module", "merged", "+2 by"],
        rows: reviews.map((r) => [r.subject ?? r.primary_key, r.author_name, r.company_name, r.module, merged(r), r.plus_two_by]),
      }}
      cells={reviews.map((r) => [
        <OutLink href={r.url}>{r.subject ?? r.primary_key}</OutLink>,
        <PersonLink userId={r.user_id} name={r.author_name} />,
        <CompanyLink name={r.company_name} />,
        r.module,
        merged(r),
        <PersonLink userId={r.plus_two_by} />,
      ])}
    />
  );
}

export default function SinglePlusTwoPage() {
  const { query } = useLocation();
  const jsonUrl = reportApi.singlePlusTwo(filtersOf(query));
  const report = useApi<{ reviews: SinglePlusTwoReview[] }>(jsonUrl);
  return (
    <>
      <ReportHead title="Single +2 reviews" />
      <Fetching result={report}>{(data) => <SinglePlusTwo reviews={data.reviews} jsonUrl={jsonUrl} />}</Fetching>
    </>
  );
}
