import { describe, expect, it } from "vitest";
import { RawRecordSchema } from "../../../../schemas/contrib/records";
import {
  cleanBody,
  decodeEncodedWords,
  emailRecord,
  guessModule,
  parseMbox,
  parsePipermailIndex,
  type MailMessage,
} from "../../../../worker/domain/contrib/sources/mail";
import hyperkittyMonth from "../../../fixtures/contrib/mail/hyperkitty-2024-02.mbox?raw";
import pipermailMonth from "../../../fixtures/contrib/mail/pipermail-2012-July.txt?raw";
import pipermailIndex from "../../../fixtures/contrib/mail/pipermail-index.html?raw";

const MODULES = ["nova", "neutron", "python-novaclient", "stackalytics", "core", "sahara"];
const ALIASES = new Map([
  ["quantum", "neutron"],
  ["savanna", "sahara"],
]);
const ctx = { modules: MODULES, aliases: ALIASES, mailingList: "openstack-dev" };

/** The record of a message, checked against the schema when there is one. */
function recordOf(m: MailMessage, context = ctx) {
  const record = emailRecord(m, context);
  return record && RawRecordSchema.parse(record);
}

function message(overrides: Partial<MailMessage> = {}): MailMessage {
  return {
    from_email: "ada.marsh@northwind.example",
    from_name: "Ada Marsh",
    date: 1_707_124_320,
    subject: "[demo-dev] A question",
    message_id: "abc.123@northwind.example",
    body: "Hello.",
    ...overrides,
  };
}

describe("parsePipermailIndex", () => {
  const INDEX = "https://lists.openstack.example/pipermail/openstack-dev/";

  it("gives the monthly archives as absolute URLs, oldest first", () => {
    expect(parsePipermailIndex(pipermailIndex, INDEX)).toEqual([
      `${INDEX}2011-December.txt.gz`,
      `${INDEX}2012-January.txt.gz`,
      `${INDEX}2012-June.txt.gz`,
      `${INDEX}2012-July.txt.gz`,
    ]);
  });

  it("takes an index URL without a trailing slash as the list's folder", () => {
    expect(parsePipermailIndex(pipermailIndex, INDEX.slice(0, -1))[0]).toBe(`${INDEX}2011-December.txt.gz`);
    expect(parsePipermailIndex(pipermailIndex, `${INDEX}index.html`)[0]).toBe(`${INDEX}2011-December.txt.gz`);
  });

  it("keeps absolute links, drops duplicates and ignores other links", () => {
    const html = `<a href="2013-March.txt.gz">a</a> <A HREF='2013-March.txt.gz'>b</A>
      <a href="https://mirror.example/list/2013-February.txt.gz">c</a> <a href="2013-March/thread.html">d</a>`;
    expect(parsePipermailIndex(html, INDEX)).toEqual(["https://mirror.example/list/2013-February.txt.gz", `${INDEX}2013-March.txt.gz`]);
  });

  it("gives nothing for a page without archives", () => {
    expect(parsePipermailIndex("<html><body>No archives yet</body></html>", INDEX)).toEqual([]);
  });
});

describe("parseMbox (pipermail)", () => {
  const messages = parseMbox(pipermailMonth);

  it("splits the month at the separator lines only", () => {
    expect(messages).toHaveLength(4);
    expect(messages[0]!.body).toContain("From the discussion at the summit");
  });

  it("reads the reference's message: x at y, the name, the date, the wrapped subject, the Message-ID", () => {
    expect(messages[0]).toMatchObject({
      from_email: "sorlando@nicira.com",
      from_name: "Salvatore Orlando",
      date: 1342510243,
      subject: "[openstack-dev] [nova] Proposal: expose security group rules through the compute API extension",
      message_id: "CAGR=i3iQ0vXk5ZtNn1Y2sWm@mail.gmail.com",
    });
    expect(messages[0]!.body.startsWith("Hi all,\n\nI have drafted a blueprint")).toBe(true);
    expect(messages[1]!.subject).toBe(messages[0]!.subject);
  });

  it("drops a zone comment such as (JST) from the date", () => {
    expect(messages[2]!.date).toBe(1342622700);
  });
});

describe("parseMbox (HyperKitty export)", () => {
  const [qp, alternative, mixed] = parseMbox(hyperkittyMonth);

  it("decodes an encoded-word subject folded over two lines", () => {
    expect(qp!.subject).toBe("[demo-dev] [core] Café schema migration for the next release");
    expect(qp).toMatchObject({ from_email: "ada.marsh@northwind.example", from_name: "Ada Marsh", date: 1707124320, message_id: "170712432011.4242.1337@northwind.example" });
  });

  it("decodes a quoted-printable body, joins soft breaks and undoes >From escapes", () => {
    expect(qp!.body).toContain("the café table migration");
    expect(qp!.body).toContain("\nFrom now on please run the migration before upgrading; this line is long enough to be wrapped with a soft line break.\n");
  });

  it("takes the base64 text/plain part of multipart/alternative and an encoded name", () => {
    expect(alternative).toMatchObject({
      from_email: "jose.nunez@southgate.example",
      from_name: "José Núñez",
      subject: "Re: [demo-dev] [core] Café schema migration",
      date: 1707239007,
      message_id: "CAF+x9Q0=demo+reply@mail.southgate.example",
      body: "Looks good to me. One question: does the migration keep the old\nindexes until the next release?\n\nJosé",
    });
  });

  it("finds the plain part nested in multipart/mixed, in its charset, and reads x@y (Name)", () => {
    expect(mixed).toMatchObject({ from_email: "mira.okafor@westfield.example", from_name: "Mira Okafor", date: 1707294600 });
    expect(mixed!.body).toBe("I wrote up https://blueprints.launchpad.net/savanna/+spec/edp-job-retries – comments are welcome, naïve ones too.\n\nMira");
  });
});

describe("parseMbox edge cases", () => {
  it("gives nothing for text before the first separator or an empty archive", () => {
    expect(parseMbox("")).toEqual([]);
    expect(parseMbox("no separator here\n")).toEqual([]);
  });

  it("accepts CRLF line ends, a bare address and a message without a Date or Message-ID", () => {
    const [m] = parseMbox("From kai@south.example Mon Feb  5 09:12:00 2024\r\nFrom: kai@south.example\r\nSubject: hi\r\n\r\nbody\r\n");
    expect(m).toEqual({ from_email: "kai@south.example", from_name: "", date: null, subject: "hi", message_id: "", body: "body" });
  });

  it("takes the sender from the separator when there is no From header", () => {
    expect(parseMbox("From kai at south.example  Mon Feb  5 09:12:00 2024\nSubject: hi\n\nx\n")[0]!.from_email).toBe("kai@south.example");
  });

  it("reads a quoted name with angle brackets and a date without a zone as UTC", () => {
    const [m] = parseMbox('From x Mon Feb  5 09:12:00 2024\nFrom: "Marsh, Ada" <Ada@North.example>\nDate: Mon, 5 Feb 2024 09:12:00\n\n');
    expect(m).toMatchObject({ from_email: "Ada@North.example", from_name: "Marsh, Ada", date: 1707124320 });
  });

  it("decodes encoded words of other charsets and keeps text around them", () => {
    expect(decodeEncodedWords("Re: =?ISO-8859-1?Q?Gr=FC=DFe?= aus =?utf-8?B?S8O2bG4=?=")).toBe("Re: Grüße aus Köln");
  });
});

describe("guessModule", () => {
  const guess = (subject: string, bodyModule: string | null = null) => guessModule(subject, bodyModule, MODULES, ALIASES);

  it("takes the earliest module of the subject: [Neutron] [Nova] gives neutron", () => {
    expect(guess("[openstack-dev] [Neutron] [Nova] Port binding")).toBe("neutron");
    expect(guess("[openstack-dev] [Nova] [Neutron] Port binding")).toBe("nova");
  });

  it("finds a tag such as [Stackalytics]", () => {
    expect(guess("[openstack-dev] [Stackalytics] Numbers for the release")).toBe("stackalytics");
  });

  it("prefers the body's module to an untagged mention in the subject", () => {
    expect(guess("Re: sahara images for nova", "core")).toBe("core");
    expect(guess("Re: [sahara] images for nova", "core")).toBe("sahara");
    expect(guess("Re: sahara images for nova")).toBe("sahara");
  });

  it("gives the body's module, else unknown, when the subject names none", () => {
    expect(guess("[openstack-dev] Meeting time", "core")).toBe("core");
    expect(guess("[openstack-dev] Meeting time")).toBe("unknown");
  });

  it("drops names that contain a shorter one, so python-novaclient counts for nova", () => {
    expect(guess("[python-novaclient] Release 2.6")).toBe("nova");
  });

  it("maps an alias to its module, in the subject and from the body", () => {
    expect(guess("[openstack-dev] [Quantum] L3 agent")).toBe("neutron");
    expect(guess("Re: plans", "savanna")).toBe("sahara");
  });
});

describe("emailRecord", () => {
  it("makes the reference's record: sorlando@nicira.com on nova, with the blueprint and the cleaned body", () => {
    const record = recordOf(parseMbox(pipermailMonth)[0]!);
    expect(record).toEqual({
      primary_key: "CAGR=i3iQ0vXk5ZtNn1Y2sWm@mail.gmail.com",
      record_type: "email",
      date: 1342510243,
      author_email: "sorlando@nicira.com",
      author_name: "Salvatore Orlando",
      module: "nova",
      subject: "[openstack-dev] [nova] Proposal: expose security group rules through the compute API extension",
      message_id: "CAGR=i3iQ0vXk5ZtNn1Y2sWm@mail.gmail.com",
      mailing_list: "openstack-dev",
      blueprint_id: ["nova:security-group-rules-api"],
      body: [
        "Hi all,",
        "",
        "I have drafted a blueprint for this:",
        "https://blueprints.launchpad.net/nova/+spec/security-group-rules-api.",
        "",
        "From the discussion at the summit it looks like the extension is the",
        "right place. Comments welcome.",
        "",
        "Salvatore",
        "An HTML attachment was scrubbed...",
        "URL: <https://lists.openstack.example/pipermail/openstack-dev/attachments/20120717/3f2a9c1e/attachment.html>",
      ].join("\n"),
    });
  });

  it("makes a record of every valid message of the pipermail month, and none of root at localhost", () => {
    const records = parseMbox(pipermailMonth).map((m) => recordOf(m));
    expect(records[3]).toBeNull();
    const [, reply, quantum] = records;
    expect(reply).toMatchObject({ author_email: "lena.brandt@northwind.example", module: "nova", bug_id: ["1024555"], blueprint_id: ["nova:security-group-rules-api"] });
    expect(reply!.body).not.toContain(">");
    expect(reply!.body).toBe("On 07/17/2012 09:30 AM, Salvatore Orlando wrote:\n\n+1. This would also fix https://bugs.launchpad.net/nova/+bug/1024555, where\nthe rules are lost on a restart.\n\nLena");
    expect(quantum).toMatchObject({ author_email: "kaito.ren@southgate.example", module: "neutron", bug_id: ["1025101"] });
    expect(quantum).not.toHaveProperty("body");
    expect(quantum).not.toHaveProperty("blueprint_id");
  });

  it("makes records of the HyperKitty month, the body's blueprint module mapped through aliases", () => {
    const records = parseMbox(hyperkittyMonth).map((m) => recordOf(m, { ...ctx, mailingList: "demo-dev" })!);
    expect(records.map((r) => [r.module, r.bug_id, r.blueprint_id])).toEqual([
      ["core", ["2051234"], ["core:cafe-schema-v2"]],
      ["core", undefined, undefined],
      ["sahara", undefined, ["savanna:edp-job-retries"]],
    ]);
    expect(records[1]).toMatchObject({ author_name: "José Núñez", mailing_list: "demo-dev" });
  });

  it("lower-cases the address and skips messages without a valid address, a date or a Message-ID", () => {
    expect(recordOf(message({ from_email: "Ada.Marsh@Northwind.Example" }))!.author_email).toBe("ada.marsh@northwind.example");
    expect(recordOf(message({ from_email: "pupkin@localhost" }))).toBeNull();
    expect(recordOf(message({ from_email: "222@some.(trash)" }))).toBeNull();
    expect(recordOf(message({ date: null }))).toBeNull();
    expect(recordOf(message({ message_id: "" }))).toBeNull();
  });

  it("finds bug numbers in both link forms, once each", () => {
    const body = "See https://bugs.launchpad.net/bugs/1111 and https://bugs.launchpad.net/nova/+bug/2222 (also https://bugs.launchpad.net/bugs/1111).";
    expect(recordOf(message({ body }))!.bug_id).toEqual(["1111", "2222"]);
  });

  it("cuts the subject and a mentioned blueprint's body to the records' limits", () => {
    const body = `https://blueprints.launchpad.net/core/+spec/big\n${Array.from({ length: 3000 }, (_, i) => `line ${i}`).join("\n")}`;
    const record = recordOf(message({ subject: "s".repeat(5000), body }))!;
    expect(record.subject).toHaveLength(4096);
    expect(record.body).toHaveLength(4000);
  });

  it("omits the author name when the message has none", () => {
    expect(recordOf(message({ from_name: " " }))).not.toHaveProperty("author_name");
  });
});

describe("cleanBody", () => {
  it("drops quoted lines and delimiters and collapses repeated lines", () => {
    const body = "Hi\n\n\n\n> quoted\n  > indented quote\n-------------- next part --------------\nok\nok\nend";
    expect(cleanBody(body)).toBe("Hi\n\nok\nend");
  });
});
