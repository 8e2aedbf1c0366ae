// Which addresses outbound requests to user-supplied URLs may reach: public ones only. The check
// is on the resolved address, so every spelling of a private address (127.1, 0x7f000001, 0) is
// caught after parsing. An IPv6 address that carries an IPv4 one is judged by it: IPv4-mapped
// (net.BlockList does that itself), NAT64 and 6to4 (each IPv4 range is also listed at its place
// in those prefixes). IPv6 forms that are deprecated or only ever local (IPv4-compatible, SIIT,
// local-use NAT64, Teredo, site-local) and zone ids are refused outright.
// An administrator can open chosen ranges with HTTP_ALLOWED_PRIVATE_CIDRS.
import { BlockList, isIP } from "node:net";
import { getEnv } from "@/env";

type Family = "ipv4" | "ipv6";
type Range = [network: string, prefix: number, family: Family];

const forbiddenIpv4: Range[] = [
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
];

const forbiddenIpv6: Range[] = [
  ["::", 128, "ipv6"], // unspecified
  ["::1", 128, "ipv6"],
  ["::", 96, "ipv6"], // IPv4-compatible (deprecated): ::127.0.0.1
  ["::ffff:0:0:0", 96, "ipv6"], // SIIT (RFC 6145)
  ["64:ff9b:1::", 48, "ipv6"], // local-use NAT64 (RFC 8215)
  ["100::", 64, "ipv6"], // discard
  ["2001::", 32, "ipv6"], // Teredo: tunnels to an IPv4 address hidden in the low bits
  ["2001:2::", 48, "ipv6"], // benchmarking
  ["2001:db8::", 32, "ipv6"], // documentation
  ["3fff::", 20, "ipv6"], // documentation
  ["fc00::", 7, "ipv6"], // unique local
  ["fe80::", 10, "ipv6"], // link-local
  ["fec0::", 10, "ipv6"], // site-local (deprecated)
  ["ff00::", 8, "ipv6"], // multicast
];

/** An IPv4 range where NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry it. */
function carriersOf([network, prefix]: Range): Range[] {
  const [a = 0, b = 0, c = 0, d = 0] = network.split(".").map(Number);
  const word = (high: number, low: number) => ((high << 8) | low).toString(16);
  return [
    [`64:ff9b::${network}`, 96 + prefix, "ipv6"],
    [`2002:${word(a, b)}:${word(c, d)}::`, 16 + prefix, "ipv6"],
  ];
}

function toRange(cidr: string): Range {
  const [network = "", prefixText] = cidr.split("/");
  const family = isIP(network);
  const prefix = Number(prefixText ?? (family === 6 ? 128 : 32));
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
    throw new Error(`HTTP_ALLOWED_PRIVATE_CIDRS: "${cidr}" is not an address range like 10.0.0.0/8.`);
  return [network, prefix, family === 6 ? "ipv6" : "ipv4"];
}

function blockListOf(ranges: Range[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    list.addSubnet(...range);
    if (range[2] === "ipv4") for (const carrier of carriersOf(range)) list.addSubnet(...carrier);
  }
  return list;
}

const forbidden = blockListOf([...forbiddenIpv4, ...forbiddenIpv6]);
let allowed: { key: string; list: BlockList } | undefined;

function allowedList(): BlockList {
  const cidrs = getEnv().HTTP_ALLOWED_PRIVATE_CIDRS;
  const key = cidrs.join(",");
  if (allowed?.key !== key) allowed = { key, list: blockListOf(cidrs.map(toRange)) };
  return allowed.list;
}

export function isForbiddenAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  // Not an address at all, or one with a zone id (fe80::1%eth0): refuse rather than guess.
  if (family === 0 || bare.includes("%")) return true;
  const type = family === 6 ? "ipv6" : "ipv4";
  return forbidden.check(bare, type) && !allowedList().check(bare, type);
}
