// What an empty deployment says instead of empty charts: how to load a configuration, and where
// records come from.

export function EmptyDeployment({ reason }: { reason: "no-config" | "no-records" }) {
  return (
    <section class="card empty-deployment" aria-labelledby="empty-title" data-testid={`empty-${reason}`}>
      <h2 id="empty-title">{reason === "no-config" ? "No contribution data yet: no configuration is loaded" : "No contribution records yet"}</h2>
      {reason === "no-config" ? (
        <ol>
          <li>
            Load a configuration (<code>default_data.json</code>: users, companies, releases, repositories, project types):{" "}
            <code>npm run contrib:config -- config/contrib/default_data.json</code> (or <code>PUT /api/1.0/admin/default-data</code> with the admin secret;
            docs/contrib.md).
          </li>
          <li>
            The processor then follows every repository, Launchpad project and mailing list it lists, each hour (docs/processor.md); an operator can start a
            run at once with <code>POST /api/1.0/admin/processor/run</code>, or import a git history with <code>npm run contrib:import-git</code>.
          </li>
        </ol>
      ) : (
        <p>
          A configuration is loaded, but no record is stored in any release. The processor reads the sources the configuration lists each hour
          (docs/processor.md): its state, errors included, is at <code>GET /api/1.0/admin/processor</code>, and{" "}
          <code>POST /api/1.0/admin/processor/run</code> starts a run now. Records can also be imported with <code>npm run contrib:import-git</code> or{" "}
          <code>POST /api/1.0/admin/records</code>.
        </p>
      )}
    </section>
  );
}
