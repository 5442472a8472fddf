import { describe, expect, it } from "vitest";
import { lineNumbers, lines } from "./lines";

describe("lines", () => {
  it("keeps non-empty trimmed lines", () => {
    expect(lines("a\r\nb")).toEqual(["a", "b"]);
    expect(lines(" a \n\n  \nb")).toEqual(["a", "b"]);
    expect(lines("")).toEqual([]);
  });
  it("numbers each kept line as the textarea shows it", () => {
    const text = "\n a \n\n b\r\n c";
    expect(lineNumbers(text)).toEqual([2, 4, 5]);
    expect(lineNumbers(text).length).toBe(lines(text).length);
  });
});
