// How the upstreams' resources and prompts are named on our endpoint, so that one upstream cannot
// shadow another's, and how their untrusted texts are cut before a client sees them.
//
// Resource URIs are wrapped as `toolgate-app://<app slug>/<the upstream's URI, verbatim>`. The
// wrapper's host says which app a read goes to without any state, and two upstreams that both
// offer `file:///README.md` give two different URIs. The upstream URI is kept verbatim rather than
// percent-encoded so that a resource template stays a template: its `{expressions}` are left as
// they are, a client expands them, and the read unwraps exactly what the upstream would have got.
//
// Prompt names are `<app slug>_<upstream name>` (invisible and control characters dropped), cut to
// 64 characters with a hash suffix as tool names are; a prompt is found again by listing its app.

import { shortenName } from "@/lib/tools/tool-name";
import { definitionLimits } from "../action-definition";

export const resourceScheme = "toolgate-app:";
const wrapperPrefix = `${resourceScheme}//`;

/** Caps on an upstream's texts, as for its tools' definitions. */
export const relayLimits = {
  name: 200,
  title: definitionLimits.title,
  description: definitionLimits.description,
  uri: 4_000,
} as const;

export function cut(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

export function wrapResourceUri(slug: string, uri: string): string {
  return `${wrapperPrefix}${slug}/${uri}`;
}

/** The app slug and upstream URI of a wrapped URI, or null when it is not one of ours. */
export function unwrapResourceUri(uri: string): { slug: string; uri: string } | null {
  if (!uri.startsWith(wrapperPrefix)) return null;
  const rest = uri.slice(wrapperPrefix.length);
  const slash = rest.indexOf("/");
  if (slash <= 0 || slash === rest.length - 1) return null;
  return { slug: rest.slice(0, slash), uri: rest.slice(slash + 1) };
}

// Control, format (zero-width, bidirectional) and separator characters other than the plain space.
const unseen = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

export function promptNameOf(slug: string, upstreamName: string): string {
  return shortenName(`${slug}_${upstreamName.replace(unseen, "").replace(/\s+/g, "_")}`);
}

// shortenName keeps 64 - 9 characters of a long name before its hash.
const keptOfLongName = 55;

/** Whether `name` can be a prompt name of the app `slug` (a cheap filter before listing it). */
export function mayBePromptOf(name: string, slug: string): boolean {
  const prefix = `${slug}_`;
  if (name.startsWith(prefix)) return true;
  return (
    name.length === 64 && prefix.length > keptOfLongName && prefix.startsWith(name.slice(0, keptOfLongName))
  );
}
