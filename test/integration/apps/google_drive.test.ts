// Google Drive's actions through the real worker path against its emulator: queries built from
// the fields, folders, a multipart/related upload read back part by part, sharing, reading Docs
// (export) and text files (download); plus the connection test, folder choices and Drive's errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../emulators/emulator";
import { googleAccessToken, googleRefreshToken } from "../../emulators/google";
import { startGoogleDriveEmulator } from "../../emulators/google_drive";
import { type AppHarness, startAppHarness } from "../../helpers/app-harness";

let emulator: Emulator;
let harness: AppHarness;
let connectionId: string;

const projects = "1001DrvEmuL8tQxZ";
const meetingNotes = "1003DrvEmuL8tQxZ";
const configJson = "1004DrvEmuL8tQxZ";
const scanPdf = "1005DrvEmuL8tQxZ";

beforeAll(async () => {
  emulator = await startGoogleDriveEmulator();
  harness = await startAppHarness({ GOOGLE_DRIVE_API_URL: emulator.url });
  connectionId = await harness.connectWithTokens("google_drive", {
    accessToken: googleAccessToken,
    refreshToken: googleRefreshToken,
    expiresAt: Date.now() + 3_600_000,
  });
}, 120_000);

afterAll(async () => {
  await harness?.stop();
  await emulator?.stop();
});

describe("Google Drive", () => {
  it("searches with a query built from the fields, quotes escaped, trash left out", async () => {
    const result = await harness.call("google_drive", "search_files", {
      name_contains: "notes",
      folder_id: projects,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toEqual({
      files: [
        {
          id: meetingNotes,
          name: "Meeting notes",
          mimeType: "application/vnd.google-apps.document",
          modifiedTime: "2026-02-01T10:00:00.000Z",
          webViewLink: `https://drive.google.com/file/d/${meetingNotes}/view?usp=drivesdk`,
          parents: [projects],
        },
      ],
    });
    const request = emulator.requestsTo("GET /drive/v3/files").at(-1);
    expect(request?.headers.authorization).toBe(`Bearer ${googleAccessToken}`);
    expect(request?.query.get("q")).toBe(
      `name contains 'notes' and '${projects}' in parents and trashed = false`,
    );
    expect(request?.query.get("fields")).toBe(
      "nextPageToken,files(id,name,mimeType,modifiedTime,size,webViewLink,parents)",
    );
    expect(request?.query.get("pageSize")).toBe("25");
    const quoted = await harness.call("google_drive", "search_files", { name_contains: "Ada's \\ notes" });
    expect(quoted.output).toEqual({ files: [] });
    expect(emulator.requestsTo("GET /drive/v3/files").at(-1)?.query.get("q")).toBe(
      "name contains 'Ada\\'s \\\\ notes' and trashed = false",
    );
  });

  it("creates a folder inside another", async () => {
    const result = await harness.call("google_drive", "create_folder", {
      name: "Invoices 2026",
      parent_id: projects,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({
      name: "Invoices 2026",
      mimeType: "application/vnd.google-apps.folder",
      parents: [projects],
    });
    const request = emulator.requestsTo("POST /drive/v3/files").at(-1);
    expect(request?.contentType).toBe("application/json");
    expect(request?.body).toEqual({
      name: "Invoices 2026",
      mimeType: "application/vnd.google-apps.folder",
      parents: [projects],
    });
  });

  it("uploads a text file as multipart/related: JSON metadata, then the content", async () => {
    const content = "name,amount\nCafé,3.50\n";
    const result = await harness.call("google_drive", "upload_text_file", {
      name: "expenses.csv",
      content,
      mime_type: "text/csv",
      parent_id: projects,
    });
    expect(result.isError, result.text).toBe(false);
    expect(result.output).toMatchObject({
      name: "expenses.csv",
      mimeType: "text/csv",
      size: "23",
      parents: [projects],
    });
    const request = emulator.requestsTo("POST /upload/drive/v3/files").at(-1);
    expect(request?.query.get("uploadType")).toBe("multipart");
    const boundary = /^multipart\/related; boundary=(\S+)$/.exec(request?.contentType ?? "")?.[1];
    expect(boundary).toBeTruthy();
    expect(request?.rawBody).toBe(
      [
        `--${boundary}`,
        "Content-Type: application/json; charset=UTF-8",
        "",
        JSON.stringify({ name: "expenses.csv", parents: [projects] }),
        `--${boundary}`,
        "Content-Type: text/csv; charset=UTF-8",
        "",
        content,
        `--${boundary}--`,
        "",
      ].join("\r\n"),
    );
    const converted = await harness.call("google_drive", "upload_text_file", {
      name: "Plan",
      content: "# Plan\nShip it.",
      mime_type: "text/markdown",
      convert: true,
    });
    expect(converted.output).toMatchObject({
      name: "Plan",
      mimeType: "application/vnd.google-apps.document",
    });
  });

  it("shares with a person (with a message) and with anyone (no notification parameter)", async () => {
    const person = await harness.call("google_drive", "share_file", {
      file_id: meetingNotes,
      role: "writer",
      email_address: "grace@example.com",
      email_message: "Notes from today",
    });
    expect(person.isError, person.text).toBe(false);
    expect(person.output).toEqual({
      id: "09876543210987654321",
      type: "user",
      role: "writer",
      emailAddress: "grace@example.com",
    });
    const request = emulator.requestsTo("POST /drive/v3/files/:id/permissions").at(-1);
    expect(request?.path).toBe(`/drive/v3/files/${meetingNotes}/permissions`);
    expect(request?.body).toEqual({ role: "writer", type: "user", emailAddress: "grace@example.com" });
    expect(request?.query.get("sendNotificationEmail")).toBe("true");
    expect(request?.query.get("emailMessage")).toBe("Notes from today");
    const anyone = await harness.call("google_drive", "share_file", {
      file_id: meetingNotes,
      type: "anyone",
    });
    expect(anyone.isError, anyone.text).toBe(false);
    expect(
      emulator.requestsTo("POST /drive/v3/files/:id/permissions").at(-1)?.query.has("sendNotificationEmail"),
    ).toBe(false);
    const missing = await harness.call("google_drive", "share_file", { file_id: meetingNotes });
    expect(missing.isError).toBe(true);
    expect(missing.text).toMatch(/needs email_address/);
  });

  it("reads a Google Doc by export and a JSON file byte for byte; refuses a PDF", async () => {
    const doc = await harness.call("google_drive", "get_file_text", { file_id: meetingNotes });
    expect(doc.isError, doc.text).toBe(false);
    expect(doc.output).toEqual({
      id: meetingNotes,
      name: "Meeting notes",
      mimeType: "application/vnd.google-apps.document",
      text: "Meeting notes\r\n\r\nDecisions: ship the Drive integration.",
      truncated: false,
    });
    const exported = emulator.requestsTo("GET /drive/v3/files/:id/export").at(-1);
    expect(exported?.query.get("mimeType")).toBe("text/plain");
    expect(exported?.headers.authorization).toBe(`Bearer ${googleAccessToken}`);
    const json = await harness.call("google_drive", "get_file_text", { file_id: configJson, max_chars: 100 });
    expect(json.output).toMatchObject({ text: '{\n  "retries": 3\n}\n', truncated: false });
    expect(emulator.requestsTo("GET /drive/v3/files/:id").at(-1)?.query.get("alt")).toBe("media");
    const pdf = await harness.call("google_drive", "get_file_text", { file_id: scanPdf });
    expect(pdf.isError).toBe(true);
    expect(pdf.text).toMatch(/"scan.pdf" \(application\/pdf\) has no text/);
  });

  it("reports Drive's error for a missing file, from a download as from a JSON call", async () => {
    const missing = await harness.call("google_drive", "get_file_text", { file_id: "1nope" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toBe(
      "Google Drive refused the request (HTTP 404): File not found: 1nope. (NOT_FOUND, notFound)",
    );
    emulator.injectOnce(
      {
        status: 403,
        json: {
          error: {
            code: 403,
            message: "The user does not have sufficient permissions for this file.",
            errors: [{ reason: "insufficientFilePermissions", domain: "global", message: "x" }],
          },
        },
      },
      "GET /drive/v3/files/:id/export",
    );
    const denied = await harness.call("google_drive", "get_file_text", { file_id: meetingNotes });
    expect(denied.text).toBe(
      "Google Drive refused the request (HTTP 403): The user does not have sufficient permissions for this file. (insufficientFilePermissions)",
    );
  });

  it("tests the connection and lists folders as choices", async () => {
    expect(await harness.testConnection(connectionId)).toEqual({ ok: true, account: "ada@example.com" });
    expect(emulator.requestsTo("GET /drive/v3/about").at(-1)?.query.get("fields")).toBe(
      "user(displayName,emailAddress)",
    );
    const choices = await harness.options("google_drive", "upload_text_file", "parent_id");
    expect(choices).toEqual([
      { value: "1002DrvEmuL8tQxZ", label: "Archive" },
      { value: expect.any(String), label: "Invoices 2026" },
      { value: projects, label: "Projects" },
    ]);
  });
});
