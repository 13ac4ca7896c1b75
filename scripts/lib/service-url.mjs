// Where the local tools find the service: the admin scripts' default base and the Vite dev
// server's /api proxy. `npm start` listens on 127.0.0.1:$PORT (8787 when unset).

/** The port `npm start` uses: $PORT, else 8787. */
export function localPort(env = process.env) {
  const port = env.PORT || "8787";
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new Error(`PORT must be a port number from 1 to 65535, not "${port}"`);
  }
  return Number(port);
}

/** The service's base URL without a trailing slash: $EDGESTATS_URL, else http://127.0.0.1:$PORT. */
export function serviceUrl(env = process.env) {
  return checkBaseUrl(env.EDGESTATS_URL || `http://127.0.0.1:${localPort(env)}`, "EDGESTATS_URL");
}

/** An http(s) base URL without its trailing slash; `source` names where it came from. */
export function checkBaseUrl(value, source) {
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${source} must be an http(s) URL such as https://stats.example.org, not "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${source} must be an http(s) URL such as https://stats.example.org, not "${value}"`);
  }
  return value.replace(/\/+$/, "");
}
