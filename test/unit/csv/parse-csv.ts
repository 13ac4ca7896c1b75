// A strict RFC 4180 reader for the tests: CRLF records, quoted fields with doubled quotes.
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && field === "") {
      const end = closingQuote(text, i + 1);
      field = text.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
      continue;
    }
    if (text[i] === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (text.startsWith("\r\n", i)) {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else if (text[i] === "\n" || text[i] === "\r" || text[i] === '"') {
      throw new Error(`unexpected ${JSON.stringify(text[i])} outside quotes at ${i}`);
    } else {
      field += text[i];
      i++;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("the last record does not end with CRLF");
  return records;
}

function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] !== '"') continue;
    if (text[i + 1] === '"') i++;
    else return i;
  }
  throw new Error("unterminated quoted field");
}

/** Records as objects keyed by the header. */
export function csvObjects(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => {
    if (row.length !== header!.length) throw new Error(`a row of ${row.length} cells under ${header!.length} columns`);
    return Object.fromEntries(header!.map((name, i) => [name, row[i]!]));
  });
}
