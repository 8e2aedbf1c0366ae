// Google Calendar, through the Calendar API v3 (https://developers.google.com/calendar/api/v3/reference):
// create, list, quick-add and delete events, and query free/busy times across calendars.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import {
  defineIntegration,
  externalCreate,
  externalDelete,
  externalRead,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import type { ApiClient } from "@/integrations/sdk/http";
import { type GoogleAuth, googleActionFor, googleApi, googleOptions } from "../google/api";
import { googleOAuth } from "../google/oauth";

const defineAction = googleActionFor();

type EventTime = { date?: string; dateTime?: string; timeZone?: string };
type CalendarEvent = {
  id: string;
  status?: string;
  htmlLink?: string;
  summary?: string;
  description?: string;
  location?: string;
  start?: EventTime;
  end?: EventTime;
  recurrence?: string[];
  attendees?: Array<{ email?: string; displayName?: string; responseStatus?: string; optional?: boolean }>;
  organizer?: { email?: string; displayName?: string };
  hangoutLink?: string;
};

const eventTime = z.object({
  date: z.string().optional(),
  dateTime: z.string().optional(),
  timeZone: z.string().optional(),
});

const event = z.object({
  id: z.string(),
  status: z.string().optional(),
  html_link: z.string().optional(),
  summary: z.string().optional(),
  description: z.string().optional(),
  location: z.string().optional(),
  start: eventTime.optional(),
  end: eventTime.optional(),
  recurrence: z.array(z.string()).optional(),
  attendees: z
    .array(z.object({ email: z.string().optional(), response_status: z.string().optional() }))
    .optional(),
  organizer: z.string().optional(),
  meet_link: z.string().optional(),
});

/** The fields people read, not Calendar's whole resource (etags, reminders, iCalUID, ...). */
function trimEvent(raw: CalendarEvent): z.infer<typeof event> {
  return {
    id: raw.id,
    ...(raw.status && { status: raw.status }),
    ...(raw.htmlLink && { html_link: raw.htmlLink }),
    ...(raw.summary !== undefined && { summary: raw.summary }),
    ...(raw.description && { description: raw.description }),
    ...(raw.location && { location: raw.location }),
    ...(raw.start && { start: raw.start }),
    ...(raw.end && { end: raw.end }),
    ...(raw.recurrence && { recurrence: raw.recurrence }),
    ...(raw.attendees && {
      attendees: raw.attendees.map((attendee) => ({
        ...(attendee.email && { email: attendee.email }),
        ...(attendee.responseStatus && { response_status: attendee.responseStatus }),
      })),
    }),
    ...(raw.organizer?.email && { organizer: raw.organizer.email }),
    ...(raw.hangoutLink && { meet_link: raw.hangoutLink }),
  };
}

const calendarPath = (calendarId: string) => `/calendars/${encodeURIComponent(calendarId)}`;

const calendarOptions: OptionsLoader<GoogleAuth> = googleOptions(async ({ http }) => {
  const list = await http.request<{
    items?: Array<{ id: string; summary?: string; summaryOverride?: string; primary?: boolean }>;
  }>("/users/me/calendarList", { query: { maxResults: 250 } });
  return (list.items ?? []).map((calendar) => ({
    value: calendar.id,
    label: `${calendar.summaryOverride ?? calendar.summary ?? calendar.id}${calendar.primary ? " (primary)" : ""}`,
  }));
});

const calendarId = z
  .string()
  .min(1)
  .default("primary")
  .describe("The calendar's id; \"primary\" is the account's main calendar.");

const sendUpdates = z
  .enum(["all", "externalOnly", "none"])
  .default("all")
  .describe(
    'Who gets an email about it: "all" guests, "externalOnly" (non-Google-Calendar guests) or "none".',
  );

const rfc3339 = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
    'A date and time with its offset, such as "2026-03-10T09:00:00Z" or "2026-03-10T09:00:00+01:00".',
  );

const whenPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;

const when = z
  .string()
  .regex(
    whenPattern,
    'A date ("2026-03-10", all day) or a date and time ("2026-03-10T09:30", or with an offset "2026-03-10T09:30:00+01:00").',
  );

type ParsedWhen = { allDay: boolean; utcMs: number; offset: string | undefined };

function parseWhen(value: string): ParsedWhen {
  const match = whenPattern.exec(value);
  if (!match) throw new ActionError(`Not a date or a date and time: ${value}`);
  const [, year, month, day, hour, minute, second, offset] = match;
  return {
    allDay: hour === undefined,
    utcMs: Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour ?? 0),
      Number(minute ?? 0),
      Number(second ?? 0),
    ),
    offset,
  };
}

/** The wall-clock time (or date) `value` shifted by `ms`, written in the same form. */
function shift(value: string, ms: number): string {
  const parsed = parseWhen(value);
  const iso = new Date(parsed.utcMs + ms).toISOString();
  return parsed.allDay ? iso.slice(0, 10) : `${iso.slice(0, 19)}${parsed.offset ?? ""}`;
}

/** Calendar's {date} for a day, {dateTime, timeZone} for a time (seconds added where left out). */
function toEventTime(value: string, timeZone: string | undefined): EventTime {
  const parsed = parseWhen(value);
  if (parsed.allDay) return { date: value };
  const dateTime = `${new Date(parsed.utcMs).toISOString().slice(0, 19)}${parsed.offset ?? ""}`;
  return { dateTime, ...(timeZone && { timeZone }) };
}

async function calendarTimeZone(http: ApiClient, id: string): Promise<string> {
  const calendar = await http.request<{ timeZone?: string }>(calendarPath(id));
  if (!calendar.timeZone) throw new ActionError("The calendar has no time zone; give time_zone.");
  return calendar.timeZone;
}

const createEvent = defineAction({
  key: "create_event",
  title: "Create event",
  description:
    "Add an event to a Google Calendar: a timed or all-day event, with guests (who get an invitation), a place, a description, a Google Meet link or a recurrence.",
  input: z.object({
    calendar_id: calendarId,
    summary: z.string().min(1).describe("The event's title."),
    start: when.describe(
      'When it starts: "2026-03-10T09:30" (in time_zone, else the calendar\'s zone), "2026-03-10T09:30:00+01:00", or "2026-03-10" for an all-day event.',
    ),
    end: when
      .optional()
      .describe(
        "When it ends, in the same form as start; one hour after start when left out (the next day for an all-day event, whose end date is exclusive).",
      ),
    time_zone: z
      .string()
      .optional()
      .describe(
        'An IANA time zone for start and end, such as "Europe/Paris"; the calendar\'s own when left out.',
      ),
    description: z.string().optional().describe("Notes for the event (HTML allowed)."),
    location: z.string().optional().describe("Where it takes place (an address or a room)."),
    attendees: z.array(z.email()).optional().describe("Guests' email addresses."),
    add_google_meet: z.boolean().default(false).describe("Whether to attach a new Google Meet video link."),
    recurrence: z
      .array(
        z.string().regex(/^(RRULE|EXRULE|RDATE|EXDATE)[:;]/, "An RFC 5545 line such as RRULE:FREQ=WEEKLY"),
      )
      .optional()
      .describe('For a repeating event, RFC 5545 lines such as "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=10".'),
    send_updates: sendUpdates,
  }),
  output: event,
  annotations: externalCreate,
  options: { calendar_id: calendarOptions },
  run: async ({ input, http }) => {
    const start = parseWhen(input.start);
    const end = input.end ?? shift(input.start, start.allDay ? 86_400_000 : 3_600_000);
    if (parseWhen(end).allDay !== start.allDay)
      throw new ActionError("start and end must both be dates (all day) or both be dates and times.");
    // A time without an offset, or a repeating event, needs a time zone: the calendar's by default.
    const needsZone =
      !start.allDay && (input.recurrence !== undefined || !start.offset || !parseWhen(end).offset);
    const timeZone =
      input.time_zone ?? (needsZone ? await calendarTimeZone(http, input.calendar_id) : undefined);
    const created = await http.request<CalendarEvent>(`${calendarPath(input.calendar_id)}/events`, {
      method: "POST",
      query: { sendUpdates: input.send_updates, ...(input.add_google_meet && { conferenceDataVersion: 1 }) },
      json: {
        summary: input.summary,
        start: toEventTime(input.start, timeZone),
        end: toEventTime(end, timeZone),
        ...(input.description && { description: input.description }),
        ...(input.location && { location: input.location }),
        ...(input.attendees && { attendees: input.attendees.map((email) => ({ email })) }),
        ...(input.recurrence && { recurrence: input.recurrence }),
        ...(input.add_google_meet && {
          conferenceData: {
            createRequest: { requestId: randomUUID(), conferenceSolutionKey: { type: "hangoutsMeet" } },
          },
        }),
      },
    });
    return trimEvent(created);
  },
});

const listEvents = defineAction({
  key: "list_events",
  title: "List events",
  description:
    "List a calendar's events in a time range (from now on by default), in start-time order, with repeating events expanded; optionally matching a text.",
  input: z.object({
    calendar_id: calendarId,
    time_min: rfc3339.optional().describe("Events ending after this time; now when left out."),
    time_max: rfc3339.optional().describe("Events starting before this time."),
    query: z
      .string()
      .optional()
      .describe("Free text to find in the events' title, description, place or guests."),
    max_results: z.number().int().min(1).max(250).default(25).describe("At most this many events."),
    time_zone: z.string().optional().describe("The IANA time zone the answer's times are written in."),
    page_token: z.string().optional().describe("The next_page_token of a previous listing, for more events."),
  }),
  output: z.object({
    events: z.array(event),
    time_zone: z.string().optional(),
    next_page_token: z.string().optional(),
  }),
  annotations: externalRead,
  options: { calendar_id: calendarOptions },
  run: async ({ input, http }) => {
    const list = await http.request<{ items?: CalendarEvent[]; timeZone?: string; nextPageToken?: string }>(
      `${calendarPath(input.calendar_id)}/events`,
      {
        query: {
          singleEvents: true,
          orderBy: "startTime",
          timeMin: input.time_min ?? new Date().toISOString(),
          timeMax: input.time_max,
          q: input.query,
          maxResults: input.max_results,
          timeZone: input.time_zone,
          pageToken: input.page_token,
        },
      },
    );
    return {
      events: (list.items ?? []).map(trimEvent),
      ...(list.timeZone && { time_zone: list.timeZone }),
      ...(list.nextPageToken && { next_page_token: list.nextPageToken }),
    };
  },
});

const quickAdd = defineAction({
  key: "quick_add",
  title: "Quick add event",
  description:
    'Create an event from a sentence, as Google Calendar\'s quick add reads it: "Lunch with Ada at Café Nero tomorrow 12:30-13:30".',
  input: z.object({
    calendar_id: calendarId,
    text: z.string().min(1).describe("The sentence describing the event: what, when, and where."),
    send_updates: sendUpdates,
  }),
  output: event,
  annotations: externalCreate,
  options: { calendar_id: calendarOptions },
  run: async ({ input, http }) =>
    trimEvent(
      await http.request<CalendarEvent>(`${calendarPath(input.calendar_id)}/events/quickAdd`, {
        method: "POST",
        query: { text: input.text, sendUpdates: input.send_updates },
      }),
    ),
});

const deleteEvent = defineAction({
  key: "delete_event",
  title: "Delete event",
  description:
    'Delete an event from a calendar (guests are told it was cancelled unless send_updates is "none").',
  input: z.object({
    calendar_id: calendarId,
    event_id: z.string().min(1).describe("The event's id (from list_events or create_event)."),
    send_updates: sendUpdates,
  }),
  output: z.object({ event_id: z.string(), deleted: z.boolean() }),
  annotations: externalDelete,
  options: { calendar_id: calendarOptions },
  run: async ({ input, http }) => {
    await http.request(`${calendarPath(input.calendar_id)}/events/${encodeURIComponent(input.event_id)}`, {
      method: "DELETE",
      query: { sendUpdates: input.send_updates },
    });
    return { event_id: input.event_id, deleted: true };
  },
});

const findFreeBusy = defineAction({
  key: "find_free_busy",
  title: "Find busy times",
  description:
    "The busy periods of one or more calendars (the account's own, or colleagues' shared with it) in a time range, to find a free slot.",
  input: z.object({
    time_min: rfc3339.describe("The start of the range."),
    time_max: rfc3339.describe("The end of the range."),
    calendar_ids: z
      .array(z.string().min(1))
      .min(1)
      .max(50)
      .default(["primary"])
      .describe("Calendar ids or people's email addresses; \"primary\" for the account's own."),
    time_zone: z.string().optional().describe("The IANA time zone of the answer's times; UTC when left out."),
  }),
  output: z.object({
    time_min: z.string(),
    time_max: z.string(),
    calendars: z.array(
      z.object({
        id: z.string(),
        busy: z.array(z.object({ start: z.string(), end: z.string() })),
        errors: z.array(z.string()).optional(),
      }),
    ),
  }),
  annotations: externalRead,
  run: async ({ input, http }) => {
    const answer = await http.request<{
      timeMin: string;
      timeMax: string;
      calendars?: Record<
        string,
        { busy?: Array<{ start: string; end: string }>; errors?: Array<{ domain?: string; reason?: string }> }
      >;
    }>("/freeBusy", {
      method: "POST",
      json: {
        timeMin: input.time_min,
        timeMax: input.time_max,
        ...(input.time_zone && { timeZone: input.time_zone }),
        items: input.calendar_ids.map((id) => ({ id })),
      },
    });
    return {
      time_min: answer.timeMin,
      time_max: answer.timeMax,
      calendars: Object.entries(answer.calendars ?? {}).map(([id, calendar]) => ({
        id,
        busy: calendar.busy ?? [],
        ...(calendar.errors &&
          calendar.errors.length > 0 && {
            errors: calendar.errors.map((error) => error.reason ?? error.domain ?? "unknown"),
          }),
      })),
    };
  },
});

export default defineIntegration<GoogleAuth>({
  slug: "google_calendar",
  name: "Google Calendar",
  description: "Create, find and delete events and check free/busy times in Google Calendar.",
  category: "Calendar",
  // calendar.events: events only (not calendars or sharing); calendar.readonly: the calendar
  // list, calendars' time zones and free/busy.
  auth: googleOAuth([
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.readonly",
  ]),
  // GOOGLE_CALENDAR_API_URL is the natural name, but the platform's setting names allow no
  // underscore before _API_URL (see env.ts); hence GOOGLE_CALENDAR_API_URL.
  api: googleApi("https://www.googleapis.com/calendar/v3", "GOOGLE_CALENDAR_API_URL"),
  test: async ({ http }) => {
    const primary = await http.request<{ id?: string; summary?: string }>(calendarPath("primary"));
    return { account: primary.id ?? primary.summary };
  },
  actions: [createEvent, listEvents, quickAdd, deleteEvent, findFreeBusy],
});
