import { useTitle } from "../lib/use-title";

export function NotFound() {
  useTitle("Not found");
  return (
    <>
      <h1>Not found</h1>
      <p data-testid="not-found">
        There is no such page. Go to the <a href="/">overview</a>.
      </p>
    </>
  );
}
