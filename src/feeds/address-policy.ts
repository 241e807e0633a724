import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

// Where a feed may not lead: internal services that a feed URL or a redirect could reach.

export type RefusedKind =
  | "cloud metadata"
  | "loopback"
  | "private"
  | "link-local"
  | "unique-local"
  | "reserved";

/** Why a feed may not connect to an address, or undefined when it may. */
export type AddressPolicy = (address: string) => RefusedKind | undefined;

/** A lookup found only addresses a feed may not reach. */
export class RefusedAddress extends Error {
  constructor(
    readonly address: string,
    readonly kind: RefusedKind,
  ) {
    super(`${address} is a ${kind} address`);
  }
}

const RANGES: [RefusedKind, [address: string, prefix: number][]][] = [
  // Instance metadata hands out cloud credentials: never a feed, whatever FEEDS_ALLOW_PRIVATE says.
  [
    "cloud metadata",
    [
      ["169.254.169.254", 32],
      ["169.254.169.253", 32],
      ["169.254.170.2", 32],
      ["169.254.170.23", 32],
      ["100.100.100.200", 32],
      ["fd00:ec2::254", 128],
      ["fd00:ec2::23", 128],
    ],
  ],
  [
    "loopback",
    [
      ["127.0.0.0", 8],
      ["::1", 128],
    ],
  ],
  [
    "private",
    [
      ["10.0.0.0", 8],
      ["172.16.0.0", 12],
      ["192.168.0.0", 16],
      ["100.64.0.0", 10],
    ],
  ],
  [
    "link-local",
    [
      ["169.254.0.0", 16],
      ["fe80::", 10],
    ],
  ],
  [
    "unique-local",
    [
      ["fc00::", 7],
      ["fec0::", 10],
    ],
  ],
  [
    "reserved",
    [
      ["0.0.0.0", 8],
      ["192.0.0.0", 24],
      ["198.18.0.0", 15],
      ["224.0.0.0", 3],
      ["::", 128],
      ["ff00::", 8],
    ],
  ],
];

const BLOCKS = RANGES.map(([kind, ranges]) => {
  const block = new BlockList();
  for (const [address, prefix] of ranges)
    block.addSubnet(address, prefix, isIP(address) === 6 ? "ipv6" : "ipv4");
  return [kind, block] as const;
});

/** Why a feed may not connect to `address`, or undefined when it may. */
export function refusal(address: string, allowPrivate: boolean): RefusedKind | undefined {
  const family = isIP(address);
  if (family === 0) return "reserved";
  // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits; IPv4-mapped ones BlockList reads itself.
  const embedded = family === 6 ? nat64Ipv4(address) : undefined;
  if (embedded) return refusal(embedded, allowPrivate);
  const type = family === 6 ? "ipv6" : "ipv4";
  const found = BLOCKS.find(([, block]) => block.check(address, type))?.[0];
  if (found === "cloud metadata") return found;
  return allowPrivate ? undefined : found;
}

const NAT64 = new BlockList();
NAT64.addSubnet("64:ff9b::", 96, "ipv6");

function nat64Ipv4(address: string): string | undefined {
  if (!NAT64.check(address, "ipv6")) return undefined;
  const [high = 0, low = 0] = expandIpv6(address)?.slice(6) ?? [];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = "", right] = text.split("::");
  const head = left ? left.split(":") : [];
  const tail = right ? right.split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (right === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...head, ...Array<string>(right === undefined ? 0 : missing).fill("0"), ...tail].map((g) =>
    Number.parseInt(g, 16),
  );
}

/** The system resolver's shape, asked for every address of a name. */
export type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A connect-time lookup that applies the policy to the addresses a host name resolves to when
 * the connection is made, not before, so a name that resolves to a public address at one moment
 * and an internal one the next (DNS rebinding) still never connects inside. Refused addresses are
 * dropped; none left, none connects, and the error names the first one refused.
 * A literal address is connected to without any lookup, so the caller checks those itself.
 */
export function policyLookup(refuse: AddressPolicy, resolve: Resolve = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const judged = addresses.map((a) => ({ ...a, kind: refuse(a.address) }));
      const allowed = judged.filter((a) => a.kind === undefined);
      const [first] = allowed;
      if (first) {
        if (options.all)
          callback(
            null,
            allowed.map(({ address, family }) => ({ address, family })),
          );
        else callback(null, first.address, first.family);
        return;
      }
      const [blocked] = judged;
      if (blocked?.kind) callback(new RefusedAddress(blocked.address, blocked.kind), "");
      else callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "");
    });
  };
}
