// What an upstream says about itself beyond its actions: an MCP server's `instructions` and its
// serverInfo `description`, an OpenAPI document's `info.description`. Untrusted like its tool
// descriptions: capped, scanned for hidden instructions, stored on the App row with the findings
// and shown to the people who manage the app, and never passed on to AI apps (our endpoint's own
// instructions are our own text).
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client.ts";
import { type Finding, scanText } from "./scan-definition";

/** Where the text came from, as the protocol or the document names it. */
export const upstreamTextPlaces = ["instructions", "serverInfo.description", "info.description"] as const;
export type UpstreamTextPlace = (typeof upstreamTextPlaces)[number];

export type UpstreamText = { where: UpstreamTextPlace; text: string };

/** A text as stored: capped, with what the scan found in it. */
export type ScannedUpstreamText = UpstreamText & { truncated: boolean; findings: Finding[] };

/** As long as an action's description may be. */
export const upstreamTextMaxLength = 4_000;

/** The texts worth keeping: strings, not blank, each place once. */
export function upstreamTextsOf(found: Partial<Record<UpstreamTextPlace, unknown>>): UpstreamText[] {
  return upstreamTextPlaces.flatMap((where) => {
    const text = found[where];
    return typeof text === "string" && text.trim() ? [{ where, text }] : [];
  });
}

/** What an MCP client learnt from the upstream's handshake about the server itself. */
export function upstreamTextsOfClient(client: {
  getInstructions: () => string | undefined;
  getServerVersion: () => { description?: unknown } | undefined;
}): UpstreamText[] {
  return upstreamTextsOf({
    instructions: client.getInstructions(),
    "serverInfo.description": client.getServerVersion()?.description,
  });
}

/**
 * Scans each whole text (a hidden instruction past the cap is still found) and keeps it capped.
 */
export function scanUpstreamTexts(texts: UpstreamText[]): ScannedUpstreamText[] {
  return texts.map(({ where, text }) => ({
    where,
    text: storable(text.slice(0, upstreamTextMaxLength)),
    truncated: text.length > upstreamTextMaxLength,
    findings: scanText(text, where).map((finding) => ({ ...finding, excerpt: storable(finding.excerpt) })),
  }));
}

// PostgreSQL's jsonb refuses NUL and unpaired surrogates (a cut can split a pair): shown as U+FFFD.
const loneSurrogates = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function storable(text: string): string {
  return text.replaceAll("\u0000", "\ufffd").replace(loneSurrogates, "\ufffd");
}

const findingSchema = z.object({
  kind: z.enum(["hidden_text", "instruction", "tag", "file_access", "exfiltration"]),
  where: z.string(),
  excerpt: z.string(),
});

const storedTextsSchema = z.array(
  z.object({
    where: z.enum(upstreamTextPlaces),
    text: z.string(),
    truncated: z.boolean(),
    findings: z.array(findingSchema),
  }),
);

/** The stored texts, or none when the row holds something this version cannot read. */
export function readUpstreamTexts(stored: unknown): ScannedUpstreamText[] {
  const parsed = storedTextsSchema.safeParse(stored);
  return parsed.success ? parsed.data : [];
}

/** Scans and stores what the upstream says about itself now, in place of what it said before. */
export async function saveUpstreamTexts(
  appId: string,
  texts: UpstreamText[],
): Promise<ScannedUpstreamText[]> {
  const scanned = scanUpstreamTexts(texts);
  await getDb().app.update({
    where: { id: appId },
    data: { upstreamTexts: scanned as unknown as Prisma.InputJsonValue },
  });
  return scanned;
}
