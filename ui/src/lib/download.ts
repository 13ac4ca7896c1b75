// A download the browser cannot make from a link: one that needs a header (the admin secret), or
// whose refusal should be read rather than saved. The whole file is held in memory until saved.
import { ApiError, messageOf } from "./api";

/** Keeps the saved file's object URL long enough for the browser to start reading it. */
const REVOKE_AFTER_MS = 10_000;

/** Fetches `url` with `headers` and saves the answer as `fileName`; an answer other than 2xx throws an ApiError with the API's message. */
export async function saveDownload(url: string, headers: Record<string, string>, fileName: string): Promise<void> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new ApiError(response.status, await messageOf(response));
  const href = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), REVOKE_AFTER_MS);
}
