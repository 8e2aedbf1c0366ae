// Google Drive, through the Drive API v3 (https://developers.google.com/drive/api/reference/rest/v3):
// search files, create folders, upload text files (multipart upload,
// https://developers.google.com/drive/api/guides/manage-uploads#multipart), share, and read a
// file's text (Google Docs exported, text files downloaded).
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  defineIntegration,
  externalCreate,
  externalRead,
  type OptionsLoader,
} from "@/integrations/sdk/define";
import { ActionError } from "@/integrations/sdk/errors";
import { errorForStatus, readErrorText } from "@/integrations/sdk/http";
import {
  describeGoogleError,
  driveQueryString,
  type GoogleAuth,
  googleActionFor,
  googleApi,
  googleOptions,
} from "../google/api";
import { googleOAuth } from "../google/oauth";

const defineAction = googleActionFor();
const appName = "Google Drive";
const folderType = "application/vnd.google-apps.folder";

const fileFields = "id,name,mimeType,modifiedTime,size,webViewLink,parents";

type DriveFile = {
  id: string;
  name: string;
  mimeType: string;
  modifiedTime?: string;
  size?: string;
  webViewLink?: string;
  parents?: string[];
};

const file = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string(),
  modifiedTime: z.string().optional(),
  size: z.string().optional(),
  webViewLink: z.string().optional(),
  parents: z.array(z.string()).optional(),
});

const folderOptions: OptionsLoader<GoogleAuth> = googleOptions(async ({ http }) => {
  const list = await http.request<{ files?: Array<{ id: string; name: string }> }>("/drive/v3/files", {
    query: {
      q: `mimeType = '${folderType}' and trashed = false`,
      fields: "files(id,name)",
      orderBy: "name",
      pageSize: 200,
      supportsAllDrives: true,
      includeItemsFromAllDrives: true,
    },
  });
  return (list.files ?? []).map((folder) => ({ value: folder.id, label: folder.name }));
});

const searchFiles = defineAction({
  key: "search_files",
  title: "Search files",
  description:
    "Find files and folders in Google Drive by name, content, type or folder (or with a raw Drive query); returns ids, names, types and links.",
  input: z.object({
    name_contains: z.string().optional().describe("Only files whose name contains this text."),
    full_text: z
      .string()
      .optional()
      .describe("Only files whose content, name or description contains this text."),
    mime_type: z
      .string()
      .optional()
      .describe(
        'Only files of this type: "application/vnd.google-apps.document" (Docs), "application/vnd.google-apps.spreadsheet" (Sheets), "application/vnd.google-apps.folder", "application/pdf", ...',
      ),
    folder_id: z.string().optional().describe("Only files directly in this folder."),
    query: z
      .string()
      .optional()
      .describe(
        "A raw Drive query (\"modifiedTime > '2026-01-01T00:00:00' and starred = true\"), and-ed with the rest.",
      ),
    include_trashed: z.boolean().default(false).describe("Whether to include files in the trash."),
    order_by: z
      .enum(["modifiedTime desc", "name", "createdTime desc", "viewedByMeTime desc"])
      .optional()
      .describe("The order of the results; Drive's relevance order when left out."),
    page_size: z.number().int().min(1).max(100).default(25).describe("At most this many files."),
    page_token: z.string().optional().describe("The next_page_token of a previous search, for more files."),
  }),
  output: z.object({ files: z.array(file), next_page_token: z.string().optional() }),
  annotations: externalRead,
  options: { folder_id: folderOptions },
  run: async ({ input, http }) => {
    const terms = [
      ...(input.name_contains ? [`name contains ${driveQueryString(input.name_contains)}`] : []),
      ...(input.full_text ? [`fullText contains ${driveQueryString(input.full_text)}`] : []),
      ...(input.mime_type ? [`mimeType = ${driveQueryString(input.mime_type)}`] : []),
      ...(input.folder_id ? [`${driveQueryString(input.folder_id)} in parents`] : []),
      ...(input.query ? [`(${input.query})`] : []),
      ...(input.include_trashed ? [] : ["trashed = false"]),
    ];
    const list = await http.request<{ files?: DriveFile[]; nextPageToken?: string }>("/drive/v3/files", {
      query: {
        q: terms.join(" and ") || undefined,
        fields: `nextPageToken,files(${fileFields})`,
        pageSize: input.page_size,
        orderBy: input.order_by,
        pageToken: input.page_token,
        supportsAllDrives: true,
        includeItemsFromAllDrives: true,
      },
    });
    return { files: list.files ?? [], ...(list.nextPageToken && { next_page_token: list.nextPageToken }) };
  },
});

const createFolder = defineAction({
  key: "create_folder",
  title: "Create folder",
  description: "Create a folder in Google Drive, at the top of My Drive or inside another folder.",
  input: z.object({
    name: z.string().min(1).describe("The folder's name."),
    parent_id: z
      .string()
      .optional()
      .describe("The folder to create it in; My Drive's top level when left out."),
  }),
  output: file,
  annotations: externalCreate,
  options: { parent_id: folderOptions },
  run: async ({ input, http }) =>
    http.request<DriveFile>("/drive/v3/files", {
      method: "POST",
      query: { fields: fileFields, supportsAllDrives: true },
      json: {
        name: input.name,
        mimeType: folderType,
        ...(input.parent_id && { parents: [input.parent_id] }),
      },
    }),
});

const googleTypeFor: Record<string, string> = {
  "text/plain": "application/vnd.google-apps.document",
  "text/markdown": "application/vnd.google-apps.document",
  "text/html": "application/vnd.google-apps.document",
  "text/csv": "application/vnd.google-apps.spreadsheet",
};

const uploadTextFile = defineAction({
  key: "upload_text_file",
  title: "Upload text file",
  description:
    "Create a file in Google Drive from text (notes, CSV, Markdown, HTML, JSON), optionally converted to a Google Doc or Sheet.",
  input: z.object({
    name: z.string().min(1).describe('The file\'s name, such as "notes.txt" or "report.csv".'),
    content: z.string().max(5_000_000).describe("The file's text."),
    mime_type: z
      .enum(["text/plain", "text/csv", "text/markdown", "text/html", "application/json"])
      .default("text/plain")
      .describe("The kind of text."),
    parent_id: z.string().optional().describe("The folder to put it in; My Drive's top level when left out."),
    convert: z
      .boolean()
      .default(false)
      .describe("Convert it to a Google Doc (plain text, Markdown, HTML) or a Google Sheet (CSV)."),
  }),
  output: file,
  annotations: externalCreate,
  options: { parent_id: folderOptions },
  run: async ({ input, http }) => {
    const target = input.convert ? googleTypeFor[input.mime_type] : undefined;
    if (input.convert && !target)
      throw new ActionError(`${input.mime_type} cannot be converted to a Google file.`);
    const metadata = {
      name: input.name,
      ...(target && { mimeType: target }),
      ...(input.parent_id && { parents: [input.parent_id] }),
    };
    // multipart/related (RFC 2387): the JSON metadata first, then the content.
    const boundary = `toolgate_${randomBytes(16).toString("hex")}`;
    const body = Buffer.from(
      [
        `--${boundary}`,
        "Content-Type: application/json; charset=UTF-8",
        "",
        JSON.stringify(metadata),
        `--${boundary}`,
        `Content-Type: ${input.mime_type}; charset=UTF-8`,
        "",
        input.content,
        `--${boundary}--`,
        "",
      ].join("\r\n"),
      "utf8",
    );
    return http.request<DriveFile>("/upload/drive/v3/files", {
      method: "POST",
      query: { uploadType: "multipart", fields: fileFields, supportsAllDrives: true },
      headers: { "content-type": `multipart/related; boundary=${boundary}` },
      body,
    });
  },
});

const shareFile = defineAction({
  key: "share_file",
  title: "Share file",
  description:
    "Give a person, a group, a whole domain or anyone with the link access to a file or folder, as reader, commenter or writer.",
  input: z.object({
    file_id: z.string().min(1).describe("The file's or folder's id."),
    role: z.enum(["reader", "commenter", "writer"]).default("reader").describe("What they may do."),
    type: z
      .enum(["user", "group", "domain", "anyone"])
      .default("user")
      .describe(
        'Whom to share with: a "user" or "group" (by email_address), a "domain", or "anyone" with the link.',
      ),
    email_address: z
      .email()
      .optional()
      .describe("The person's or group's email address (for user and group)."),
    domain: z.string().optional().describe('The domain, such as "example.com" (for type domain).'),
    send_notification_email: z
      .boolean()
      .default(true)
      .describe("Whether to email the person or group about it (users and groups only)."),
    email_message: z.string().optional().describe("A message for that email."),
  }),
  output: z.object({
    id: z.string(),
    type: z.string(),
    role: z.string(),
    emailAddress: z.string().optional(),
    domain: z.string().optional(),
  }),
  annotations: externalCreate,
  run: async ({ input, http }) => {
    const person = input.type === "user" || input.type === "group";
    if (person && !input.email_address)
      throw new ActionError(`Sharing with a ${input.type} needs email_address.`);
    if (input.type === "domain" && !input.domain)
      throw new ActionError("Sharing with a domain needs domain.");
    return http.request(`/drive/v3/files/${encodeURIComponent(input.file_id)}/permissions`, {
      method: "POST",
      query: {
        fields: "id,type,role,emailAddress,domain",
        supportsAllDrives: true,
        // Drive accepts these for users and groups only.
        ...(person && { sendNotificationEmail: input.send_notification_email }),
        ...(person &&
          input.send_notification_email &&
          input.email_message && { emailMessage: input.email_message }),
      },
      json: {
        role: input.role,
        type: input.type,
        ...(person && { emailAddress: input.email_address }),
        ...(input.type === "domain" && { domain: input.domain }),
      },
    });
  },
});

/** What a Google file is exported as to be read as text. */
const exportTypes: Record<string, string> = {
  "application/vnd.google-apps.document": "text/plain",
  "application/vnd.google-apps.spreadsheet": "text/csv",
  "application/vnd.google-apps.presentation": "text/plain",
  "application/vnd.google-apps.script": "application/vnd.google-apps.script+json",
};

const isText = (mimeType: string) =>
  /^text\//.test(mimeType) ||
  /^application\/(json|xml|javascript|x-yaml|yaml|x-sh|sql|csv)$/.test(mimeType) ||
  /\+(json|xml)$/.test(mimeType);

const getFileText = defineAction({
  key: "get_file_text",
  title: "Read file text",
  description:
    "Read a file's text: Google Docs and Slides as plain text, Google Sheets as CSV (first sheet), text files (txt, csv, md, json, ...) as they are.",
  input: z.object({
    file_id: z.string().min(1).describe("The file's id (from search_files)."),
    max_chars: z
      .number()
      .int()
      .min(100)
      .max(500_000)
      .default(50_000)
      .describe("At most this many characters."),
  }),
  output: z.object({
    id: z.string(),
    name: z.string(),
    mimeType: z.string(),
    text: z.string(),
    truncated: z.boolean(),
  }),
  annotations: externalRead,
  run: async ({ input, http, auth }) => {
    const path = `/drive/v3/files/${encodeURIComponent(input.file_id)}`;
    const meta = await http.request<DriveFile>(path, {
      query: { fields: "id,name,mimeType,size", supportsAllDrives: true },
    });
    const exportType = exportTypes[meta.mimeType];
    if (!exportType && (meta.mimeType.startsWith("application/vnd.google-apps.") || !isText(meta.mimeType)))
      throw new ActionError(`"${meta.name}" (${meta.mimeType}) has no text to read.`);
    // The raw bytes, not the API client's JSON-first reading (a .json file stays as written).
    const url = new URL(`${http.baseUrl.replace(/\/+$/, "")}${exportType ? `${path}/export` : path}`);
    if (exportType) url.searchParams.set("mimeType", exportType);
    else {
      url.searchParams.set("alt", "media");
      url.searchParams.set("supportsAllDrives", "true");
    }
    const response = await http.fetch(url, { headers: { authorization: `Bearer ${auth.accessToken}` } });
    const text = await response.text();
    if (!response.ok) {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {}
      throw errorForStatus(
        appName,
        response.status,
        response.headers,
        describeGoogleError(body) ?? readErrorText(body),
      );
    }
    return {
      id: meta.id,
      name: meta.name,
      mimeType: meta.mimeType,
      text: text.slice(0, input.max_chars),
      truncated: text.length > input.max_chars,
    };
  },
});

export default defineIntegration<GoogleAuth>({
  slug: "google_drive",
  name: appName,
  description: "Search, create, upload, share and read files in Google Drive.",
  category: "Files",
  // drive: searching and reading every file (drive.file would see only the app's own files).
  auth: googleOAuth(["https://www.googleapis.com/auth/drive"]),
  // GOOGLE_DRIVE_API_URL is the natural name, but the platform's setting names allow no
  // underscore before _API_URL (see env.ts); hence GOOGLE_DRIVE_API_URL.
  api: googleApi("https://www.googleapis.com", "GOOGLE_DRIVE_API_URL"),
  test: async ({ http }) => {
    const about = await http.request<{ user?: { emailAddress?: string; displayName?: string } }>(
      "/drive/v3/about",
      { query: { fields: "user(displayName,emailAddress)" } },
    );
    return { account: about.user?.emailAddress ?? about.user?.displayName };
  },
  actions: [searchFiles, createFolder, uploadTextFile, shareFile, getFileText],
});
