// Seeded randomness for the protocol fuzz test: a small PRNG (so a seed replays a run exactly),
// hostile strings and JSON values, values shaped by a JSON Schema, and mutations of those.
import { randomInt } from "node:crypto";

/** sfc32: small, fast and good enough to spread test inputs; not for secrets. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(readonly seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let round = 0; round < 15; round++) this.next();
  }

  /** A fresh seed, or FUZZ_SEED when a run is being replayed. */
  static seedFromEnvironment(): number {
    const given = process.env.FUZZ_SEED;
    if (given !== undefined && given !== "") {
      const seed = Number(given);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
        throw new Error(`FUZZ_SEED must be an integer from 0 to 4294967295, not "${given}"`);
      return seed;
    }
    return randomInt(0, 0xffffffff);
  }

  /** A float in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    const t = (this.a + this.b + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[this.int(0, items.length - 1)]!;
  }

  /** Picks by weight: `[[3, "a"], [1, "b"]]` gives "a" three times as often. */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [weight, value] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1]![1];
  }
}

const awkwardStrings = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0000\u0000\u0000",
  "\ud800",
  "x\udfffy",
  "\udbff\udfff",
  "😀".repeat(3),
  "e\u0301",
  "\u202eevil",
  "\ufeffbom",
  "\r\n\t",
  "<script>alert(1)</script>",
  '\'; DROP TABLE "User"; --',
  "../../etc/passwd",
  "%00",
  "%zz",
  "$" + "{jndi:ldap://x}",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "0",
  "-1",
  "1e309",
  "NaN",
  "true",
  "Ω≈ç√∫˜µ≤≥÷",
  "田中さんにあげて下さい",
  "مرحبا",
  "\u00a0\u2028\u2029",
];

/** A short string that tends to break things: NUL bytes, lone surrogates, odd unicode. */
export function awkwardString(random: Random): string {
  return random.weighted<() => string>([
    [5, () => random.pick(awkwardStrings)],
    [3, () => randomText(random, random.int(1, 40))],
    [1, () => `${random.pick(awkwardStrings)}${randomText(random, random.int(0, 10))}`],
  ])();
}

/** Random code points from every plane, surrogates and control characters included. */
export function randomText(random: Random, length: number): string {
  let text = "";
  for (let index = 0; index < length; index++) {
    const range = random.weighted<[number, number]>([
      [6, [0x20, 0x7e]],
      [1, [0x00, 0x1f]],
      [1, [0x80, 0x7ff]],
      [1, [0x800, 0xd7ff]],
      [1, [0xd800, 0xdfff]],
      [1, [0xe000, 0xffff]],
      [1, [0x10000, 0x10ffff]],
    ]);
    text += String.fromCodePoint(random.int(range[0], range[1]));
  }
  return text;
}

const wellFormedPieces = [
  "a",
  "Z",
  "7",
  " ",
  "-",
  "é",
  "ß",
  "田",
  "م",
  "😀",
  "👩‍💻",
  "\n",
  "\t",
  ".",
  "'",
  '"',
];

/** Well-formed text a person might send: letters of several scripts, emoji, whitespace. */
export function wellFormedText(random: Random, length: number): string {
  let text = "";
  while (text.length < length) text += random.pick(wellFormedPieces);
  return text;
}

/** A string of about `bytes` bytes, cheap to make. */
export function hugeString(random: Random, bytes: number): string {
  const unit = random.pick(["a", "é", "😀", "\u0000", "x".repeat(16)]);
  return unit.repeat(Math.max(1, Math.ceil(bytes / Buffer.byteLength(unit))));
}

/** JSON nested `depth` deep, in arrays or objects. */
export function deepValue(random: Random, depth: number): unknown {
  let value: unknown = random.pick([1, "leaf", null, true]);
  const asArrays = random.chance(0.5);
  for (let level = 0; level < depth; level++) value = asArrays ? [value] : { a: value };
  return value;
}

/** The text of JSON nested `depth` deep; deeper than JSON.stringify itself could go. */
export function deepJson(random: Random, depth: number): string {
  return random.chance(0.5)
    ? `${"[".repeat(depth)}1${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

const awkwardNumbers = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 63),
  1e308,
  -1e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
];

/** Any JSON value at all, biased towards the awkward ones. */
export function junkValue(random: Random, depth = 0): unknown {
  const kinds: [number, () => unknown][] = [
    [3, () => awkwardString(random)],
    [2, () => random.pick(awkwardNumbers)],
    [1, () => random.int(-1000, 1000)],
    [1, () => random.chance(0.5)],
    [1, () => null],
  ];
  if (depth < 3)
    kinds.push(
      [1, () => Array.from({ length: random.int(0, 4) }, () => junkValue(random, depth + 1))],
      [1, () => junkObject(random, depth + 1)],
    );
  return random.weighted(kinds)();
}

export function junkObject(random: Random, depth = 0): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let index = random.int(0, 4); index > 0; index--)
    object[awkwardString(random)] = junkValue(random, depth);
  return object;
}

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
};

/**
 * A value that fits `schema` (its types, enums, required properties and bounds), so that the
 * request gets past validation and into the code behind it. `resolve` follows `$ref`s.
 */
export function valueFromSchema(
  random: Random,
  schema: JsonSchema,
  resolve: (ref: string) => JsonSchema = () => ({}),
  depth = 0,
): unknown {
  if (schema.$ref) return valueFromSchema(random, resolve(schema.$ref), resolve, depth + 1);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return random.pick(schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) return valueFromSchema(random, random.pick(options), resolve, depth + 1);
  if (schema.allOf?.length) return valueFromSchema(random, schema.allOf[0]!, resolve, depth + 1);
  const type = Array.isArray(schema.type) ? random.pick(schema.type) : schema.type;
  switch (type) {
    case "string": {
      const min = schema.minLength ?? 0;
      const max = Math.min(schema.maxLength ?? 40, min + 40);
      let text = random.weighted<() => string>([
        [14, () => wellFormedText(random, random.int(min, max))],
        [3, () => randomText(random, random.int(min, max))],
        [3, () => awkwardString(random)],
      ])();
      if (text.length < min) text = text.padEnd(min, "x");
      return schema.maxLength !== undefined ? text.slice(0, schema.maxLength) : text;
    }
    case "integer":
    case "number": {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1000;
      const value = random.int(Math.ceil(min), Math.floor(max));
      return type === "number" && random.chance(0.3) ? Math.min(max, value + random.next()) : value;
    }
    case "boolean":
      return random.chance(0.5);
    case "null":
      return null;
    case "array": {
      const length = random.int(
        schema.minItems ?? 0,
        Math.min(schema.maxItems ?? 4, (schema.minItems ?? 0) + 4),
      );
      return Array.from({ length }, () => valueFromSchema(random, schema.items ?? {}, resolve, depth + 1));
    }
    case "object":
    case undefined: {
      if (type === undefined && !schema.properties && depth > 0) return junkValue(random, 2);
      const object: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(name) || random.chance(0.5))
          object[name] = valueFromSchema(random, property, resolve, depth + 1);
      }
      if (typeof schema.additionalProperties === "object" && depth < 4)
        for (let index = random.int(0, 3); index > 0; index--)
          object[awkwardString(random)] = valueFromSchema(
            random,
            schema.additionalProperties,
            resolve,
            depth + 1,
          );
      return object;
    }
    default:
      return junkValue(random);
  }
}

/** `value` with one thing changed for the worse: a wrong type, a missing or extra key, a NUL. */
export function mutate(random: Random, value: unknown): unknown {
  if (value === null || typeof value !== "object" || random.chance(0.15)) {
    return random.weighted<() => unknown>([
      [3, () => junkValue(random)],
      [1, () => (typeof value === "string" ? `${value}\u0000` : awkwardString(random))],
      [1, () => (typeof value === "string" ? `${value}\ud800` : deepValue(random, random.int(50, 400)))],
      [1, () => hugeString(random, random.int(1_000, 20_000))],
    ])();
  }
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const target = copy as Record<string, unknown>;
  const keys = Object.keys(copy);
  const key = keys.length ? random.pick(keys) : awkwardString(random);
  const change = random.weighted(
    ["worse", "drop", "add", "null"].map((kind, index) => [index === 0 ? 4 : 1, kind] as const),
  );
  if (change === "worse") target[key] = mutate(random, target[key]);
  else if (change === "drop") delete target[key];
  else if (change === "add") target[awkwardString(random)] = junkValue(random);
  else target[key] = null;
  return copy;
}
