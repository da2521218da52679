/**
 * Turning the bytes of a library file into text: UTF-8 with or without a byte-order mark, and
 * Latin-1 (as the WHATWG `windows-1252` superset) for files that are not valid UTF-8.
 * Pure: no Node or `vscode` import.
 */

/** The text of a file and the encoding it was read with. */
export interface DecodedText {
  text: string;
  encoding: 'utf-8' | 'latin1';
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// WHATWG maps the label "latin1" to windows-1252, which agrees with ISO-8859-1 on every printable
// character and also decodes the curly quotes and dashes that Windows editors put in "Latin-1" files.
const latin1 = new TextDecoder('latin1');

/**
 * Decodes a file's bytes: strips a UTF-8 byte-order mark, decodes UTF-8, and falls back to
 * Latin-1 when the bytes are not valid UTF-8 (every byte sequence is valid Latin-1, so this
 * never throws).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  let start = 0;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  const body = start ? bytes.subarray(start) : bytes;
  try {
    return { text: utf8Strict.decode(body), encoding: 'utf-8' };
  } catch {
    return { text: latin1.decode(body), encoding: 'latin1' };
  }
}
