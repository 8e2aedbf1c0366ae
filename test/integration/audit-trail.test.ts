// The audit trail as administrators read it, against the run's real database: every change a
// person makes to connections, servers, tools and tokens is recorded, none of those records holds
// a secret (a canary API key, OAuth tokens, server URLs, an API token), the filters and keyset
// paging of listAuditEvents, and the CSV export's quoting and formula neutralising.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findIntegration } from "@/integrations/registry";
import {
  auditCsvColumns,
  csvField,
  exportAuditCsv,
  listAuditEvents,
  listAuditFilterChoices,
  parseAuditFilters,
} from "@/lib/admin/audit";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import {
  createConnection,
  deleteConnection,
  renameConnection,
  replaceConnectionCredentials,
} from "@/lib/connections/manage-connections";
import { getDb } from "@/lib/db/client";
import { saveOAuthConnection } from "@/lib/oauth/save-connection";
import { createServer, deleteServer, renameServer, rotateServerSecret } from "@/lib/servers/manage-servers";
import { createApiToken, revokeApiToken } from "@/lib/tokens/api-tokens";
import { addTool, addToolSchema, deleteTool, updateTool, updateToolSchema } from "@/lib/tools/manage-tools";
import { createUser } from "@/lib/users/create-user";
import { secretOfUrl, uniqueEmail } from "../helpers/mcp";
import { closeTestConnections } from "../helpers/teardown";

afterAll(async () => {
  await closeTestConnections();
});

/** A minimal RFC 4180 reader: quoted fields with doubled quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      index++;
    } else field += char;
  }
  expect(field).toBe("");
  expect(record).toEqual([]);
  return records;
}

async function readStream(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("a scripted session's audit trail", () => {
  const canaryKey = `canary-key-${randomUUID()}`;
  const replacedKey = `canary-key-2-${randomUUID()}`;
  const oauthAccess = `canary-oauth-access-${randomUUID()}`;
  const oauthRefresh = `canary-oauth-refresh-${randomUUID()}`;
  const reconnectAccess = `canary-oauth-reconnect-${randomUUID()}`;
  const secrets: string[] = [canaryKey, replacedKey, oauthAccess, oauthRefresh, reconnectAccess];
  let userId: string;
  const context = { ip: "198.51.100.4", userAgent: "audit-trail-test/1.0" };

  beforeAll(async () => {
    const user = await createUser({ email: uniqueEmail("audit-session"), password: "a long password" });
    userId = user.id;
    const as = { ...context, actorId: userId };
    // Connections: key-style with a canary key, renamed, key replaced; OAuth created and reconnected.
    const todoist = await createConnection(
      userId,
      { integration: "todoist", label: "Tasks", credentials: { api_token: canaryKey } },
      as,
    );
    await renameConnection(userId, todoist.id, "Work tasks", as);
    await replaceConnectionCredentials(userId, todoist.id, { api_token: replacedKey }, as);
    const slack = findIntegration("slack")!;
    const oauth = await saveOAuthConnection(
      userId,
      slack,
      { accessToken: oauthAccess, refreshToken: oauthRefresh, expiresAt: Date.now() + 3_600_000 },
      { label: "Team chat" },
      as,
    );
    await saveOAuthConnection(userId, slack, { accessToken: reconnectAccess }, { reconnectId: oauth.id }, as);
    // A server: created, renamed, its URL rotated; tools added, changed, removed; a token.
    const server = await createServer(userId, "Claude", as);
    secrets.push(secretOfUrl(server.url));
    await renameServer(userId, server.id, "Claude Desktop", as);
    const rotated = await rotateServerSecret(userId, server.id, as);
    secrets.push(secretOfUrl(rotated.url));
    const tool = await addTool(
      userId,
      server.id,
      addToolSchema.parse({ integration: "todoist", action: "create_task", connectionId: todoist.id }),
      as,
    );
    await updateTool(userId, server.id, tool.id, updateToolSchema.parse({ name: "add_work_task" }), as);
    const formatter = await addTool(
      userId,
      server.id,
      addToolSchema.parse({ integration: "formatter", action: "transform_text" }),
      as,
    );
    await deleteTool(userId, server.id, formatter.id, as);
    const token = await createApiToken(userId, { name: "Scripts", expiresInDays: 90 }, as);
    secrets.push(token.token);
    await revokeApiToken(userId, token.id, as);
    await deleteConnection(userId, oauth.id, as);
    await deleteServer(userId, server.id, as);
  });

  it("records every change, by the person, from where they were", async () => {
    const events = await getDb().auditEvent.findMany({
      where: { actorId: userId },
      orderBy: { createdAt: "asc" },
    });
    expect(events.map((event) => event.action)).toEqual([
      "user.created",
      "connection.created",
      "connection.renamed",
      "connection.credentials_replaced",
      "connection.created",
      "connection.reconnected",
      "server.created",
      "server.renamed",
      "server.secret_rotated",
      "tool.added",
      "tool.updated",
      "tool.added",
      "tool.deleted",
      "api_token.created",
      "api_token.revoked",
      "connection.deleted",
      "server.deleted",
    ]);
    for (const event of events.slice(1)) {
      expect(event).toMatchObject({ ip: context.ip, userAgent: context.userAgent });
      expect(event.targetType).toMatch(/^(connection|server|tool|api_token)$/);
      expect(event.targetId).toBeTruthy();
    }
  });

  it("holds no secret: no API key, OAuth token, server URL secret or API token", async () => {
    const events = await getDb().auditEvent.findMany({
      where: { OR: [{ actorId: userId }, { targetId: userId }] },
    });
    expect(events.length).toBeGreaterThanOrEqual(16);
    const everything = JSON.stringify(events);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(20);
      expect(everything).not.toContain(secret);
    }
    // Nor does what administrators read or export.
    const email = await emailOf(userId);
    const { events: listed } = await listAuditEvents({ actor: email });
    const shown = JSON.stringify(listed);
    const csv = await readStream(exportAuditCsv({ actor: email }));
    const byActor = await getDb().auditEvent.count({ where: { actorId: userId } });
    expect(listed).toHaveLength(byActor);
    expect(csv.split("\r\n")).toHaveLength(byActor + 2);
    for (const secret of secrets) {
      expect(shown).not.toContain(secret);
      expect(csv).not.toContain(secret);
    }
  });
});

async function emailOf(userId: string): Promise<string> {
  return (await getDb().user.findUniqueOrThrow({ where: { id: userId } })).email;
}

describe("listAuditEvents", () => {
  let alice: { id: string; email: string };
  let bob: { id: string; email: string };
  const planId = `plan-${randomUUID()}`;

  beforeAll(async () => {
    alice = await createUser({ email: uniqueEmail("audit-alice"), password: "a long password" });
    bob = await createUser({ email: uniqueEmail("audit-bob"), password: "a long password" });
    // Dated events long ago, where nothing else in the run's database can be.
    const at = (day: string, time = "12:00:00") => new Date(`${day}T${time}Z`);
    await getDb().auditEvent.createMany({
      data: [
        {
          actorId: alice.id,
          action: "server.created",
          targetType: "server",
          targetId: "s1",
          createdAt: at("2001-03-01"),
          metadata: { name: "One" },
        },
        {
          actorId: alice.id,
          action: "server.deleted",
          targetType: "server",
          targetId: "s1",
          createdAt: at("2001-03-02"),
        },
        {
          actorId: bob.id,
          action: "server.created",
          targetType: "server",
          targetId: "s2",
          createdAt: at("2001-03-02", "23:59:59"),
        },
        {
          actorId: bob.id,
          action: "plan.updated",
          targetType: "plan",
          targetId: planId,
          createdAt: at("2001-03-03", "00:00:00"),
          metadata: { name: "Team" },
        },
        {
          actorId: alice.id,
          action: "user.plan_changed",
          targetType: "user",
          targetId: bob.id,
          createdAt: at("2001-03-04"),
        },
      ],
    });
  });

  it("gives the actor's email and a name for the target", async () => {
    const { events } = await listAuditEvents({ actor: alice.email, to: "2001-12-31" });
    expect(events.map((event) => [event.action, event.actorEmail, event.targetLabel])).toEqual([
      ["user.plan_changed", alice.email, bob.email],
      ["server.deleted", alice.email, null],
      ["server.created", alice.email, "One"],
    ]);
  });

  it("filters by actor email (any case), action, target type and id", async () => {
    const byBob = await listAuditEvents({ actor: bob.email.toUpperCase(), to: "2001-12-31" });
    expect(byBob.events.map((event) => event.action)).toEqual(["plan.updated", "server.created"]);
    const parsed = parseAuditFilters(new URLSearchParams({ actor: ` ${bob.email.toUpperCase()} ` }));
    expect(parsed.filters.actor).toBe(bob.email);

    const created = await listAuditEvents({ action: "server.created", to: "2001-12-31" });
    expect(created.events.map((event) => event.targetId)).toEqual(["s2", "s1"]);
    const plans = await listAuditEvents({ targetType: "plan", targetId: planId });
    expect(plans.events.map((event) => [event.action, event.targetLabel])).toEqual([
      ["plan.updated", "Team"],
    ]);
    const aboutBob = await listAuditEvents({ targetType: "user", targetId: bob.id });
    expect(aboutBob.events.map((event) => event.action)).toContain("user.plan_changed");

    expect((await listAuditEvents({ actor: "nobody-at-all@test.local" })).events).toEqual([]);
  });

  it("filters by days, both ends included, in UTC", async () => {
    const day = await listAuditEvents({ from: "2001-03-02", to: "2001-03-02" });
    expect(day.events.map((event) => event.action)).toEqual(["server.created", "server.deleted"]);
    const range = await listAuditEvents({ from: "2001-03-02", to: "2001-03-03" });
    expect(range.events).toHaveLength(3);
    const since = await listAuditEvents({ from: "2001-03-04", to: "2001-03-31" });
    expect(since.events.map((event) => event.action)).toEqual(["user.plan_changed"]);
  });

  it("reports filters it cannot use, and keeps the others", () => {
    const { filters, errors } = parseAuditFilters({
      from: "2001-02-30x",
      to: "2001-03-01",
      action: "server.created; drop",
      targetType: "server",
    });
    expect(filters).toEqual({ to: "2001-03-01", targetType: "server" });
    expect(Object.keys(errors).sort()).toEqual(["action", "from"]);
    const reversed = parseAuditFilters({ from: "2001-03-05", to: "2001-03-01" });
    expect(reversed.errors.to).toMatch(/first day must not be after the last day/);
    expect(reversed.filters).toEqual({ from: "2001-03-05" });
  });

  it("pages newest first by a cursor, with ties in time kept in order", async () => {
    const pager = await createUser({ email: uniqueEmail("audit-pager"), password: "a long password" });
    const sameMoment = new Date("2002-06-01T10:00:00Z");
    await getDb().auditEvent.createMany({
      data: Array.from({ length: 120 }, (_, index) => ({
        actorId: pager.id,
        action: "tool.updated",
        targetType: "tool",
        targetId: `t${index}`,
        // Forty events share each of three moments.
        createdAt: new Date(sameMoment.getTime() - Math.floor(index / 40) * 1_000),
      })),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await listAuditEvents({ actor: pager.email, to: "2002-12-31" }, { cursor });
      sizes.push(page.events.length);
      seen.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(120);
    const stored = await getDb().auditEvent.findMany({
      where: { actorId: pager.id, action: "tool.updated" },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    expect(seen).toEqual(stored.map((event) => event.id));
    await expect(listAuditEvents({}, { cursor: "not a cursor" })).rejects.toMatchObject({
      code: "validation_failed",
    });
  });

  it("offers the actions and target types in the trail as choices", async () => {
    const choices = await listAuditFilterChoices();
    expect(choices.actions).toEqual(
      expect.arrayContaining(["server.created", "plan.updated", "user.created"]),
    );
    expect(choices.targetTypes).toEqual(expect.arrayContaining(["plan", "server", "user"]));
    expect(choices.targetTypes).not.toContain(null);
  });
});

describe("the CSV export", () => {
  it("quotes fields as RFC 4180 says", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField(null)).toBe("");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rlf")).toBe('"cr\rlf"');
  });

  it("neutralises values a spreadsheet would run as formulas", () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("a=b")).toBe("a=b");
  });

  it("exports the filtered events, newest first, and reads back to the same values", async () => {
    const actor = await createUser({ email: uniqueEmail("audit-csv"), password: "a long password" });
    const metadata = { name: 'Quote " and, comma', note: "line one\nline two", formula: "=1+1" };
    await recordAuditEvent(
      { actorId: actor.id, ip: "+1 (evil)", userAgent: '=cmd|" /C calc"!A0' },
      "server.renamed",
      { type: "server", id: "srv-1" },
      metadata,
    );
    await recordAuditEvent({ actorId: actor.id, ip: "203.0.113.9", userAgent: "@risky" }, "server.created", {
      type: "server",
      id: "srv-2",
    });
    // (The account's own "user.created" is left out by the target type.)
    const text = await readStream(exportAuditCsv({ actor: actor.email, targetType: "server" }));
    expect(text.endsWith("\r\n")).toBe(true);
    const [header, ...records] = parseCsv(text);
    expect(header).toEqual([...auditCsvColumns]);
    expect(records).toHaveLength(2);
    // Newest first: the second event recorded comes first.
    const [created, renamed] = records as [string[], string[]];
    const stored = await getDb().auditEvent.findFirstOrThrow({
      where: { actorId: actor.id, action: "server.renamed" },
    });
    expect(renamed).toEqual([
      stored.createdAt.toISOString(),
      actor.email,
      actor.id,
      "server.renamed",
      "server",
      "srv-1",
      "'+1 (evil)",
      `'=cmd|" /C calc"!A0`,
      JSON.stringify(metadata),
    ]);
    expect(JSON.parse(renamed[8]!)).toEqual(metadata);
    expect(created.slice(3, 9)).toEqual(["server.created", "server", "srv-2", "203.0.113.9", "'@risky", ""]);
    // No cell starts with a formula character.
    for (const record of records) for (const field of record) expect(field).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("streams exports larger than one batch in order", async () => {
    const actor = await createUser({ email: uniqueEmail("audit-big"), password: "a long password" });
    const base = Date.parse("2003-01-01T00:00:00Z");
    await getDb().auditEvent.createMany({
      data: Array.from({ length: 2_345 }, (_, index) => ({
        actorId: actor.id,
        action: "tool.added",
        targetType: "tool",
        targetId: `tool-${index}`,
        createdAt: new Date(base + index * 1_000),
      })),
    });
    const records = parseCsv(await readStream(exportAuditCsv({ actor: actor.email, to: "2003-12-31" })));
    expect(records).toHaveLength(2_346);
    expect(records[1]?.[5]).toBe("tool-2344");
    expect(records.at(-1)?.[5]).toBe("tool-0");
  });
});
