// `/contrib/reports/users/<user_id>`: a person's activity report.
import { Fragment } from "preact";
import { useLocation, useRoute } from "preact-iso/router";
import { useApi } from "../lib/use-api";
import { type UserProfile, filtersOf, reportApi } from "./api";
import { CompanyLink } from "./components";
import { EntityActivity } from "./entity-activity";
import { formatDay } from "./format";
import { reportPaths } from "./paths";

function Profile({ user }: { user: UserProfile }) {
  const current = user.company_link.title;
  const history = user.companies.length > 1 ? user.companies : [];
  const accounts = [
    ["Launchpad", user.launchpad_id, (id: string) => `https://launchpad.net/~${encodeURIComponent(id)}`],
    ["GitHub", user.github_id, (id: string) => `https://github.com/${encodeURIComponent(id)}`],
    ["Gerrit", user.gerrit_id, null],
    ["Zanata", user.zanata_id, null],
  ] as const;
  return (
    <section class="card" aria-labelledby="profile-title" data-testid="profile">
      <h2 id="profile-title">{user.user_name}</h2>
      <dl class="fields">
        <dt>Company</dt>
        <dd>
          <CompanyLink name={current} /> <span class="hint">(affiliations come from the configuration's users; a wrong one is corrected there)</span>
        </dd>
        {history.length > 0 && (
          <>
            <dt>Affiliations</dt>
            <dd>
              {history.map((c, i) => (
                <span key={i}>
                  {i > 0 && "; "}
                  {c.company_name} {c.end_date ? `until ${formatDay(c.end_date)}` : "now"}
                </span>
              ))}
            </dd>
          </>
        )}
        {accounts.map(([name, id, link]) =>
          id ? (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd>{link ? <a href={link(id)}>{id}</a> : id}</dd>
            </Fragment>
          ) : null,
        )}
        <dt>Core reviewer in</dt>
        <dd>
          {user.core.length === 0
            ? "none"
            : user.core.map(([module, branch], i) => (
                <span key={`${module}-${branch}`}>
                  {i > 0 && ", "}
                  <a href={reportPaths.openReviews(module)}>{module}</a> ({branch === "master" ? "master ✻" : `${branch} ✬`})
                </span>
              ))}
        </dd>
      </dl>
    </section>
  );
}

export default function UserActivity() {
  const { params } = useRoute();
  const { query } = useLocation();
  const userId = params.user_id ?? "";
  const profile = useApi<{ user: UserProfile }>(reportApi.user(userId));
  return (
    <EntityActivity
      subject={profile}
      who={(p) => p.user.user_name}
      fallback={userId}
      filters={filtersOf(query, { user_id: userId })}
      panel={(p) => <Profile user={p.user} />}
    />
  );
}
