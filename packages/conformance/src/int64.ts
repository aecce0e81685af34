/**
 * The API's 64-bit integers, one rule for path, query and body: a number fits when its exact value,
 * read from the text as sent, is within a signed 64-bit integer. A body is read as written, because
 * JSON.parse rounds through floating point: 9223372036854775807 (the largest) would come back as
 * 9223372036854775808 (one too many). Only where the schema says integer is the rule applied.
 */
import { escapeSegment } from "./json.js";

const int64Max = 2n ** 63n - 1n;
const int64Min = -(2n ** 63n);
const integerText = /^[+-]?\d+$/;
const numberToken = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Whether a parameter's text is a whole decimal number (`12`, `-3`), as the API reads them. */
export const isIntegerText = (text: string): boolean => integerText.test(text);

/** Whether a number, as written (`9223372036854775807`, `1e20`, `-12.0`), is an integer that does not fit in 64 bits. */
export function beyondInt64(text: string): boolean {
  if (integerText.test(text)) {
    const value = BigInt(text);
    return value > int64Max || value < int64Min;
  }
  const value = Number(text);
  return Number.isInteger(value) && Math.abs(value) >= 2 ** 63;
}

/** The message of the int64 rule, wherever it is broken. */
export const int64Message = (text: string): string => `must fit in 64 bits, got ${text}`;

/**
 * The numbers of a JSON text (already known to parse) whose value, as written, is an integer
 * beyond 64 bits, by JSON pointer. A scan of the tokens: strings skipped, containers tracked.
 */
export function oversizeIntegers(text: string): Map<string, string> {
  const found = new Map<string, string>();
  // Each open container: its path so far, and for an object the key read last, for an array the index.
  const stack: { path: string; array: boolean; key: string; index: number }[] = [];
  let expectingKey = false;
  const here = () => {
    const top = stack[stack.length - 1];
    if (!top) return "";
    return `${top.path}/${top.array ? String(top.index) : escapeSegment(top.key)}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      let raw = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\") {
          raw += text.slice(j, j + 2);
          j += 2;
        } else raw += text[j++];
      }
      if (expectingKey) stack[stack.length - 1]!.key = JSON.parse(`"${raw}"`) as string;
      i = j;
    } else if (c === "{" || c === "[") {
      const path = here();
      stack.push({ path, array: c === "[", key: "", index: 0 });
      expectingKey = c === "{";
    } else if (c === "}" || c === "]") {
      stack.pop();
      expectingKey = false;
    } else if (c === ":") {
      expectingKey = false;
    } else if (c === ",") {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      expectingKey = !!top && !top.array;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      numberToken.lastIndex = i;
      const number = numberToken.exec(text)![0];
      if (beyondInt64(number)) found.set(here(), number);
      i += number.length - 1;
    }
  }
  return found;
}
