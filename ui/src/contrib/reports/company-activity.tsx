// `/contrib/reports/companies/<company>`: a company's activity report.
import { useLocation, useRoute } from "preact-iso/router";
import { useApi } from "../lib/use-api";
import { type Company, filtersOf, reportApi } from "./api";
import { EntityActivity } from "./entity-activity";

export default function CompanyActivity() {
  const { params } = useRoute();
  const { query } = useLocation();
  const asked = params.company ?? "";
  // The configuration's spelling is the title; the API takes the name in any case, or an alias.
  const company = useApi<{ company: Company }>(reportApi.company(asked));
  return <EntityActivity subject={company} who={(c) => c.company.text} fallback={asked} filters={filtersOf(query, { company: asked })} />;
}
