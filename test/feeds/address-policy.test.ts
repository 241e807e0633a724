import type { LookupAddress } from "node:dns";
import { describe, expect, it } from "vitest";
import {
  type AddressPolicy,
  policyLookup,
  RefusedAddress,
  type Resolve,
  refusal,
} from "../../src/feeds/address-policy.ts";

const strict: AddressPolicy = (address) => refusal(address, false);

/** A resolver that answers every name with `addresses`, as a DNS server being rebound might. */
function answering(addresses: string[], asked: { all?: boolean }[] = []): Resolve {
  return (_hostname, options, callback) => {
    asked.push({ all: options.all });
    callback(
      null,
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 })),
    );
  };
}

interface Looked {
  err: NodeJS.ErrnoException | null;
  address: string | LookupAddress[];
  family?: number;
}

function look(lookup: ReturnType<typeof policyLookup>, hostname: string, all: boolean): Promise<Looked> {
  return new Promise((resolve) =>
    lookup(hostname, { all }, (err, address, family) => resolve({ err, address, family })),
  );
}

describe("which addresses a feed may reach", () => {
  it("knows loopback, private, link-local, unique-local and metadata addresses in every spelling", () => {
    const refused: [string, string][] = [
      ["127.0.0.1", "loopback"],
      ["127.255.0.9", "loopback"],
      ["::1", "loopback"],
      ["::ffff:127.0.0.1", "loopback"],
      ["64:ff9b::7f00:1", "loopback"],
      ["0.0.0.0", "reserved"],
      ["::", "reserved"],
      ["10.0.0.1", "private"],
      ["172.16.0.1", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.1", "private"],
      ["100.64.0.1", "private"],
      ["169.254.1.1", "link-local"],
      ["fe80::1", "link-local"],
      ["fc00::1", "unique-local"],
      ["fd12:3456::1", "unique-local"],
      ["169.254.169.254", "cloud metadata"],
      ["::ffff:169.254.169.254", "cloud metadata"],
      ["fd00:ec2::254", "cloud metadata"],
      ["fd00:0ec2:0000::0254", "cloud metadata"],
      ["100.100.100.200", "cloud metadata"],
    ];
    for (const [address, kind] of refused) expect(refusal(address, false), address).toBe(kind);
    for (const address of ["8.8.8.8", "172.32.0.1", "2a00:1450:4001::1", "64:ff9b::808:808"])
      expect(refusal(address, false), address).toBeUndefined();
    const allowed = refused.filter(([, kind]) => kind !== "cloud metadata");
    for (const [address] of allowed) expect(refusal(address, true), address).toBeUndefined();
  });

  it("takes anything that is not an IP address as reserved, so a name never passes unresolved", () => {
    expect(refusal("localhost", true)).toBe("reserved");
    expect(refusal("", false)).toBe("reserved");
    expect(refusal("8.8.8.8.", false)).toBe("reserved");
  });

  it("reads a NAT64 address by the IPv4 address it carries, metadata included", () => {
    expect(refusal("64:ff9b::a9fe:a9fe", true)).toBe("cloud metadata");
    expect(refusal("64:ff9b::192.168.0.1", false)).toBe("private");
    expect(refusal("64:ff9b::192.168.0.1", true)).toBeUndefined();
  });
});

describe("the connect-time lookup", () => {
  it("connects a name that resolves to public and internal addresses only to the public ones", async () => {
    const lookup = policyLookup(
      strict,
      answering(["127.0.0.1", "93.184.215.14", "10.0.0.7", "2a00:1450::1"]),
    );
    expect(await look(lookup, "feeds.example", false)).toEqual({
      err: null,
      address: "93.184.215.14",
      family: 4,
    });
    expect(await look(lookup, "feeds.example", true)).toEqual({
      err: null,
      address: [
        { address: "93.184.215.14", family: 4 },
        { address: "2a00:1450::1", family: 6 },
      ],
      family: undefined,
    });
  });

  it("refuses a name that resolves only to internal addresses, naming the first and its kind", async () => {
    const lookup = policyLookup(strict, answering(["169.254.169.254", "127.0.0.1"]));
    const { err } = await look(lookup, "rebound.example", false);
    expect(err).toBeInstanceOf(RefusedAddress);
    expect(err).toMatchObject({ address: "169.254.169.254", kind: "cloud metadata" });
  });

  it("asks the resolver for every address of the name, whatever the connection asked for", async () => {
    const asked: { all?: boolean }[] = [];
    const lookup = policyLookup(strict, answering(["93.184.215.14"], asked));
    await look(lookup, "feeds.example", false);
    expect(asked).toEqual([{ all: true }]);
  });

  it("reports a name with no address at all as not found", async () => {
    const { err } = await look(policyLookup(strict, answering([])), "empty.example", false);
    expect(err).toMatchObject({ code: "ENOTFOUND", message: "no address for empty.example" });
  });

  it("passes the resolver's own error on", async () => {
    const failing: Resolve = (_hostname, _options, callback) =>
      callback(Object.assign(new Error("queryA ESERVFAIL"), { code: "ESERVFAIL" }), []);
    const { err } = await look(policyLookup(strict, failing), "broken.example", false);
    expect(err).toMatchObject({ code: "ESERVFAIL" });
  });

  it("refuses localhost through the system's own resolver", async () => {
    const { err } = await look(policyLookup(strict), "localhost", false);
    expect(err).toBeInstanceOf(RefusedAddress);
    expect(err).toMatchObject({ kind: "loopback" });
  });

  it("lets localhost through the system's own resolver when private addresses are allowed", async () => {
    const { err, address } = await look(
      policyLookup((a) => refusal(a, true)),
      "localhost",
      false,
    );
    expect(err).toBeNull();
    expect(["127.0.0.1", "::1"]).toContain(address);
  });
});
