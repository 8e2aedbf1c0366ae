import { describe, expect, it } from "vitest";
import { isStorableText } from "@/lib/db/storable-text";
import { capForStorage, maxStoredBytes } from "./payload-limits";

describe("capForStorage", () => {
  it("keeps a value small enough to store as it is", () => {
    expect(capForStorage({ text: "short" })).toEqual({ text: "short" });
  });

  it("keeps a prefix of a larger value that never ends in half an emoji", () => {
    // '{"text":"' is 9 units, so the 2,000-unit cut falls between the halves of an emoji.
    const capped = capForStorage({ text: "😀".repeat(maxStoredBytes) }) as {
      truncated: boolean;
      preview: string;
    };
    expect(capped.truncated).toBe(true);
    expect(isStorableText(capped.preview)).toBe(true);
    expect(capped.preview).toBe(`{"text":"${"😀".repeat(995)}`);
  });
});
