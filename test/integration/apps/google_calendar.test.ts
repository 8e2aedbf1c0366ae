// Google Calendar's actions through the real worker path against its emulator: events in the
// calendar's own time zone, all-day events, Meet links, quick add, deletion, free/busy; plus the
// connection test, calendar choices, Calendar's errors and its 403 rate limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulators/emulator";
import { googleAccessToken, googleError, googleRefreshToken } from "../../emulators/google";
import { startGoogleCalendarEmulator } from "../../emulators/google_calendar";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

beforeAll(async () => {
  emulator = await startGoogleCalendarEmulator();
  harness = await startAppHarness({ GOOGLE_CALENDAR_API_URL: `${emulator.url}/calendar/v3` });
  connectionId = await harness.connectWithTokens("google_calendar", {
    accessToken: googleAccessToken,
    refreshToken: googleRefreshToken,
    expiresAt: Date.now() + 3_600_000,
  });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Google Calendar", () => {
  it("creates a timed event in the calendar's zone, with guests and a Meet link", async () => {
    const result = await harness.call("google_calendar", "create_event", {
      summary: "Planning",
      start: "2026-03-10T10:30",
      attendees: ["grace@example.com"],
      location: "Room 4",
      add_google_meet: true,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.structured).toMatchObject({
      summary: "Planning",
      start: { dateTime: "2026-03-10T10:30:00", timeZone: "Europe/Paris" },
      end: { dateTime: "2026-03-10T11:30:00", timeZone: "Europe/Paris" },
      attendees: [{ email: "grace@example.com", response_status: "needsAction" }],
      meet_link: "https://meet.google.com/abc-defg-hij",
      organizer: "ada@example.com",
    });
    // The calendar's time zone was read first, as the time had no offset.
    expect(emulator.requestsTo("GET /calendar/v3/calendars/:calendarId").at(-1)?.path).toBe(
      "/calendar/v3/calendars/primary",
    );
    const request = emulator.requestsTo("POST /calendar/v3/calendars/:calendarId/events").at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${googleAccessToken}`);
    expect(request?.path).toBe("/calendar/v3/calendars/primary/events");
    expect(request?.query.get("sendUpdates")).toBe("all");
    expect(request?.query.get("conferenceDataVersion")).toBe("1");
    expect(request?.body).toEqual({
      summary: "Planning",
      start: { dateTime: "2026-03-10T10:30:00", timeZone: "Europe/Paris" },
      end: { dateTime: "2026-03-10T11:30:00", timeZone: "Europe/Paris" },
      location: "Room 4",
      attendees: [{ email: "grace@example.com" }],
      conferenceData: {
        createRequest: { requestId: expect.any(String), conferenceSolutionKey: { type: "hangoutsMeet" } },
      },
    });
  });

  it("creates an all-day event on another calendar without reading its zone", async () => {
    const reads = emulator.requestsTo("GET /calendar/v3/calendars/:calendarId").length;
    const result = await harness.call("google_calendar", "create_event", {
      calendar_id: "c_team42@group.calendar.google.com",
      summary: "Offsite",
      start: "2026-03-12",
      send_updates: "none",
    });
    expect(result.isError, result.text).toBe(false);
    const request = emulator.requestsTo("POST /calendar/v3/calendars/:calendarId/events").at(-1);
    expect(request?.path).toBe("/calendar/v3/calendars/c_team42%40group.calendar.google.com/events");
    expect(request?.body).toEqual({
      summary: "Offsite",
      start: { date: "2026-03-12" },
      end: { date: "2026-03-13" },
    });
    expect(request?.query.get("sendUpdates")).toBe("none");
    expect(emulator.requestsTo("GET /calendar/v3/calendars/:calendarId").length).toBe(reads);
  });

  it("lists events in start order, repeating ones expanded", async () => {
    const result = await harness.call("google_calendar", "list_events", {
      time_min: "2026-03-10T00:00:00+01:00",
      time_max: "2026-03-11T00:00:00+01:00",
    });
    expect(result.isError, result.text).toBe(false);
    const output = result.output as { events: Array<{ summary: string }>; time_zone: string };
    expect(output.events.map((item) => item.summary)).toEqual(["Standup", "Planning", "Design review"]);
    expect(output.time_zone).toBe("Europe/Paris");
    const request = emulator.requestsTo("GET /calendar/v3/calendars/:calendarId/events").at(-1);
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      singleEvents: "true",
      orderBy: "startTime",
      timeMin: "2026-03-10T00:00:00+01:00",
      timeMax: "2026-03-11T00:00:00+01:00",
      maxResults: "25",
    });
    const searched = await harness.call("google_calendar", "list_events", {
      time_min: "2026-03-01T00:00:00Z",
      query: "review",
    });
    expect((searched.output as { events: Array<{ location?: string }> }).events).toEqual([
      expect.objectContaining({ summary: "Design review", location: "Room 4" }),
    ]);
  });

  it("quick-adds an event from a sentence, with no body", async () => {
    const result = await harness.call("google_calendar", "quick_add", {
      text: "Lunch with Grace tomorrow 12:30-13:30",
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({ summary: "Lunch with Grace", status: "confirmed" });
    const request = emulator.requestsTo("POST /calendar/v3/calendars/:calendarId/events/quickAdd").at(-1);
    expect(request?.query.get("text")).toBe("Lunch with Grace tomorrow 12:30-13:30");
    expect(request?.rawBody).toBe("");
  });

  it("deletes an event; deleting it again reports Calendar's 410", async () => {
    const created = await harness.call("google_calendar", "quick_add", { text: "Dentist" });
    const eventId = (created.output as { id: string }).id;
    const result = await harness.call("google_calendar", "delete_event", {
      event_id: eventId,
      send_updates: "none",
    });
    expect(result.output).toEqual({ event_id: eventId, deleted: true });
    const request = emulator.requestsTo("DELETE /calendar/v3/calendars/:calendarId/events/:eventId").at(-1);
    expect(request?.path).toBe(`/calendar/v3/calendars/primary/events/${eventId}`);
    expect(request?.query.get("sendUpdates")).toBe("none");
    const again = await harness.call("google_calendar", "delete_event", { event_id: eventId });
    expect(again.isError).toBe(true);
    expect(again.text).toBe(
      "Google Calendar refused the request (HTTP 410): Resource has been deleted (deleted)",
    );
  });

  it("finds busy times of several calendars", async () => {
    const result = await harness.call("google_calendar", "find_free_busy", {
      time_min: "2026-03-10T08:00:00Z",
      time_max: "2026-03-10T18:00:00Z",
      calendar_ids: ["primary", "nobody@example.com"],
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      time_min: "2026-03-10T08:00:00Z",
      time_max: "2026-03-10T18:00:00Z",
      calendars: [
        {
          id: "primary",
          busy: [
            { start: "2026-03-10T08:00:00Z", end: "2026-03-10T08:15:00Z" },
            { start: "2026-03-10T09:30:00Z", end: "2026-03-10T10:30:00Z" },
            { start: "2026-03-10T13:00:00Z", end: "2026-03-10T14:00:00Z" },
          ],
        },
        { id: "nobody@example.com", busy: [], errors: ["notFound"] },
      ],
    });
    expect(emulator.requestsTo("POST /calendar/v3/freeBusy").at(-1)?.body).toEqual({
      timeMin: "2026-03-10T08:00:00Z",
      timeMax: "2026-03-10T18:00:00Z",
      items: [{ id: "primary" }, { id: "nobody@example.com" }],
    });
  });

  it("reports Calendar's refusal of an empty time range, once", async () => {
    const before = emulator.requestsTo("POST /calendar/v3/calendars/:calendarId/events").length;
    const result = await harness.call("google_calendar", "create_event", {
      summary: "Backwards",
      start: "2026-03-10T10:00:00Z",
      end: "2026-03-10T09:00:00Z",
    });
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      "Google Calendar refused the request (HTTP 400): The specified time range is empty. (INVALID_ARGUMENT, timeRangeEmpty)",
    );
    expect(emulator.requestsTo("POST /calendar/v3/calendars/:calendarId/events").length).toBe(before + 1);
  });

  it("waits out Calendar's 403 rateLimitExceeded and tries again", async () => {
    emulator.injectOnce(
      googleError(403, "Rate Limit Exceeded", "rateLimitExceeded"),
      "GET /calendar/v3/calendars/:calendarId/events",
    );
    const before = emulator.requestsTo("GET /calendar/v3/calendars/:calendarId/events").length;
    const started = Date.now();
    const result = await harness.call("google_calendar", "list_events", { time_min: "2026-03-01T00:00:00Z" });
    expect(result.isError, result.text).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(emulator.requestsTo("GET /calendar/v3/calendars/:calendarId/events").length).toBe(before + 2);
  }, 30_000);

  it("tests the connection and lists calendars as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    expect(await harness.options("google_calendar", "create_event", "calendar_id")).toEqual([
      { value: "ada@example.com", label: "ada@example.com (primary)" },
      { value: "c_team42@group.calendar.google.com", label: "Team" },
    ]);
  });
});
