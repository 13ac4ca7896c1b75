// A Gerrit of synthetic changes for bench:contrib, on 127.0.0.1: `GET /changes/?q=project:<p>
// branch:<b> [after:"<time>"]&o=…&n=<n>&S=<skip>` answers as Gerrit's REST API does (the `)]}'`
// line, newest `updated` first, `_more_changes` on the last change of a page that has more).
//
// The changes are a function of a seed: REPOS repositories with a skewed share of CHANGES changes
// (one repository has many, most have few), AUTHORS people at COMPANIES companies, 1–5 patch sets
// each (3 on average), Code-Review and Workflow votes by other people (6 on average), a CI
// account's Verified vote on every patch set (which makes no record), 70% merged, 20% open, 10%
// abandoned. Each vote is both a change message and, on the current patch set, a `labels.all`
// entry, as Gerrit writes them. `touch(share)` updates a share of the changes (a new vote each),
// as activity between two runs does. The records they must give are counted here, to check the
// processor against.
import http from "node:http";

const DAY = 86_400;
const START = Date.UTC(2024, 0, 1) / 1000;
const SPAN = 2 * 365 * DAY;

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, width) => String(n).padStart(width, "0");
const gerritTime = (seconds) => `${new Date(seconds * 1000).toISOString().slice(0, 19).replace("T", " ")}.000000000`;

export function companyDomain(k) {
  return `company${pad(k, 2)}.bench.example`;
}

/** Person i: an account with a username and an email at one of the companies (a tenth at a mail provider). */
export function person(i, companies) {
  const domain = i % 10 === 9 ? "mail.bench.example" : companyDomain(i % companies);
  return { _account_id: 1_000_000 + i, name: `Person ${pad(i, 4)}`, email: `person${pad(i, 4)}@${domain}`, username: `user${pad(i, 4)}` };
}

const CI = { _account_id: 999_999, name: "Bench CI", email: "ci@ci.bench.example", username: "bench-ci" };

export function createFakeGerrit({ seed = 1, repos = 200, changes = 100_000, authors = 3000, companies = 40 } = {}) {
  const random = mulberry32(seed);
  const pick = (n) => Math.floor(random() * n);
  const people = Array.from({ length: authors }, (_, i) => person(i, companies));
  // A skewed share per repository: weight 1 / (r + 5), scaled to `changes` in all.
  const weights = Array.from({ length: repos }, (_, r) => 1 / (r + 5));
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.max(1, Math.floor((w / total) * changes)));
  counts[0] += changes - counts.reduce((a, b) => a + b, 0);

  const byProject = new Map();
  const expected = { review: 0, patch: 0, mark: 0 };
  let number = 0;
  for (let r = 0; r < repos; r++) {
    const project = `bench/module-${pad(r, 3)}`;
    const list = [];
    for (let i = 0; i < counts[r]; i++) {
      const c = makeChange(++number, project);
      list.push(c);
      expected.review++;
      expected.patch += c.patchSets;
      expected.mark += c.votes.filter((v) => v.label !== "Verified").length + (c.status === "ABANDONED" ? 1 : 0);
    }
    byProject.set(project, list);
  }
  for (const list of byProject.values()) list.sort((a, b) => b.updated - a.updated || b.number - a.number);

  function makeChange(n, project) {
    const created = START + pick(SPAN);
    const owner = pick(authors);
    const r = random();
    const patchSets = r < 0.25 ? 1 : r < 0.45 ? 2 : r < 0.65 ? 3 : r < 0.8 ? 4 : 5;
    const s = random();
    const status = s < 0.7 ? "MERGED" : s < 0.9 ? "NEW" : "ABANDONED";
    const votes = [];
    let t = created;
    for (let ps = 1; ps <= patchSets; ps++) {
      t += 3600 + pick(DAY);
      votes.push({ ps, label: "Verified", value: 1, voter: -1, date: t });
      const reviewers = ps === patchSets ? 2 : pick(3) === 0 ? 1 : 0;
      for (let k = 0; k < reviewers; k++) {
        t += 60 + pick(3600);
        const voter = (owner + 1 + pick(authors - 1)) % authors;
        const v = random();
        const value = ps < patchSets ? (v < 0.5 ? -1 : 1) : status === "MERGED" ? 2 : v < 0.2 ? -1 : 1;
        votes.push({ ps, label: "Code-Review", value, voter, date: t });
      }
      if (ps === patchSets && status === "MERGED") {
        t += 60;
        votes.push({ ps, label: "Workflow", value: 1, voter: votes.at(-1).voter, date: t });
      }
    }
    const updated = t + 60;
    const abandoner = status === "ABANDONED" ? (pick(2) === 0 ? owner : (owner + 1) % authors) : null;
    return { number: n, project, created, updated, owner, patchSets, status, votes, abandoner, abandonedAt: updated, extra: 0 };
  }

  function account(i) {
    return i === -1 ? CI : people[i];
  }

  function changeJson(c) {
    const changeId = `I${pad(c.number.toString(16), 40)}`;
    const revisions = {};
    let current = "";
    for (let ps = 1; ps <= c.patchSets; ps++) {
      const sha = `${pad(c.number.toString(16), 32)}${pad(ps.toString(16), 8)}`;
      const uploader = ps > 1 && ps % 4 === 0 ? account((c.owner + 7) % people.length) : account(c.owner);
      revisions[sha] = { _number: ps, created: gerritTime(c.created + (ps - 1) * 3600), uploader, ref: `refs/changes/${c.number % 100}/${c.number}/${ps}`, commit: { subject: `Change ${c.number}`, message: `Change ${c.number}\n\nChange-Id: ${changeId}\n` } };
      current = sha;
    }
    const votes = [...c.votes];
    for (let e = 0; e < c.extra; e++) votes.push({ ps: c.patchSets, label: "Code-Review", value: 1, voter: (c.owner + 11 + e) % people.length, date: c.updated - 30 + e });
    const messages = votes.map((v, k) => ({
      id: `${c.number}-${k}`,
      author: account(v.voter),
      date: gerritTime(v.date),
      message: `Patch Set ${v.ps}: ${v.label}${v.value > 0 ? "+" : ""}${v.value}`,
      _revision_number: v.ps,
    }));
    if (c.abandoner !== null) messages.push({ id: `${c.number}-abandon`, author: account(c.abandoner), date: gerritTime(c.abandonedAt), message: "Abandoned", _revision_number: c.patchSets });
    const labels = {};
    for (const label of ["Code-Review", "Verified", "Workflow"]) {
      const latest = new Map();
      for (const v of votes) if (v.label === label && v.ps === c.patchSets) latest.set(v.voter, v);
      labels[label] = { all: [...latest.values()].map((v) => ({ ...account(v.voter), value: v.value, date: gerritTime(v.date) })) };
    }
    return {
      id: `${encodeURIComponent(c.project)}~master~${changeId}`,
      project: c.project,
      branch: "master",
      change_id: changeId,
      subject: `Change ${c.number}`,
      status: c.status,
      created: gerritTime(c.created),
      updated: gerritTime(c.updated),
      _number: c.number,
      owner: account(c.owner),
      labels,
      revisions,
      current_revision: current,
      messages,
    };
  }

  let served = { requests: 0, changes: 0, bytes: 0 };

  function answer(url) {
    const q = url.searchParams.get("q") ?? "";
    const project = /project:(\S+)/.exec(q)?.[1];
    const after = /after:"([^"]+)"/.exec(q)?.[1];
    const list = byProject.get(project);
    if (!list) return { status: 404, body: `Not found: ${project}` };
    const since = after ? Date.parse(after.replace(" ", "T").replace(" +0000", "Z")) / 1000 : -Infinity;
    const skip = Number(url.searchParams.get("S") ?? 0);
    const n = Number(url.searchParams.get("n") ?? 100);
    // The list is newest first: the changes updated since `after` are a prefix of it.
    let end = 0;
    while (end < list.length && list[end].updated >= since) end++;
    const page = list.slice(skip, Math.min(skip + n, end)).map(changeJson);
    if (skip + n < end && page.length > 0) page.at(-1)._more_changes = true;
    served.changes += page.length;
    return { status: 200, body: `)]}'\n${JSON.stringify(page)}` };
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://fake");
    served.requests++;
    const { status, body } = url.pathname === "/changes/" ? answer(url) : { status: 404, body: "Not found" };
    served.bytes += Buffer.byteLength(body);
    res.writeHead(status, { "content-type": status === 200 ? "application/json; charset=utf-8" : "text/plain" });
    res.end(body);
  });
  // Idle connections kept longer than workerd's pool keeps them (5 s), as the loopback's are
  // (bench-worker.mjs): else a step that kept the runtime busy more than 5 s writes its next
  // request on a connection the fake closed meanwhile, and counts a retry.
  server.keepAliveTimeout = 60_000;

  return {
    projects: [...byProject.keys()],
    expected,
    /** Requests and changes served since the last call. */
    takeServed() {
      const s = served;
      served = { requests: 0, changes: 0, bytes: 0 };
      return s;
    },
    /** Updates `share` of the changes now: one new Code-Review +1 each. Returns how many. */
    touch(share, nowSeconds) {
      const all = [...byProject.values()].flat();
      const step = Math.round(1 / share);
      let touched = 0;
      for (let i = 0; i < all.length; i += step) {
        const c = all[i];
        c.extra++;
        c.updated = nowSeconds - touched % 600;
        touched++;
      }
      for (const list of byProject.values()) list.sort((a, b) => b.updated - a.updated || b.number - a.number);
      expected.mark += touched;
      return touched;
    },
    listen(port) {
      return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
