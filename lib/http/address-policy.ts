// Which addresses outbound requests to user-supplied URLs may reach: public ones only. The check
// is on the resolved address, so every spelling of a private address (127.1, 0x7f000001,
// [::ffff:a9fe:a9fe], 0) is caught after parsing, and IPv4-mapped IPv6 counts as its IPv4.
// An administrator can open chosen ranges with HTTP_ALLOWED_PRIVATE_CIDRS.
import { BlockList, isIP } from "node:net";
import { getEnv } from "@/env";

const forbiddenRanges: [string, number, "ipv4" | "ipv6"][] = [
  ["0.0.0.0", 8, "ipv4"], // "this network", incl. 0.0.0.0
  ["10.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"], // carrier-grade NAT
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"], // link-local, incl. cloud metadata 169.254.169.254
  ["172.16.0.0", 12, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["192.0.2.0", 24, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["198.51.100.0", 24, "ipv4"],
  ["203.0.113.0", 24, "ipv4"],
  ["224.0.0.0", 4, "ipv4"], // multicast
  ["240.0.0.0", 4, "ipv4"], // reserved, incl. broadcast
  ["::", 128, "ipv6"], // unspecified
  ["::1", 128, "ipv6"],
  ["64:ff9b::", 96, "ipv6"], // NAT64 can reach IPv4 private space
  ["100::", 64, "ipv6"],
  ["2001:db8::", 32, "ipv6"],
  ["fc00::", 7, "ipv6"], // unique local
  ["fe80::", 10, "ipv6"], // link-local
  ["ff00::", 8, "ipv6"], // multicast
];

let cached: { key: string; forbidden: BlockList; allowed: BlockList } | undefined;

function lists(): { forbidden: BlockList; allowed: BlockList } {
  const cidrs = getEnv().HTTP_ALLOWED_PRIVATE_CIDRS;
  const key = cidrs.join(",");
  if (cached?.key === key) return cached;
  const forbidden = new BlockList();
  for (const [network, prefix, family] of forbiddenRanges) forbidden.addSubnet(network, prefix, family);
  const allowed = new BlockList();
  for (const cidr of cidrs) {
    const [network = "", prefixText] = cidr.split("/");
    const family = isIP(network) === 6 ? "ipv6" : "ipv4";
    allowed.addSubnet(network, Number(prefixText ?? (family === "ipv6" ? 128 : 32)), family);
  }
  cached = { key, forbidden, allowed };
  return cached;
}

export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 0) return true; // not an address at all: refuse rather than guess
  const type = family === 6 ? "ipv6" : "ipv4";
  const { forbidden, allowed } = lists();
  return forbidden.check(bare, type) && !allowed.check(bare, type);
}
