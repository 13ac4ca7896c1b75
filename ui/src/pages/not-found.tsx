export function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no such page. Go to the <a href="/">overview</a>.
      </p>
    </>
  );
}
