// The synthetic contribution data of bench:contrib-api (issue: the read API over 1,000,000
// records): a default_data.json and a stream of records in the shapes the processor's parsers
// make (worker/domain/contrib/sources/), as a function of a seed and the day it is made.
//
// People, companies, modules and releases:
//  - PEOPLE engineers at COMPANIES companies (a skewed share each: the first companies are big),
//    a tenth at a mail provider; the first CONFIG_USERS are config users with their Launchpad and
//    Gerrit ids (a fifth with a job change half-way, a quarter with a second, personal email);
//  - activity skewed too: the first people are the busiest (the config users among them), as core
//    reviewers are; each module has 4 core reviewers among the 400 busiest, who give the ±2s and
//    approvals;
//  - MODULES repos (a skewed share of the records each, as in fake-gerrit.mjs) in GROUPS module
//    groups (module r in group r mod GROUPS); project types: `all` (every group) first, then four
//    children over a quarter of the groups each;
//  - 12 releases ending every 6 months, `prehistory` first, the last one in progress today; the
//    records span the 5½ years before today, more of them recently.
// Records (each kind's share of the total, as the issue asks: 70% Gerrit, 10% commits, the rest
// emails, bugs and blueprints):
//  - changes: a review, 1–6 patch sets (3.2 on average, every fourth uploaded by someone else),
//    Code-Review votes by others and some by the uploader (Self-), −2s and +2s by cores, Workflow
//    +1 on merge and a few −1 (WIP), an abandon on abandoned ones; 70% merged, 18% open, 12%
//    abandoned, 8% on a stable branch;
//  - commits: 40% are merged changes (their Change-Id, so post-processing dates them by the
//    merge), 2% co-authored (a record per person), lines of code log-uniform up to ~8,000, some
//    mentioning a bug or a blueprint;
//  - emails (some mentioning a blueprint), filed bugs and, for half of them, resolved ones,
//    drafted blueprints and, for 40%, completed ones (Launchpad ids only).
// Authors as the sources name them: Gerrit records by Gerrit username and email (a tenth of the
// accounts hide their email, and show it on 2% of their records, which merges the two profiles
// the engine made), commits and emails by email, Launchpad records by Launchpad id; the 75% who
// have a Launchpad account carry it on every record, as the processor's Launchpad lookup adds it.
// So identity resolution learns keys, merges profiles and resolves config users on every path.
//
// `expected` counts what was made, per record type, mark bucket (as worker/domain/contrib/
// metrics.ts buckets them), lines of code, abandoned reviews, and per release (by the record's
// own date) and module, to check the API against and to pick the "typical" filter.

const DAY = 86_400;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const RELEASE_NAMES = ["prehistory", "Ash", "Beech", "Cedar", "Douglas", "Elm", "Fir", "Gum", "Hazel", "Ivy", "Juniper", "Kapok"];
const MAIL_DOMAIN = "mail.bench.example";
const GERRIT = "https://review.bench.example";
const WORDS = ("add fix remove update refactor use allow support handle drop make move rename cache check test document log " +
  "config api driver scheduler quota volume network port image token policy client server agent job task queue limit " +
  "timeout retry error race leak upgrade migration schema index filter metric release branch stable gate").split(" ");

export const DEFAULT_SEED = 20261206;

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
const hex = (n, width) => n.toString(16).padStart(width, "0");
const configDate = (seconds) => {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCDate(), 2)}`;
};

export const companyName = (k) => `Company ${pad(k, 3)}`;
export const companyDomain = (k) => `company${pad(k, 3)}.bench.example`;
export const moduleName = (r) => `module-${pad(r, 3)}`;
export const groupName = (g) => `group-${pad(g, 2)}`;

/**
 * 12 releases (the first `prehistory`) ending on 1 January and 1 July, the last one the first
 * such day after `todaySeconds`: `[{ name, end }]` with `end` in seconds, oldest first.
 */
export function benchReleases(todaySeconds) {
  const today = new Date(todaySeconds * 1000);
  let year = today.getUTCFullYear();
  let month = today.getUTCMonth() < 6 ? 6 : 12;
  const out = [];
  for (let i = RELEASE_NAMES.length - 1; i >= 0; i--) {
    out.unshift({ name: RELEASE_NAMES[i], end: Date.UTC(year, month, 1) / 1000 });
    month -= 6;
    if (month <= 0) {
      month += 12;
      year--;
    }
  }
  return out;
}

/** The release of a time as the engine finds it: the first that ends after it, else the last. */
function releaseIndexAt(releases, seconds) {
  const i = releases.findIndex((r) => r.end > seconds);
  return i === -1 ? releases.length - 1 : i;
}

/** markBucket of worker/domain/contrib/metrics.ts. */
function markBucket(type, value) {
  if (type.startsWith("Self-")) return "s";
  if (type === "Code-Review" && [-2, -1, 1, 2].includes(value)) return String(value);
  if (type === "Workflow" && value === 1) return "A";
  if (type === "Workflow" && value === -1) return "WIP";
  if (type === "Abandon") return "x";
  return "0";
}

/**
 * The data: `config` (a default_data.json), `batches()` (arrays of at most `batchSize` records
 * and `maxBytes` of JSON, `records` in all), `expected` (filled as the batches are made) and the
 * choices of the typical filter (`busiestRelease()`, `busiestChildType()`).
 */
export function createContribApiData({
  seed = DEFAULT_SEED,
  records = 1_000_000,
  people = 3000,
  companies = 200,
  configUsers = 300,
  modules = 500,
  groups = 40,
  todaySeconds = Math.floor(Date.now() / 1000 / DAY) * DAY,
} = {}) {
  const releases = benchReleases(todaySeconds);
  // The records span from half a year before prehistory ends until yesterday.
  const START = releases[0].end - 182 * DAY;
  const END = todaySeconds - DAY;
  const SPAN = END - START;

  const personRandom = mulberry32(seed ^ 0x5eed);
  const everyone = Array.from({ length: people }, (_, i) => {
    const company = Math.floor(companies * personRandom() ** 2);
    const provider = personRandom() < 0.1;
    const hidesEmail = personRandom() < 0.1;
    const launchpad = i < configUsers || personRandom() < 0.75;
    const id = pad(i, 4);
    return {
      i,
      name: `Engineer ${id}`,
      email: `engineer${id}@${provider ? MAIL_DOMAIN : companyDomain(company)}`,
      personal: i < configUsers && i % 4 === 1 ? `eng${id}@${MAIL_DOMAIN}` : null,
      gerrit_id: `eng${id}`,
      launchpad_id: launchpad ? `eng-${id}` : null,
      company,
      hidesEmail,
    };
  });
  const withLaunchpad = everyone.filter((p) => p.launchpad_id);

  const config = (() => {
    const half = START + Math.floor(SPAN / 2);
    const users = everyone.slice(0, configUsers).map((p) => {
      const moved = p.i % 5 === 0;
      return {
        user_name: p.name,
        emails: p.personal ? [p.email, p.personal] : [p.email],
        launchpad_id: p.launchpad_id,
        gerrit_id: p.gerrit_id,
        companies: moved
          ? [{ company_name: companyName((p.company + 1) % companies), end_date: configDate(half) }, { company_name: companyName(p.company), end_date: null }]
          : [{ company_name: companyName(p.company), end_date: null }],
      };
    });
    const repos = Array.from({ length: modules }, (_, r) => ({
      uri: `https://git.bench.example/bench/${moduleName(r)}.git`,
      module: moduleName(r),
      organization: "bench",
      gerrit_uri: GERRIT,
    }));
    const moduleGroups = Array.from({ length: groups }, (_, g) => ({
      module_group_name: groupName(g),
      modules: repos.filter((_, r) => r % groups === g).map((repo) => repo.module),
    }));
    const quarter = Math.ceil(groups / 4);
    const children = ["core", "libraries", "tools", "deployment"].map((id, k) => ({
      id,
      title: id[0].toUpperCase() + id.slice(1),
      modules: moduleGroups.slice(k * quarter, (k + 1) * quarter).map((g) => g.module_group_name),
      child: true,
    }));
    return {
      users,
      companies: Array.from({ length: companies }, (_, k) => ({ company_name: companyName(k), domains: [companyDomain(k)] })),
      releases: releases.map((r) => ({ release_name: r.name, end_date: configDate(r.end) })),
      repos,
      module_groups: moduleGroups,
      project_types: [{ id: "all", title: "All", modules: moduleGroups.map((g) => g.module_group_name) }, ...children],
    };
  })();
  const childOfGroup = new Map(config.project_types.filter((t) => t.child).flatMap((t) => t.modules.map((g) => [g, t.id])));

  const random = mulberry32(seed);
  const pick = (n) => Math.floor(random() * n);
  const chance = (p) => random() < p;
  const busy = (n) => Math.floor(n * random() ** 2.2);
  const person = () => everyone[busy(people)];
  const launchpadPerson = () => withLaunchpad[busy(withLaunchpad.length)];
  const otherThan = (p) => {
    for (;;) {
      const q = person();
      if (q !== p) return q;
    }
  };
  // A skewed share per module, weight 1 / (r + 5), drawn through the cumulative weights.
  const cumulative = [];
  let sum = 0;
  for (let r = 0; r < modules; r++) cumulative.push((sum += 1 / (r + 5)));
  const pickModule = () => {
    const x = random() * sum;
    let lo = 0;
    let hi = modules - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const coresOf = (r) => [0, 1, 2, 3].map((k) => everyone[(r * 7 + k * 53) % Math.min(400, people)]);
  // More activity lately: 30% uniform over the span, 70% with a density rising linearly.
  const pickDate = (room = 0) => START + Math.floor((SPAN - room) * (chance(0.3) ? random() : Math.sqrt(random())));
  const sentence = (n) => Array.from({ length: n }, () => WORDS[pick(WORDS.length)]).join(" ");

  const expected = {
    records: 0,
    byType: { review: 0, patch: 0, mark: 0, commit: 0, email: 0, bugf: 0, bugr: 0, bpd: 0, bpc: 0 },
    marks: { "-2": 0, "-1": 0, 0: 0, 1: 0, 2: 0, A: 0, WIP: 0, x: 0, s: 0 },
    loc: 0,
    abandoned: 0,
    byRelease: Object.fromEntries(releases.map((r) => [r.name.toLowerCase(), 0])),
    byChildType: Object.fromEntries(config.project_types.filter((t) => t.child).map((t) => [t.id, 0])),
    changes: 0,
    coauthored: 0,
    mentions: 0,
  };

  /** The author fields a source gives for a person. */
  const gerritAuthor = (p) => ({
    ...(p.hidesEmail && !chance(0.02) ? {} : { author_email: p.email }),
    gerrit_id: p.gerrit_id,
    author_name: p.name,
    ...(p.launchpad_id ? { launchpad_id: p.launchpad_id } : {}),
  });
  const emailAuthor = (p) => ({
    author_email: p.personal && chance(0.2) ? p.personal : p.email,
    author_name: p.name,
    ...(p.launchpad_id ? { launchpad_id: p.launchpad_id } : {}),
  });

  /** Merged changes commits can belong to (the latest few thousand). */
  const merged = [];
  const blueprints = [];
  let changeNumber = 0;
  let commitNumber = 0;
  let emailNumber = 0;
  let bugNumber = 0;
  let blueprintNumber = 0;

  function change() {
    const n = ++changeNumber;
    const r = pickModule();
    const module = moduleName(r);
    const cores = coresOf(r);
    const owner = person();
    const created = pickDate(30 * DAY);
    const branch = chance(0.08) ? `stable/${releases[Math.max(1, releaseIndexAt(releases, created) - 1)].name.toLowerCase()}` : "master";
    const changeId = `I${hex(n, 40)}`;
    const key = branch === "master" ? changeId : `${changeId}@${branch}`;
    const subject = `${sentence(2)} in ${module}: ${sentence(4)}`;
    const s = random();
    const status = s < 0.7 ? "MERGED" : s < 0.88 ? "NEW" : "ABANDONED";
    const x = random();
    const patchSets = x < 0.2 ? 1 : x < 0.4 ? 2 : x < 0.6 ? 3 : x < 0.75 ? 4 : x < 0.88 ? 5 : 6;
    const common = { module, branch, review_id: key, subject };
    const out = [];
    const marks = [];
    let t = created;
    const vote = (voter, uploader, label, value, ps) => {
      t += 60 + pick(6 * 3600);
      const type = voter === uploader ? `Self-${label}` : label;
      marks.push({
        primary_key: `${key}:${t}:${label}:${voter.gerrit_id}`,
        record_type: "mark",
        date: t,
        ...gerritAuthor(voter),
        ...common,
        value,
        type,
        patch: ps,
      });
    };
    let lastVotes = [];
    for (let ps = 1; ps <= patchSets; ps++) {
      t += 600 + pick(2 * DAY);
      const uploader = ps > 1 && ps % 4 === 0 ? otherThan(owner) : owner;
      out.push({ primary_key: `${key}:${ps}`, record_type: "patch", date: t, ...gerritAuthor(uploader), ...common, patch: ps });
      const last = ps === patchSets;
      const before = marks.length;
      if (chance(0.08)) vote(uploader, uploader, "Code-Review", 1, ps);
      const reviewers = last ? 1 + pick(3) : pick(4);
      for (let k = 0; k < reviewers; k++) {
        const v = random();
        vote(otherThan(uploader), uploader, "Code-Review", last && status === "MERGED" ? 1 : v < 0.35 ? -1 : 1, ps);
      }
      if (!last && chance(0.1)) vote(cores[pick(4)], uploader, "Code-Review", -2, ps);
      if (chance(0.02)) vote(chance(0.5) ? uploader : cores[pick(4)], uploader, "Workflow", -1, ps);
      if (last && status === "MERGED") {
        const [a, b] = [cores[pick(4)], cores[pick(4)]];
        vote(a, uploader, "Code-Review", 2, ps);
        if (b !== a) vote(b, uploader, "Code-Review", 2, ps);
        vote(b, uploader, "Workflow", 1, ps);
      }
      if (last) lastVotes = marks.slice(before);
    }
    if (status === "ABANDONED") {
      const by = chance(0.5) ? owner : cores[pick(4)];
      t += 3600 + pick(DAY);
      marks.push({ primary_key: `${key}:${t}:Abandon:${by.gerrit_id}`, record_type: "mark", date: t, ...gerritAuthor(by), ...common, value: 0, type: by === owner ? "Self-Abandon" : "Abandon", patch: patchSets });
    }
    const updated = t + 60;
    const review = {
      primary_key: key,
      record_type: "review",
      date: created,
      ...gerritAuthor(owner),
      module,
      branch,
      project: `bench/${module}`,
      subject,
      status,
      open: status === "NEW",
      url: `${GERRIT}/c/bench/${module}/+/${n}`,
      review_number: n,
      change_id: [changeId],
      last_updated: updated,
      value: lastVotes.length > 0 ? Math.min(...lastVotes.map((m) => m.value)) : 0,
      updated_on: lastVotes.length > 0 ? Math.max(...lastVotes.map((m) => m.date)) : t,
    };
    if (status === "MERGED" && branch === "master") {
      merged.push({ changeId, r, owner, created, subject });
      if (merged.length > 4000) merged.splice(0, 1000);
    }
    expected.changes++;
    return [review, ...out, ...marks];
  }

  function commitMessage(subject, changeId, bug, blueprint) {
    const lines = [subject, "", sentence(12), sentence(10), ""];
    if (bug) lines.push(`Closes-Bug: #${bug}`);
    if (blueprint) lines.push(`Implements: blueprint ${blueprint.split(":")[1]}`);
    if (changeId) lines.push(`Change-Id: ${changeId}`);
    return lines.join("\n");
  }

  function commit() {
    const n = ++commitNumber;
    const commitId = hex(n, 8) + hex(Math.floor(random() * 2 ** 32), 8) + hex(seed >>> 0, 8) + hex(n * 2654435761 >>> 0, 8) + hex(n, 8);
    const ofChange = merged.length > 0 && chance(0.4) ? merged[pick(merged.length)] : null;
    const r = ofChange ? ofChange.r : pickModule();
    const module = moduleName(r);
    const author = ofChange ? ofChange.owner : person();
    const date = ofChange ? ofChange.created : pickDate();
    const subject = ofChange ? ofChange.subject : `${sentence(2)} in ${module}: ${sentence(4)}`;
    const loc = Math.floor(Math.exp(random() * 9));
    const added = Math.round(loc * (0.5 + random() * 0.5));
    const bug = chance(0.3) ? 1 + pick(Math.max(1, bugNumber)) : null;
    const blueprint = blueprints.length > 0 && chance(0.04) ? blueprints[pick(blueprints.length)] : null;
    const record = {
      record_type: "commit",
      date,
      module,
      branch: "master",
      branches: ["master"],
      loc,
      commit_id: commitId,
      lines_added: added,
      lines_deleted: loc - added,
      files_changed: 1 + Math.floor(Math.log2(1 + loc)),
      subject,
      message: commitMessage(subject, ofChange?.changeId, bug, blueprint),
      ...(bug ? { bug_id: [String(bug)] } : {}),
      ...(blueprint ? { blueprint_id: [blueprint] } : {}),
      ...(ofChange ? { change_id: [ofChange.changeId] } : {}),
    };
    if (blueprint) expected.mentions++;
    if (!chance(0.02)) return [{ primary_key: commitId, ...emailAuthor(author), ...record }];
    const other = otherThan(author);
    const people = [author, other].map((p) => ({ author_name: p.name, author_email: p.email }));
    expected.coauthored++;
    return [author, other].map((p) => ({
      primary_key: commitId + p.email,
      author_email: p.email,
      author_name: p.name,
      ...(p.launchpad_id ? { launchpad_id: p.launchpad_id } : {}),
      ...record,
      coauthor: people,
    }));
  }

  function email() {
    const n = ++emailNumber;
    const module = moduleName(pickModule());
    const blueprint = blueprints.length > 0 && chance(0.03) ? blueprints[pick(blueprints.length)] : null;
    if (blueprint) expected.mentions++;
    const messageId = `<${hex(n, 8)}.${hex(seed >>> 0, 8)}@lists.bench.example>`;
    return [
      {
        primary_key: messageId,
        record_type: "email",
        date: pickDate(),
        ...emailAuthor(person()),
        module,
        subject: `${chance(0.6) ? "Re: " : ""}[${module}] ${sentence(6)}`,
        message_id: messageId,
        mailing_list: "bench-discuss",
        ...(blueprint ? { blueprint_id: [blueprint], body: `${sentence(30)}\nhttps://blueprints.bench.example/${blueprint.replace(":", "/+spec/")}\n${sentence(20)}` } : {}),
      },
    ];
  }

  function bug() {
    const number = 100_000 + ++bugNumber;
    const module = moduleName(pickModule());
    const id = `${module}/${number}`;
    const created = pickDate(30 * DAY);
    const fixed = chance(0.5);
    const fixedAt = created + DAY + pick(25 * DAY);
    const fields = {
      module,
      id,
      number,
      title: `${sentence(3)} fails when ${sentence(4)}`,
      status: fixed ? (chance(0.5) ? "Fix Released" : "Fix Committed") : ["New", "Confirmed", "Triaged", "In Progress"][pick(4)],
      importance: ["Low", "Medium", "High", "Critical", "Undecided"][pick(5)],
      web_link: `https://bugs.bench.example/${module}/+bug/${number}`,
      date_created: created,
      ...(fixed ? { date_fix_committed: fixedAt } : {}),
    };
    const out = [{ primary_key: `bugf:${id}`, record_type: "bugf", launchpad_id: launchpadPerson().launchpad_id, date: created, ...fields }];
    if (fixed) out.push({ primary_key: `bugr:${id}`, record_type: "bugr", launchpad_id: launchpadPerson().launchpad_id, date: fixedAt, ...fields });
    return out;
  }

  function blueprint() {
    const n = ++blueprintNumber;
    const module = moduleName(pickModule());
    const name = `bp-${hex(n, 5)}-${WORDS[pick(WORDS.length)]}`;
    const id = `${module}:${name}`;
    const created = pickDate(60 * DAY);
    const done = chance(0.4);
    const completed = created + 7 * DAY + pick(50 * DAY);
    const fields = {
      module,
      id,
      name,
      title: `${sentence(5)}`,
      summary: `${sentence(25)}`,
      lifecycle_status: done ? "Complete" : chance(0.5) ? "Started" : "Not started",
      status: done ? "Implemented" : ["Unknown", "Not started", "Started", "Good progress"][pick(4)],
      web_link: `https://blueprints.bench.example/${module}/+spec/${name}`,
      date_created: created,
      ...(done ? { date_completed: completed } : {}),
    };
    blueprints.push(id);
    const out = [{ primary_key: `bpd:${id}`, record_type: "bpd", launchpad_id: launchpadPerson().launchpad_id, date: created, ...fields }];
    if (done) out.push({ primary_key: `bpc:${id}`, record_type: "bpc", launchpad_id: launchpadPerson().launchpad_id, date: completed, ...fields });
    return out;
  }

  // An event's chance ∝ its records' share / its records per event: a change makes ~12 records,
  // a commit 1.02, an email 1, a bug 1.5, a blueprint 1.4.
  const SHARES = [
    [change, 0.7 / 12],
    [commit, 0.1 / 1.02],
    [email, 0.13 / 1],
    [bug, 0.06 / 1.5],
    [blueprint, 0.01 / 1.4],
  ];
  const total = SHARES.reduce((a, [, w]) => a + w, 0);
  const nextEvent = () => {
    let x = random() * total;
    for (const [make, w] of SHARES) if ((x -= w) < 0) return make();
    return SHARES[0][0]();
  };

  const count = (record) => {
    expected.records++;
    expected.byType[record.record_type]++;
    if (record.record_type === "commit") expected.loc += record.loc;
    if (record.record_type === "mark") expected.marks[markBucket(record.type, record.value)]++;
    if (record.record_type === "review" && record.status === "ABANDONED") expected.abandoned++;
    expected.byRelease[releases[releaseIndexAt(releases, record.date)].name.toLowerCase()]++;
    const child = childOfGroup.get(groupName(Number(record.module.slice(7)) % groups));
    if (child) expected.byChildType[child]++;
  };

  return {
    config,
    releases,
    span: { start: START, end: END },
    expected,
    /** Batches of at most `batchSize` records and `maxBytes` of `{"records":[…]}`, `records` in all. */
    *batches(batchSize = 1000, maxBytes = 4 * 1024 * 1024) {
      let batch = [];
      let bytes = 16;
      const flush = () => {
        const out = batch;
        batch = [];
        bytes = 16;
        return out;
      };
      while (expected.records < records) {
        for (const record of nextEvent()) {
          if (expected.records >= records) break;
          const size = JSON.stringify(record).length + 1;
          if (batch.length >= batchSize || bytes + size > maxBytes) yield flush();
          batch.push(record);
          bytes += size;
          count(record);
        }
      }
      if (batch.length > 0) yield flush();
    },
    /** The release with the most records (by their own dates), not prehistory. */
    busiestRelease() {
      return Object.entries(expected.byRelease).slice(1).sort((a, b) => b[1] - a[1])[0][0];
    },
    /** The child project type with the most records. */
    busiestChildType() {
      return Object.entries(expected.byChildType).sort((a, b) => b[1] - a[1])[0][0];
    },
  };
}
