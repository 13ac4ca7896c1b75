// The person's and the module's panels (§4.1), shown when a contributor or a module is selected.
import { Fetching } from "../../components/status";
import { initials } from "./activity-log";
import type { ModuleAnswer, UserAnswer } from "../lib/contrib-api";
import { type Selection, pageUrl, withChange } from "../lib/selection";
import { useApi } from "../lib/use-api";

const day = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

/** Where a profile's account ids lead; Gerrit and Zanata hosts are the deployment's, so only named. */
const ACCOUNTS = [
  { key: "launchpad_id", label: "Launchpad", href: (id: string) => `https://launchpad.net/~${encodeURIComponent(id)}` },
  { key: "github_id", label: "GitHub", href: (id: string) => `https://github.com/${encodeURIComponent(id)}` },
  { key: "gerrit_id", label: "Gerrit", href: null },
  { key: "zanata_id", label: "Zanata", href: null },
] as const;

export function UserPanel({ url, selection }: { url: string; selection: Selection }) {
  const answer = useApi<UserAnswer>(url);
  return (
    <section class="card panel" aria-labelledby="user-title" data-testid="user-panel">
      <Fetching result={answer}>
        {({ user }) => {
          const current = user.companies.find((c) => c.end_date === 0)?.company_name ?? user.company_link.title;
          const accounts = ACCOUNTS.flatMap((a) => (user[a.key] ? [{ ...a, id: user[a.key]! }] : []));
          return (
            <div class="panel-body">
              {/* No picture from another site: the person's initials stand for them. */}
              <span class="avatar large" aria-hidden="true">
                {initials(user.user_name)}
              </span>
              <div>
                <h2 id="user-title">{user.user_name}</h2>
                <p>
                  Company:{" "}
                  <a href={pageUrl(withChange(withChange(selection, "user_id", ""), "company", current))} data-testid="user-company">
                    {current}
                  </a>
                </p>
                {user.companies.length > 1 && (
                  <p class="hint">
                    Affiliations:{" "}
                    {user.companies.map((c, i) => (
                      <span key={i}>
                        {i > 0 && "; "}
                        {c.company_name} {c.end_date ? `until ${day(c.end_date)}` : "now"}
                      </span>
                    ))}
                  </p>
                )}
                <p class="hint" data-testid="affiliation-note">
                  {user.static
                    ? "The affiliation comes from the configuration (default_data.json). If it is wrong, the operator corrects the user's companies there and loads it again (npm run contrib:config); the records move with it."
                    : "This person is not in the configuration: the company is guessed from the email's domain. To correct it, the operator adds the person with their companies to default_data.json and loads it (npm run contrib:config)."}
                </p>
                {accounts.length > 0 && (
                  <ul class="accounts" aria-label="Accounts">
                    {accounts.map((a) => (
                      <li key={a.key}>
                        {a.label}: {a.href ? <a href={a.href(a.id)} rel="noopener noreferrer">{a.id}</a> : a.id}
                      </li>
                    ))}
                  </ul>
                )}
                <p data-testid="core-in">
                  Core in:{" "}
                  {user.core.length === 0
                    ? "none"
                    : user.core.map(([module, branch], i) => (
                        <span key={`${module}:${branch}`}>
                          {i > 0 && ", "}
                          <a href={pageUrl(withChange(selection, "module", module))}>{module}</a>
                          {branch === "master" ? "" : ` (${branch})`}
                        </span>
                      ))}
                </p>
              </div>
            </div>
          );
        }}
      </Fetching>
    </section>
  );
}

export function ModulePanel({ url, selection }: { url: string; selection: Selection }) {
  const answer = useApi<ModuleAnswer>(url);
  return (
    <section class="card panel" aria-labelledby="module-title" data-testid="module-panel">
      <Fetching result={answer}>
        {({ module }) => (
          <div>
            <h2 id="module-title">{module.name}</h2>
            <p>
              {module.tag === "module"
                ? "A module: one repository of the configuration."
                : module.tag === "group"
                  ? "A module group of the configuration (default_data.json, module_groups)."
                  : `A group of the ${module.tag} of a project source.`}
            </p>
            <ul class="members" aria-label="Modules">
              {module.modules.map((m) => (
                <li key={m.module_name} class={m.visible ? undefined : "hidden-member"} data-visible={String(m.visible)}>
                  {m.module_name === module.id ? m.module_name : <a href={pageUrl(withChange(selection, "module", m.module_name))}>{m.module_name}</a>}
                  {m.repo_uri && (
                    <>
                      {" "}
                      <a class="repo" href={m.repo_uri} rel="noopener noreferrer">
                        {m.repo_uri}
                      </a>
                    </>
                  )}
                  {!m.visible && <span class="visually-hidden"> (not in this release and project type)</span>}
                </li>
              ))}
            </ul>
          </div>
        )}
      </Fetching>
    </section>
  );
}
