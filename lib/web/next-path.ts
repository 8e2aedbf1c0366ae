// Where the sign-in and sign-up pages return to afterwards (`?next=`): a path on this site only,
// so a crafted link cannot send someone elsewhere once they have signed in.
export function safeNextPath(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length > 500) return undefined;
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return undefined;
  if (/[\s\\]/.test(value)) return undefined;
  return value;
}
