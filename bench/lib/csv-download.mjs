// One CSV download for `npm run bench:csv`: a GET on a new connection to 127.0.0.1 whose body is
// streamed, never held: its records are counted as they arrive (RFC 4180: a line break inside a
// quoted field is not a record end), the header is parsed, and the first SAMPLE_ROWS data rows
// are parsed to check their field count. Times: response headers, first body byte, first data row,
// last byte.
import http from "node:http";

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** Data rows whose fields are counted (parsing every row would cost the client more than the server). */
const SAMPLE_ROWS = 500;
/** The header and sampled rows are parsed from at most this much of the start of the body. */
const HEAD_BYTES = 4 * 1024 * 1024;

/** The fields of RFC 4180 records in `text` (complete records only; a trailing partial one is dropped). */
export function parseRecords(text, max = Infinity) {
  const records = [];
  let field = "";
  let fields = [];
  let quoted = false;
  for (let i = 0; i < text.length && records.length < max; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      fields.push(field);
      records.push(fields);
      fields = [];
      field = "";
      i++;
    } else field += ch;
  }
  return records;
}

/**
 * Downloads `path` and resolves to { status, headers, bytes, records (header included), rows,
 * header (its fields), sample (parsed rows), bareLf (record ends without CR), ms: { headers,
 * firstByte, firstRow, total }, error }.
 */
export function download(port, path, { onFirstByte } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const since = () => performance.now() - started;
    const req = http.request({ host: "127.0.0.1", port, method: "GET", path, agent: false }, (res) => {
      const ms = { headers: since(), firstByte: null, firstRow: null, total: null };
      let bytes = 0;
      let records = 0;
      let bareLf = 0;
      let quoted = false;
      let lastByte = -1;
      const head = [];
      let headBytes = 0;
      res.on("data", (buf) => {
        if (ms.firstByte === null) {
          ms.firstByte = since();
          onFirstByte?.();
        }
        bytes += buf.length;
        if (headBytes < HEAD_BYTES) {
          head.push(buf);
          headBytes += buf.length;
        }
        // Record ends: LFs outside quotes. Quote characters toggle the state (a doubled quote
        // inside a quoted field toggles twice, which changes nothing between them).
        let pos = 0;
        let nextQuote = buf.indexOf(QUOTE, 0);
        for (;;) {
          if (quoted) {
            if (nextQuote === -1) break;
            quoted = false;
            pos = nextQuote + 1;
            nextQuote = buf.indexOf(QUOTE, pos);
            continue;
          }
          const lf = buf.indexOf(LF, pos);
          if (lf === -1 && nextQuote === -1) break;
          if (nextQuote !== -1 && (lf === -1 || nextQuote < lf)) {
            quoted = true;
            pos = nextQuote + 1;
            nextQuote = buf.indexOf(QUOTE, pos);
            continue;
          }
          const before = lf > 0 ? buf[lf - 1] : lastByte;
          if (before !== CR) bareLf++;
          records++;
          if (records === 2 && ms.firstRow === null) ms.firstRow = since();
          pos = lf + 1;
        }
        lastByte = buf[buf.length - 1];
      });
      res.on("end", () => {
        ms.total = since();
        const text = Buffer.concat(head).toString("utf8");
        const parsed = parseRecords(text, SAMPLE_ROWS + 1);
        resolve({
          status: res.statusCode,
          headers: res.headers,
          bytes,
          records,
          rows: Math.max(0, records - 1),
          header: parsed[0] ?? [],
          sample: parsed.slice(1),
          bareLf,
          unterminated: bytes > 0 && lastByte !== LF,
          ms,
          error: null,
        });
      });
      res.on("error", (error) => resolve({ status: res.statusCode, bytes, records, rows: Math.max(0, records - 1), ms, error: String(error) }));
      res.on("aborted", () => resolve({ status: res.statusCode, bytes, records, rows: Math.max(0, records - 1), ms, error: "aborted" }));
    });
    req.on("error", reject);
    req.end();
  });
}
