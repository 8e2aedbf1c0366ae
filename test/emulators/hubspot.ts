// HubSpot's CRM v3 as its reference describes it (https://developers.hubspot.com/docs/api/crm/understanding-the-crm):
// a private app token as a bearer token, JSON bodies of `{properties, associations}`, records of
// `{id, properties, createdAt, updatedAt, archived}`, and errors as
// `{status: "error", message, correlationId, category}` (429s with the X-HubSpot-RateLimit-* headers).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { bearerToken, checkBody, type EmulatedRequest, type Reply, route, startEmulator } from "./emulator";

export const hubspotToken = "pat-na1-11111111-2222-3333-4444-555555555555";
export const hubspotPortalId = 24681357;

export function hubspotError(status: number, category: string, message: string, extra = {}): Reply {
  return { status, json: { status: "error", message, correlationId: randomUUID(), category, ...extra } };
}

/** The 429 HubSpot sends past the ten-second burst limit, with its rate-limit headers. */
export function hubspotRateLimited(): Reply {
  return {
    status: 429,
    headers: {
      "x-hubspot-ratelimit-interval-milliseconds": "10000",
      "x-hubspot-ratelimit-max": "100",
      "x-hubspot-ratelimit-remaining": "0",
      "x-hubspot-ratelimit-daily": "250000",
      "x-hubspot-ratelimit-daily-remaining": "249000",
    },
    json: {
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      correlationId: randomUUID(),
      policyName: "TEN_SECONDLY_ROLLING",
    },
  };
}

const properties = z.record(z.string(), z.string());
const association = z.object({
  to: z.object({ id: z.string() }),
  types: z
    .array(
      z.object({
        associationCategory: z.enum(["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"]),
        associationTypeId: z.number().int(),
      }),
    )
    .min(1),
});
const createBody = z.object({ properties, associations: z.array(association).optional() }).strict();

const filter = z
  .object({
    propertyName: z.string(),
    operator: z.enum([
      "EQ",
      "NEQ",
      "LT",
      "LTE",
      "GT",
      "GTE",
      "BETWEEN",
      "IN",
      "NOT_IN",
      "HAS_PROPERTY",
      "NOT_HAS_PROPERTY",
      "CONTAINS_TOKEN",
      "NOT_CONTAINS_TOKEN",
    ]),
    value: z.string().optional(),
    highValue: z.string().optional(),
    values: z.array(z.string()).optional(),
  })
  .strict();
const searchBody = z
  .object({
    query: z.string().optional(),
    filterGroups: z
      .array(z.object({ filters: z.array(filter).max(6) }).strict())
      .max(5)
      .optional(),
    properties: z.array(z.string()).optional(),
    sorts: z
      .array(z.object({ propertyName: z.string(), direction: z.enum(["ASCENDING", "DESCENDING"]) }))
      .optional(),
    limit: z.number().int().min(1).max(200).optional(),
    after: z.string().optional(),
  })
  .strict();

const lifecycleStages = new Set([
  "subscriber",
  "lead",
  "marketingqualifiedlead",
  "salesqualifiedlead",
  "opportunity",
  "customer",
  "evangelist",
  "other",
]);

/**
 * The account's owners (its users): three people, then enough of a sales team that a list of
 * 100 a page (the loader's) takes two pages. GET /crm/v3/owners pages them with `after`.
 */
export const hubspotOwners = [
  { id: "41629779", email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
  { id: "41629780", email: "grace@example.com", firstName: "Grace", lastName: "Hopper" },
  { id: "41629781", email: "nobody-named@example.com", firstName: "", lastName: "" },
  ...Array.from({ length: 100 }, (_, index) => ({
    id: String(51_000_000 + index),
    email: `seller${index}@example.com`,
    firstName: "Seller",
    lastName: String(index),
  })),
].map((owner) => ({ ...owner, userId: Number(owner.id) + 1, archived: false, teams: [] }));
const archivedOwner = {
  id: "41629799",
  email: "gone@example.com",
  firstName: "Gone",
  lastName: "Away",
  userId: 41629800,
  archived: true,
  teams: [],
};

function listOwners(request: EmulatedRequest): Reply {
  // As HubSpot documents it: limit 1-500 (default 100), `after` from the previous page's paging.
  const limit = Number(request.query.get("limit") ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    return hubspotError(
      400,
      "VALIDATION_ERROR",
      `limit must be between 1 and 500, got ${request.query.get("limit")}`,
    );
  const archived = request.query.get("archived") === "true";
  const owners = archived ? [archivedOwner] : hubspotOwners;
  const start = Number(request.query.get("after") ?? 0);
  const results = owners.slice(start, start + limit);
  const next = start + limit < owners.length ? String(start + limit) : undefined;
  return {
    json: {
      results,
      ...(next && {
        paging: { next: { after: next, link: `https://api.hubapi.com/crm/v3/owners?after=${next}` } },
      }),
    },
  };
}

const pipelines = [
  {
    id: "default",
    label: "Sales Pipeline",
    displayOrder: 0,
    archived: false,
    stages: [
      {
        id: "appointmentscheduled",
        label: "Appointment Scheduled",
        displayOrder: 0,
        archived: false,
        metadata: { probability: "0.2", isClosed: "false" },
      },
      {
        id: "closedwon",
        label: "Closed Won",
        displayOrder: 1,
        archived: false,
        metadata: { probability: "1.0", isClosed: "true" },
      },
    ],
  },
  {
    id: "75e28846-ad0d-4be2-a027-5e1da6590b98",
    label: "Renewals",
    displayOrder: 1,
    archived: false,
    stages: [
      {
        id: "1111",
        label: "Up for renewal",
        displayOrder: 0,
        archived: false,
        metadata: { probability: "0.5", isClosed: "false" },
      },
    ],
  },
];

type StoredRecord = {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  associations: Array<{ id: string; typeId: number }>;
};

function requireJson(request: EmulatedRequest): Reply | undefined {
  if (request.contentType.startsWith("application/json")) return undefined;
  return hubspotError(
    415,
    "VALIDATION_ERROR",
    `HTTP 415 Unsupported Media Type - Content-Type '${request.contentType || "none"}' is not supported`,
  );
}

function invalid(problem: string): Reply {
  return hubspotError(400, "VALIDATION_ERROR", `Invalid input JSON on line 1, column 1: ${problem}`);
}

function view(record: StoredRecord, wanted?: string[]) {
  const properties = wanted
    ? Object.fromEntries(wanted.map((name) => [name, record.properties[name] ?? null]))
    : record.properties;
  return {
    id: record.id,
    properties: { ...properties, hs_object_id: record.id },
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: record.archived,
  };
}

function matches(record: StoredRecord, filters: z.infer<typeof filter>[]): boolean {
  return filters.every(({ propertyName, operator, value, values }) => {
    const actual = record.properties[propertyName] ?? null;
    switch (operator) {
      case "EQ":
        return actual?.toLowerCase() === value?.toLowerCase();
      case "NEQ":
        return actual?.toLowerCase() !== value?.toLowerCase();
      case "IN":
        return (
          actual !== null && (values ?? []).map((item) => item.toLowerCase()).includes(actual.toLowerCase())
        );
      case "HAS_PROPERTY":
        return actual !== null && actual !== "";
      case "NOT_HAS_PROPERTY":
        return actual === null || actual === "";
      case "CONTAINS_TOKEN":
        return actual?.toLowerCase().includes((value ?? "").replaceAll("*", "").toLowerCase());
      default:
        return true;
    }
  });
}

export async function startHubspotEmulator() {
  const contacts = new Map<string, StoredRecord>();
  const deals = new Map<string, StoredRecord>();
  const notes = new Map<string, StoredRecord>();
  const companies = new Set(["9001"]);
  let nextId = 101;

  function create(
    into: Map<string, StoredRecord>,
    props: Record<string, string>,
    associations: StoredRecord["associations"],
  ) {
    const now = new Date().toISOString();
    const id = String(nextId++);
    const record: StoredRecord = {
      id,
      properties: { createdate: now, lastmodifieddate: now, ...props },
      createdAt: now,
      updatedAt: now,
      archived: false,
      associations,
    };
    into.set(id, record);
    return record;
  }

  /** Checks each association's target exists and its type fits (HubSpot's defaults only). */
  function checkAssociations(
    associations: z.infer<typeof association>[] | undefined,
    allowed: Record<number, (id: string) => boolean>,
  ): { ok: true; list: StoredRecord["associations"] } | { ok: false; reply: Reply } {
    const list: StoredRecord["associations"] = [];
    for (const entry of associations ?? []) {
      for (const type of entry.types) {
        const exists = allowed[type.associationTypeId];
        if (!exists)
          return {
            ok: false,
            reply: hubspotError(
              400,
              "VALIDATION_ERROR",
              `${type.associationTypeId} is not a valid association type id for this object pair.`,
            ),
          };
        if (!exists(entry.to.id))
          return {
            ok: false,
            reply: hubspotError(
              400,
              "VALIDATION_ERROR",
              `No object with id ${entry.to.id} to associate with.`,
            ),
          };
        list.push({ id: entry.to.id, typeId: type.associationTypeId });
      }
    }
    return { ok: true, list };
  }

  function validateContactProperties(props: Record<string, string>): Reply | undefined {
    const stage = props.lifecyclestage;
    if (stage !== undefined && !lifecycleStages.has(stage))
      return hubspotError(
        400,
        "VALIDATION_ERROR",
        `Property values were not valid: [{"isValid":false,"message":"${stage} was not one of the allowed options","error":"INVALID_OPTION","name":"lifecyclestage"}]`,
      );
    if (props.email) {
      const existing = [...contacts.values()].find(
        (contact) => contact.properties.email?.toLowerCase() === props.email?.toLowerCase(),
      );
      if (existing)
        return hubspotError(409, "CONFLICT", `Contact already exists. Existing ID: ${existing.id}`);
    }
    return undefined;
  }

  const emulator = await startEmulator({
    name: "hubspot",
    authenticate: (request) =>
      bearerToken(request) === hubspotToken
        ? undefined
        : hubspotError(
            401,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
          ),
    notFound: () => hubspotError(404, "OBJECT_NOT_FOUND", "resource not found"),
    routes: [
      route("GET", "/account-info/v3/details", () => ({
        json: {
          portalId: hubspotPortalId,
          accountType: "STANDARD",
          timeZone: "Europe/Paris",
          companyCurrency: "EUR",
          additionalCurrencies: [],
          utcOffset: "+01:00",
          utcOffsetMilliseconds: 3_600_000,
          uiDomain: "app-eu1.hubspot.com",
          dataHostingLocation: "eu1",
        },
      })),
      route("GET", "/crm/v3/pipelines/deals", () => ({ json: { results: pipelines } })),
      route("GET", "/crm/v3/owners", listOwners),
      route("POST", "/crm/v3/objects/contacts", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, createBody, invalid);
        if (!checked.ok) return checked.reply;
        const problem = validateContactProperties(checked.body.properties);
        if (problem) return problem;
        const linked = checkAssociations(checked.body.associations, { 279: (id) => companies.has(id) });
        if (!linked.ok) return linked.reply;
        return { status: 201, json: view(create(contacts, checked.body.properties, linked.list)) };
      }),
      route("PATCH", "/crm/v3/objects/contacts/:id", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, z.object({ properties }).strict(), invalid);
        if (!checked.ok) return checked.reply;
        const idProperty = request.query.get("idProperty");
        if (idProperty && idProperty !== "email" && idProperty !== "hs_object_id")
          return hubspotError(400, "VALIDATION_ERROR", `${idProperty} is not a unique identifier property.`);
        const contact =
          idProperty === "email"
            ? [...contacts.values()].find(
                (candidate) => candidate.properties.email?.toLowerCase() === params.id?.toLowerCase(),
              )
            : contacts.get(params.id ?? "");
        if (!contact) return hubspotError(404, "OBJECT_NOT_FOUND", "resource not found");
        const { email, ...rest } = checked.body.properties;
        const problem = validateContactProperties({
          ...rest,
          ...(email && email !== contact.properties.email && { email }),
        });
        if (problem) return problem;
        contact.properties = {
          ...contact.properties,
          ...checked.body.properties,
          lastmodifieddate: new Date().toISOString(),
        };
        contact.updatedAt = new Date().toISOString();
        return { json: view(contact) };
      }),
      route("POST", "/crm/v3/objects/contacts/search", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, searchBody, invalid);
        if (!checked.ok) return checked.reply;
        const { query, filterGroups = [], limit = 10, after, sorts } = checked.body;
        const total = filterGroups.reduce((sum, group) => sum + group.filters.length, 0);
        if (total > 18)
          return hubspotError(
            400,
            "VALIDATION_ERROR",
            "There is a maximum of 18 filters across all filter groups.",
          );
        const searchable = ["email", "firstname", "lastname", "phone", "company"];
        let found = [...contacts.values()].filter(
          (contact) =>
            (!query ||
              searchable.some((name) =>
                contact.properties[name]?.toLowerCase().includes(query.toLowerCase()),
              )) &&
            (filterGroups.length === 0 || filterGroups.some((group) => matches(contact, group.filters))),
        );
        const sort = sorts?.[0];
        if (sort)
          found = found.sort(
            (a, b) =>
              String(a.properties[sort.propertyName] ?? "").localeCompare(
                String(b.properties[sort.propertyName] ?? ""),
              ) * (sort.direction === "ASCENDING" ? 1 : -1),
          );
        const start = Number(after ?? 0);
        const page = found.slice(start, start + limit);
        const wanted = checked.body.properties ?? [
          "createdate",
          "email",
          "firstname",
          "lastmodifieddate",
          "lastname",
        ];
        return {
          json: {
            total: found.length,
            results: page.map((contact) => view(contact, wanted)),
            ...(start + limit < found.length && {
              paging: { next: { after: String(start + limit), link: `?after=${start + limit}` } },
            }),
          },
        };
      }),
      route("POST", "/crm/v3/objects/deals", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, createBody, invalid);
        if (!checked.ok) return checked.reply;
        const props: Record<string, string> = { pipeline: "default", ...checked.body.properties };
        const pipeline = pipelines.find((candidate) => candidate.id === props.pipeline);
        if (!pipeline)
          return hubspotError(
            400,
            "VALIDATION_ERROR",
            `Property values were not valid: pipeline ${props.pipeline} does not exist`,
          );
        if (!props.dealstage || !pipeline.stages.some((stage) => stage.id === props.dealstage))
          return hubspotError(
            400,
            "VALIDATION_ERROR",
            `Property values were not valid: [{"isValid":false,"message":"${props.dealstage ?? ""} is not a valid dealstage for pipeline ${pipeline.id}","error":"INVALID_OPTION","name":"dealstage"}]`,
          );
        if (props.amount !== undefined && Number.isNaN(Number(props.amount)))
          return hubspotError(
            400,
            "VALIDATION_ERROR",
            `Property values were not valid: amount "${props.amount}" is not a number`,
          );
        const linked = checkAssociations(checked.body.associations, {
          3: (id) => contacts.has(id),
          5: (id) => companies.has(id),
        });
        if (!linked.ok) return linked.reply;
        return { status: 201, json: view(create(deals, props, linked.list)) };
      }),
      route("POST", "/crm/v3/objects/notes", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, createBody, invalid);
        if (!checked.ok) return checked.reply;
        const timestamp = checked.body.properties.hs_timestamp;
        if (!timestamp || (Number.isNaN(Date.parse(timestamp)) && !/^\d+$/.test(timestamp)))
          return hubspotError(
            400,
            "VALIDATION_ERROR",
            'Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required","error":"REQUIRED_PROPERTY","name":"hs_timestamp"}]',
          );
        const linked = checkAssociations(checked.body.associations, {
          202: (id) => contacts.has(id),
          214: (id) => deals.has(id),
          190: (id) => companies.has(id),
        });
        if (!linked.ok) return linked.reply;
        return { status: 201, json: view(create(notes, checked.body.properties, linked.list)) };
      }),
    ],
  });
  return { ...emulator, contacts, deals, notes };
}
