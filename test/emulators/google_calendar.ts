// The Google Calendar API v3 as its reference describes it
// (https://developers.google.com/calendar/api/v3/reference), under /calendar/v3: calendars, the
// calendar list, events (insert, list, quickAdd, delete) and freeBusy, with Calendar's checks on
// times (a zone for offset-less times and repeating events, a non-empty range, ordering by start
// time only for single events).
import { z } from "zod";
import { checkBody, type EmulatedRequest, type Reply, route } from "./emulator";
import { googleError, requireJson, startGoogleEmulator } from "./google";

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const naiveDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/;

const eventTime = z
  .object({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    dateTime: z.string().optional(),
    timeZone: z.string().optional(),
  })
  .strict();

const newEvent = z
  .object({
    summary: z.string().optional(),
    description: z.string().optional(),
    location: z.string().optional(),
    start: eventTime,
    end: eventTime,
    attendees: z.array(z.object({ email: z.email() }).passthrough()).optional(),
    recurrence: z.array(z.string()).optional(),
    conferenceData: z
      .object({
        createRequest: z.object({
          requestId: z.string().min(1),
          conferenceSolutionKey: z.object({ type: z.enum(["hangoutsMeet", "eventHangout", "addOn"]) }),
        }),
      })
      .optional(),
  })
  .strict();

type EventFields = {
  summary?: string;
  description?: string;
  location?: string;
  start: { date?: string; dateTime?: string; timeZone?: string };
  end: { date?: string; dateTime?: string; timeZone?: string };
} & Record<string, unknown>;

type StoredEvent = EventFields & { id: string; status: string; calendarId: string };

const timeProblem = (which: "start" | "end", time: z.infer<typeof eventTime>, recurring: boolean) => {
  if ((time.date === undefined) === (time.dateTime === undefined))
    return `Invalid ${which} time: give exactly one of date and dateTime.`;
  if (time.dateTime !== undefined) {
    if (!rfc3339.test(time.dateTime) && !naiveDateTime.test(time.dateTime)) return `Invalid ${which} time.`;
    if (naiveDateTime.test(time.dateTime) && !time.timeZone)
      return `Missing time zone definition for ${which} time.`;
  }
  if (recurring && !time.timeZone && time.dateTime !== undefined)
    return `Missing time zone definition for ${which} time.`;
  return undefined;
};

/** Milliseconds `timeZone` is ahead of UTC at `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(utcMs))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** An event time as an instant: offset-less times are read in their zone, dates as UTC midnight. */
function instant(time: { date?: string; dateTime?: string; timeZone?: string }): number {
  if (time.date) return Date.parse(`${time.date}T00:00:00Z`);
  const value = time.dateTime ?? "";
  if (!naiveDateTime.test(value)) return Date.parse(value);
  const asUtc = Date.parse(`${value}Z`);
  return asUtc - zoneOffsetMs(asUtc, time.timeZone ?? "UTC");
}

const sendUpdatesValues = ["all", "externalOnly", "none"];

function checkSendUpdates(request: EmulatedRequest): Reply | undefined {
  const value = request.query.get("sendUpdates");
  return value === null || sendUpdatesValues.includes(value)
    ? undefined
    : googleError(400, `Invalid value for: sendUpdates (${value})`, "invalidParameter");
}

export async function startGoogleCalendarEmulator() {
  const calendars = [
    {
      id: "ada@example.com",
      summary: "ada@example.com",
      timeZone: "Europe/Paris",
      primary: true,
      accessRole: "owner",
    },
    {
      id: "c_team42@group.calendar.google.com",
      summary: "Team",
      timeZone: "Europe/London",
      accessRole: "writer",
    },
  ];
  const resolve = (id: string) =>
    calendars.find((calendar) => calendar.id === (id === "primary" ? "ada@example.com" : id));
  const events = new Map<string, StoredEvent>();
  const deleted = new Set<string>();
  let nextId = 1;

  function insert(calendarId: string, fields: EventFields): StoredEvent {
    const id = `evt${String(nextId++).padStart(6, "0")}`;
    const stored: StoredEvent = {
      kind: "calendar#event",
      etag: `"3${id}"`,
      id,
      status: "confirmed",
      htmlLink: `https://www.google.com/calendar/event?eid=${Buffer.from(`${id} ${calendarId}`).toString("base64url")}`,
      organizer: { email: calendarId, self: true },
      creator: { email: "ada@example.com", self: true },
      created: "2026-01-01T10:00:00.000Z",
      updated: "2026-01-01T10:00:00.000Z",
      iCalUID: `${id}@google.com`,
      reminders: { useDefault: true },
      calendarId,
      ...fields,
    };
    events.set(id, stored);
    return stored;
  }
  const view = ({ calendarId: _calendarId, ...rest }: StoredEvent) => rest;

  insert("ada@example.com", {
    summary: "Standup",
    start: { dateTime: "2026-03-10T09:00:00+01:00", timeZone: "Europe/Paris" },
    end: { dateTime: "2026-03-10T09:15:00+01:00", timeZone: "Europe/Paris" },
  });
  insert("ada@example.com", {
    summary: "Design review",
    location: "Room 4",
    start: { dateTime: "2026-03-10T14:00:00+01:00", timeZone: "Europe/Paris" },
    end: { dateTime: "2026-03-10T15:00:00+01:00", timeZone: "Europe/Paris" },
  });

  return startGoogleEmulator({
    name: "google_calendar",
    routes: [
      route("GET", "/calendar/v3/calendars/:calendarId", (_request, params) => {
        const calendar = resolve(params.calendarId ?? "");
        if (!calendar) return googleError(404, "Not Found");
        return {
          json: {
            kind: "calendar#calendar",
            id: calendar.id,
            summary: calendar.summary,
            timeZone: calendar.timeZone,
          },
        };
      }),
      route("GET", "/calendar/v3/users/me/calendarList", () => ({
        json: {
          kind: "calendar#calendarList",
          items: calendars.map((calendar) => ({ kind: "calendar#calendarListEntry", ...calendar })),
        },
      })),
      route("POST", "/calendar/v3/calendars/:calendarId/events/quickAdd", (request, params) => {
        if (
          request.headers["content-length"] === undefined &&
          request.headers["transfer-encoding"] === undefined
        )
          return googleError(411, "Length Required");
        const calendar = resolve(params.calendarId ?? "");
        if (!calendar) return googleError(404, "Not Found");
        const text = request.query.get("text");
        if (!text) return googleError(400, "Required parameter: text", "required");
        const updates = checkSendUpdates(request);
        if (updates) return updates;
        return {
          json: view(
            insert(calendar.id, {
              summary: text.replace(/\s+(tomorrow|today).*$/i, ""),
              start: { dateTime: "2026-03-11T12:30:00+01:00" },
              end: { dateTime: "2026-03-11T13:30:00+01:00" },
            }),
          ),
        };
      }),
      route("POST", "/calendar/v3/calendars/:calendarId/events", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const calendar = resolve(params.calendarId ?? "");
        if (!calendar) return googleError(404, "Not Found");
        const updates = checkSendUpdates(request);
        if (updates) return updates;
        const checked = checkBody(request, newEvent, (problem) => googleError(400, problem, "invalid"));
        if (!checked.ok) return checked.reply;
        const { conferenceData, ...body } = checked.body;
        const recurring = (body.recurrence ?? []).length > 0;
        const problem =
          timeProblem("start", body.start, recurring) ?? timeProblem("end", body.end, recurring);
        if (problem) return googleError(400, problem, "invalid");
        if (instant(body.end) <= instant(body.start))
          return googleError(400, "The specified time range is empty.", "timeRangeEmpty");
        const withMeet = conferenceData && request.query.get("conferenceDataVersion") === "1";
        const stored = insert(calendar.id, {
          ...body,
          ...(body.attendees && {
            attendees: body.attendees.map((attendee) => ({ ...attendee, responseStatus: "needsAction" })),
          }),
          ...(withMeet && {
            hangoutLink: "https://meet.google.com/abc-defg-hij",
            conferenceData: { conferenceId: "abc-defg-hij", createRequest: conferenceData.createRequest },
          }),
        });
        return { json: view(stored) };
      }),
      route("GET", "/calendar/v3/calendars/:calendarId/events", (request, params) => {
        const calendar = resolve(params.calendarId ?? "");
        if (!calendar) return googleError(404, "Not Found");
        if (request.query.get("orderBy") === "startTime" && request.query.get("singleEvents") !== "true")
          return googleError(
            400,
            "The requested ordering is not available for the particular query.",
            "badRequest",
          );
        const timeMin = request.query.get("timeMin");
        const timeMax = request.query.get("timeMax");
        if ((timeMin && !rfc3339.test(timeMin)) || (timeMax && !rfc3339.test(timeMax)))
          return googleError(400, "Bad Request", "badRequest");
        const maxResults = Number(request.query.get("maxResults") ?? 250);
        const q = request.query.get("q")?.toLowerCase();
        const found = [...events.values()]
          .filter((stored) => stored.calendarId === calendar.id)
          .filter((stored) => !timeMin || instant(stored.end) > Date.parse(timeMin))
          .filter((stored) => !timeMax || instant(stored.start) < Date.parse(timeMax))
          .filter(
            (stored) =>
              !q ||
              `${stored.summary ?? ""} ${stored.description ?? ""} ${stored.location ?? ""}`
                .toLowerCase()
                .includes(q),
          )
          .sort((a, b) => instant(a.start) - instant(b.start));
        return {
          json: {
            kind: "calendar#events",
            summary: calendar.summary,
            timeZone: calendar.timeZone,
            items: found.slice(0, maxResults).map(view),
            ...(found.length > maxResults && { nextPageToken: "CigKGjRwZmVkZW1vdGVzdA" }),
          },
        };
      }),
      route("DELETE", "/calendar/v3/calendars/:calendarId/events/:eventId", (request, params) => {
        const updates = checkSendUpdates(request);
        if (updates) return updates;
        const id = params.eventId ?? "";
        if (deleted.has(id)) return googleError(410, "Resource has been deleted", "deleted");
        const stored = events.get(id);
        if (!stored || stored.calendarId !== resolve(params.calendarId ?? "")?.id)
          return googleError(404, "Not Found");
        events.delete(id);
        deleted.add(id);
        return { status: 204 };
      }),
      route("POST", "/calendar/v3/freeBusy", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(
          request,
          z.object({
            timeMin: z.string().regex(rfc3339),
            timeMax: z.string().regex(rfc3339),
            timeZone: z.string().optional(),
            items: z.array(z.object({ id: z.string() })).min(1),
          }),
          (problem) => googleError(400, problem, "invalid"),
        );
        if (!checked.ok) return checked.reply;
        const { timeMin, timeMax, items } = checked.body;
        if (Date.parse(timeMax) <= Date.parse(timeMin))
          return googleError(400, "The specified time range is empty.", "timeRangeEmpty");
        const answer: Record<string, unknown> = {};
        for (const { id } of items) {
          const calendar = resolve(id);
          answer[id] = calendar
            ? {
                busy: [...events.values()]
                  .filter((stored) => stored.calendarId === calendar.id && stored.start.dateTime)
                  .filter(
                    (stored) =>
                      instant(stored.end) > Date.parse(timeMin) &&
                      instant(stored.start) < Date.parse(timeMax),
                  )
                  .sort((a, b) => instant(a.start) - instant(b.start))
                  .map((stored) => ({
                    start: new Date(instant(stored.start)).toISOString().replace(".000", ""),
                    end: new Date(instant(stored.end)).toISOString().replace(".000", ""),
                  })),
              }
            : { errors: [{ domain: "global", reason: "notFound" }], busy: [] };
        }
        return { json: { kind: "calendar#freeBusy", timeMin, timeMax, calendars: answer } };
      }),
    ],
  });
}
