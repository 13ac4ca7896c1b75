// compareText against the runtime's own localeCompare: here in workerd, with the ICU the answers
// were sorted by before (a unit test in Node would check Node's ICU instead).
import { describe, expect, it } from "vitest";
import { compareText } from "../../worker/domain/text-order";

const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

/** A deterministic stream of numbers in [0, 1): the same pairs on every run. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const sameSign = (a: string, b: string) => Math.sign(compareText(a, b)) === Math.sign(a.localeCompare(b));

describe("compareText", () => {
  it("orders every pair of printable ASCII characters as localeCompare does", () => {
    const wrong = PRINTABLE.flatMap((a) => PRINTABLE.filter((b) => !sameSign(a, b)).map((b) => `${a}|${b}`));
    expect(wrong).toEqual([]);
  });

  it("orders strings that differ in case, punctuation, digits and length as localeCompare does", () => {
    const next = random(20261206);
    const pick = (alphabet: string | string[]) => alphabet[Math.floor(next() * alphabet.length)]!;
    const text = (alphabet: string | string[], most: number) => Array.from({ length: 1 + Math.floor(next() * most) }, () => pick(alphabet)).join("");
    const flipCase = (s: string) => [...s].map((c) => (next() < 0.3 ? (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) : c)).join("");
    const wrong: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const a = text(i % 2 ? "aAbB -_.0919zZ'" : PRINTABLE, 8);
      const b = next() < 0.5 ? flipCase(a) : text(i % 2 ? "aAbB -_.0919zZ'" : PRINTABLE, 8);
      if (!sameSign(a, b)) wrong.push(`${a}|${b}`);
    }
    expect(wrong).toEqual([]);
  });

  it("orders names as they come, and leaves any other text to localeCompare", () => {
    const names = ["Engineer 0282", "engineer 0282", "Ada Marsh", "ada-marsh", "*independent", "*robots", "Company 000", "Zoë", "Zoe", "José", "jose", "Ōta", "bp-00013-metric", ""];
    for (const a of names) for (const b of names) expect(`${a}|${b}: ${sameSign(a, b)}`).toBe(`${a}|${b}: true`);
  });
});
