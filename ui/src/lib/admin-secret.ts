// The admin secret, asked for on the /admin page and kept in this tab's sessionStorage only: sent
// as an Authorization header (the admin API, the row-level exports), never put in a URL, gone when
// the tab closes or "Forget the secret" is pressed.

export const ADMIN_SECRET_KEY = "edgestats.admin-secret";

export function storedSecret(): string | null {
  try {
    return sessionStorage.getItem(ADMIN_SECRET_KEY);
  } catch {
    return null;
  }
}

export function storeSecret(secret: string | null) {
  try {
    if (secret === null) sessionStorage.removeItem(ADMIN_SECRET_KEY);
    else sessionStorage.setItem(ADMIN_SECRET_KEY, secret);
  } catch {
    // Storage refused (a private window's policy): the secret lives as long as the page.
  }
}

/** The header that presents the secret; none without one. */
export const secretHeaders = (secret: string | null): Record<string, string> => (secret === null ? {} : { authorization: `Bearer ${secret}` });
