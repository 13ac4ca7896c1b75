import { useEffect, useState } from "preact/hooks";

type Health = "checking" | "up" | "down";

/** Placeholder until the dashboard lands: shows that the collector answers and where it listens. */
export function App() {
  const [health, setHealth] = useState<Health>("checking");
  useEffect(() => {
    fetch("/api/v1/ping/")
      .then((r) => r.json() as Promise<{ status?: string }>)
      .then((body) => setHealth(body.status === "ok" ? "up" : "down"))
      .catch(() => setHealth("down"));
  }, []);
  return (
    <main>
      <h1>edgestats</h1>
      <p>Open usage statistics for Fuel installations, served from the edge.</p>
      <p>
        Collector: <strong data-testid="collector-health">{health}</strong>
      </p>
      <p>
        Point a Fuel master's <code>COLLECTOR_SERVER</code> at this host. The wire formats are published as{" "}
        <a href="/api/v1/schemas/">JSON Schema</a>.
      </p>
    </main>
  );
}
