// The Google Drive API v3 as its reference describes it
// (https://developers.google.com/drive/api/reference/rest/v3): about (which insists on `fields`),
// files.list with a small reading of the `q` language, files.create (metadata only, and the
// multipart/related upload checked part by part), permissions.create, media download and export.
import { z } from "zod";
import { checkBody, type EmulatedRequest, type Reply, route } from "./emulator";
import { googleError, requireJson, startGoogleEmulator } from "./google";

type StoredFile = {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  modifiedTime: string;
  trashed: boolean;
  content?: string;
  permissions: Array<Record<string, unknown>>;
};

const folderType = "application/vnd.google-apps.folder";
const docType = "application/vnd.google-apps.document";

const fileNotFound = (id: string) => googleError(404, `File not found: ${id}.`, "notFound");

/** The fields of `files(...)` (or of a bare list) picked from a file, as Drive answers only those. */
function pick(stored: StoredFile, fields: string[] | undefined): Record<string, unknown> {
  const view: Record<string, unknown> = {
    kind: "drive#file",
    id: stored.id,
    name: stored.name,
    mimeType: stored.mimeType,
    modifiedTime: stored.modifiedTime,
    parents: stored.parents,
    webViewLink: `https://drive.google.com/file/d/${stored.id}/view?usp=drivesdk`,
    trashed: stored.trashed,
    ...(stored.content !== undefined &&
      !stored.mimeType.startsWith("application/vnd.google-apps.") && {
        size: String(Buffer.byteLength(stored.content)),
      }),
  };
  if (!fields) return { kind: view.kind, id: view.id, name: view.name, mimeType: view.mimeType };
  return Object.fromEntries(Object.entries(view).filter(([name]) => fields.includes(name)));
}

function fileFieldsOf(fields: string | null, listing: boolean): string[] | undefined {
  if (!fields) return undefined;
  if (!listing) return fields.split(",").map((field) => field.trim());
  const match = /files\(([^)]*)\)/.exec(fields);
  return match?.[1]?.split(",").map((field) => field.trim());
}

const unquote = (value: string) => value.slice(1, -1).replace(/\\'/g, "'").replace(/\\\\/g, "\\");

/** One term of Drive's query language, as a test of a file (undefined when not understood). */
function term(text: string): ((stored: StoredFile) => boolean) | undefined {
  const quoted = "'((?:[^'\\\\]|\\\\.)*)'";
  let match = new RegExp(`^(name|fullText) contains (${quoted})$`).exec(text);
  if (match) {
    const needle = unquote(match[2]!).toLowerCase();
    return match[1] === "name"
      ? (stored) => stored.name.toLowerCase().includes(needle)
      : (stored) => `${stored.name} ${stored.content ?? ""}`.toLowerCase().includes(needle);
  }
  match = new RegExp(`^mimeType (=|!=) (${quoted})$`).exec(text);
  if (match) {
    const type = unquote(match[2]!);
    return match[1] === "=" ? (stored) => stored.mimeType === type : (stored) => stored.mimeType !== type;
  }
  match = new RegExp(`^(${quoted}) in parents$`).exec(text);
  if (match) {
    const parent = unquote(match[1]!);
    return (stored) => stored.parents.includes(parent);
  }
  match = /^trashed = (true|false)$/.exec(text);
  if (match) return (stored) => stored.trashed === (match?.[1] === "true");
  match = new RegExp(`^modifiedTime (>|<) (${quoted})$`).exec(text);
  if (match) {
    const time = Date.parse(unquote(match[2]!));
    return match[1] === ">"
      ? (stored) => Date.parse(stored.modifiedTime) > time
      : (stored) => Date.parse(stored.modifiedTime) < time;
  }
  return undefined;
}

function parseQuery(q: string): ((stored: StoredFile) => boolean) | undefined {
  const tests: Array<(stored: StoredFile) => boolean> = [];
  for (const part of q.split(/ and (?=(?:[^']*'[^']*')*[^']*$)/)) {
    const inner = part.trim().replace(/^\((.*)\)$/, "$1");
    const test = term(inner);
    if (!test) return undefined;
    tests.push(test);
  }
  return (stored) => tests.every((test) => test(stored));
}

/** Splits a multipart/related body into its parts, or says what is wrong with it. */
function multipartParts(request: EmulatedRequest): Array<{ contentType: string; body: string }> | string {
  if (!request.contentType.startsWith("multipart/related"))
    return `Unexpected Content-Type ${request.contentType}`;
  const boundary = /boundary="?([^";]+)"?/.exec(request.contentType)?.[1];
  if (!boundary) return "Missing boundary in the multipart Content-Type";
  const raw = request.rawBody;
  const delimiter = `--${boundary}`;
  if (!raw.startsWith(`${delimiter}\r\n`)) return "The body does not start with the boundary";
  const end = raw.indexOf(`\r\n${delimiter}--`);
  if (end < 0) return "The body has no closing boundary";
  return raw
    .slice(delimiter.length + 2, end)
    .split(`\r\n${delimiter}\r\n`)
    .map((part) => {
      const split = part.indexOf("\r\n\r\n");
      const headers = split < 0 ? "" : part.slice(0, split);
      return {
        contentType: /^content-type:\s*(.+)$/im.exec(headers)?.[1]?.trim() ?? "",
        body: split < 0 ? part : part.slice(split + 4),
      };
    });
}

const newFile = z
  .object({
    name: z.string().min(1),
    mimeType: z.string().optional(),
    parents: z.array(z.string()).max(1).optional(),
  })
  .strict();

export async function startGoogleDriveEmulator() {
  const files = new Map<string, StoredFile>();
  let nextId = 1;
  const add = (
    fields: Omit<StoredFile, "id" | "modifiedTime" | "trashed" | "permissions"> & Partial<StoredFile>,
  ) => {
    const stored: StoredFile = {
      id: `1${String(nextId++).padStart(3, "0")}DrvEmuL8tQxZ`,
      modifiedTime: "2026-02-01T10:00:00.000Z",
      trashed: false,
      permissions: [],
      ...fields,
    };
    files.set(stored.id, stored);
    return stored;
  };
  const projects = add({ name: "Projects", mimeType: folderType, parents: ["root"] });
  add({ name: "Archive", mimeType: folderType, parents: ["root"] });
  add({
    name: "Meeting notes",
    mimeType: docType,
    parents: [projects.id],
    content: "Meeting notes\r\n\r\nDecisions: ship the Drive integration.",
  });
  add({
    name: "config.json",
    mimeType: "application/json",
    parents: [projects.id],
    content: '{\n  "retries": 3\n}\n',
  });
  add({ name: "scan.pdf", mimeType: "application/pdf", parents: ["root"], content: "%PDF-1.7 binary" });
  add({ name: "old notes.txt", mimeType: "text/plain", parents: ["root"], content: "old", trashed: true });

  const parentProblem = (parents: string[] | undefined): Reply | undefined => {
    const missing = (parents ?? []).find(
      (parent) => parent !== "root" && files.get(parent)?.mimeType !== folderType,
    );
    return missing ? fileNotFound(missing) : undefined;
  };

  return startGoogleEmulator({
    name: "google_drive",
    routes: [
      route("GET", "/drive/v3/about", (request) => {
        if (!request.query.get("fields"))
          return googleError(400, "The 'fields' parameter is required for this method.", "required");
        return {
          json: {
            user: {
              kind: "drive#user",
              displayName: "Ada Lovelace",
              emailAddress: "ada@example.com",
              permissionId: "01234567890123456789",
              me: true,
            },
          },
        };
      }),
      route("GET", "/drive/v3/files", (request) => {
        const pageSize = Number(request.query.get("pageSize") ?? 100);
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
          return googleError(400, "Invalid value for: pageSize", "invalidParameter");
        const orderBy = request.query.get("orderBy");
        if (
          orderBy &&
          !/^(createdTime|folder|modifiedTime|name|name_natural|viewedByMeTime)( desc)?$/.test(orderBy)
        )
          return googleError(400, `Invalid field selection ${orderBy}`, "invalidParameter");
        const q = request.query.get("q");
        const test = q === null ? () => true : parseQuery(q);
        if (!test) return googleError(400, "Invalid Value", "invalid");
        const found = [...files.values()].filter(test);
        if (orderBy?.startsWith("name")) found.sort((a, b) => a.name.localeCompare(b.name));
        if (orderBy === "modifiedTime desc")
          found.sort((a, b) => b.modifiedTime.localeCompare(a.modifiedTime));
        const fields = fileFieldsOf(request.query.get("fields"), true);
        return {
          json: {
            ...(found.length > pageSize && { nextPageToken: "~!!~AI9FV7Qemulated" }),
            files: found.slice(0, pageSize).map((stored) => pick(stored, fields)),
          },
        };
      }),
      route("POST", "/drive/v3/files", (request) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(request, newFile, (problem) => googleError(400, problem, "invalid"));
        if (!checked.ok) return checked.reply;
        const missingParent = parentProblem(checked.body.parents);
        if (missingParent) return missingParent;
        const stored = add({
          name: checked.body.name,
          mimeType: checked.body.mimeType ?? "application/octet-stream",
          parents: checked.body.parents ?? ["root"],
        });
        return { json: pick(stored, fileFieldsOf(request.query.get("fields"), false)) };
      }),
      route("POST", "/upload/drive/v3/files", (request) => {
        if (request.query.get("uploadType") !== "multipart")
          return googleError(
            400,
            `Invalid uploadType: ${request.query.get("uploadType")}`,
            "invalidParameter",
          );
        const parts = multipartParts(request);
        if (typeof parts === "string") return googleError(400, parts, "badContent");
        if (parts.length !== 2)
          return googleError(400, `Expected 2 parts, got ${parts.length}`, "badContent");
        const [metadataPart, mediaPart] = parts as [
          { contentType: string; body: string },
          { contentType: string; body: string },
        ];
        if (!/^application\/json(;\s*charset=UTF-8)?$/i.test(metadataPart.contentType))
          return googleError(400, "The metadata part must be application/json; charset=UTF-8", "badContent");
        if (!mediaPart.contentType)
          return googleError(400, "The media part has no Content-Type", "badContent");
        let metadata: unknown;
        try {
          metadata = JSON.parse(metadataPart.body);
        } catch {
          return googleError(400, "Invalid JSON in the metadata part", "parseError");
        }
        const checked = newFile.safeParse(metadata);
        if (!checked.success)
          return googleError(400, checked.error.issues[0]?.message ?? "Invalid metadata", "invalid");
        const missingParent = parentProblem(checked.data.parents);
        if (missingParent) return missingParent;
        const stored = add({
          name: checked.data.name,
          mimeType: checked.data.mimeType ?? mediaPart.contentType.split(";")[0]!.trim(),
          parents: checked.data.parents ?? ["root"],
          content: mediaPart.body,
        });
        return { json: pick(stored, fileFieldsOf(request.query.get("fields"), false)) };
      }),
      route("POST", "/drive/v3/files/:id/permissions", (request, params) => {
        const wrongType = requireJson(request);
        if (wrongType) return wrongType;
        const checked = checkBody(
          request,
          z
            .object({
              role: z.enum(["owner", "organizer", "fileOrganizer", "writer", "commenter", "reader"]),
              type: z.enum(["user", "group", "domain", "anyone"]),
              emailAddress: z.email().optional(),
              domain: z.string().optional(),
            })
            .strict(),
          (problem) => googleError(400, problem, "invalid"),
        );
        if (!checked.ok) return checked.reply;
        const stored = files.get(params.id ?? "");
        if (!stored) return fileNotFound(params.id ?? "");
        const { type, emailAddress, domain } = checked.body;
        const person = type === "user" || type === "group";
        if (person && !emailAddress)
          return googleError(400, "The permission emailAddress field is required.", "required");
        if (type === "domain" && !domain)
          return googleError(400, "The permission domain field is required.", "required");
        if (!person && request.query.has("sendNotificationEmail"))
          return googleError(
            400,
            "sendNotificationEmail parameter is only applicable for permissions of type 'user' or 'group'.",
            "invalidSharingRequest",
          );
        if (request.query.has("emailMessage") && request.query.get("sendNotificationEmail") === "false")
          return googleError(400, "emailMessage requires sendNotificationEmail.", "invalidSharingRequest");
        const permission = {
          kind: "drive#permission",
          id: person ? "09876543210987654321" : type === "anyone" ? "anyoneWithLink" : "11223344556677889900",
          ...checked.body,
        };
        stored.permissions.push(permission);
        const fields = request.query.get("fields")?.split(",");
        return {
          json: fields
            ? Object.fromEntries(Object.entries(permission).filter(([name]) => fields.includes(name)))
            : permission,
        };
      }),
      route("GET", "/drive/v3/files/:id/export", (request, params) => {
        const stored = files.get(params.id ?? "");
        if (!stored) return fileNotFound(params.id ?? "");
        const mimeType = request.query.get("mimeType");
        if (!mimeType) return googleError(400, "Required parameter: mimeType", "required");
        if (!stored.mimeType.startsWith("application/vnd.google-apps."))
          return googleError(403, "Export only supports Docs Editors files.", "fileNotExportable");
        return { text: stored.content ?? "", headers: { "content-type": mimeType } };
      }),
      route("GET", "/drive/v3/files/:id", (request, params) => {
        const stored = files.get(params.id ?? "");
        if (!stored) return fileNotFound(params.id ?? "");
        if (request.query.get("alt") === "media") {
          if (stored.mimeType.startsWith("application/vnd.google-apps."))
            return googleError(
              403,
              "Only files with binary content can be downloaded. Use Export with Docs Editors files.",
              "fileNotDownloadable",
            );
          return { text: stored.content ?? "", headers: { "content-type": stored.mimeType } };
        }
        return { json: pick(stored, fileFieldsOf(request.query.get("fields"), false)) };
      }),
    ],
  });
}
