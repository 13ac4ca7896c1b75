// Where a number is in a report's JSON, as a JSON Pointer (RFC 6901): how a report's `suppressed`
// note names the numbers it withheld (docs/privacy.md). No zod here: the dashboard imports it.

export function reportPointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${String(t).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

export function pointerTokens(pointer: string): string[] {
  return pointer
    .split("/")
    .slice(1)
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
}
