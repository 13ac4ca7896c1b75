// Company-name normalisation, shared by the config schema (a user's company must exist) and the
// engine (aliases and free-text names resolve through it). Stackalytics' rules: legal suffixes
// as whole words, dotted suffixes, case and punctuation do not distinguish two companies.

const LEGAL_SUFFIXES = ["ltd", "pvt", "inc", "gmbh", "ag", "corporation", "corp", "company", "co", "group", "srl", "limited", "llc", "it"];
const DOTTED_SUFFIXES = ["s.p.a.", "s.r.o.", "l.p.", "b.v.", "k.k.", "d.o.o."];

// Word boundaries by hand: \b is ASCII-only, and names may be in any script.
const LEGAL = new RegExp(`(?<![\\p{L}\\p{N}])(?:${LEGAL_SUFFIXES.join("|")})(?![\\p{L}\\p{N}])`, "giu");
const DOTTED = new RegExp(DOTTED_SUFFIXES.map((s) => s.replaceAll(".", "\\.")).join("|"), "giu");

/** `Red Hat, Inc.` → `redhat`, `EMC Corporation` → `emc`, `abc s.r.o. ABC` → `abcabc`. */
export function normalizeCompanyName(name: string): string {
  return name.replace(DOTTED, " ").replace(LEGAL, " ").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

/** The pseudo-companies every configuration has, listed in it or not. */
export const INDEPENDENT = "*independent";
export const ROBOTS = "*robots";
