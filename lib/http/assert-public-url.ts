// Checks, before a URL is stored, that it resolves only to addresses the guarded client may reach:
// for endpoints the platform will not fetch itself right away (an OAuth authorization URL the
// browser is sent to, a token URL used later), so that a private or metadata address is refused
// when the app is added rather than first met when someone connects.
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isForbiddenAddress } from "./address-policy";
import { assertAllowedUrl, BlockedAddressError } from "./guarded-fetch";

export async function assertPublicUrl(value: string): Promise<void> {
  const url = new URL(value);
  assertAllowedUrl(url, false);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0) return;
  const addresses = await lookup(host, { all: true });
  const blocked = addresses.find((entry) => isForbiddenAddress(entry.address));
  if (blocked) throw new BlockedAddressError(`${url.hostname} (${blocked.address})`);
}
