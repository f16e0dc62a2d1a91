/**
 * The text a PDF draws, for tests: every Flate content stream inflated, every hex string
 * shown with `Tj` (what pdf-lib writes for the standard fonts) decoded from WinAnsi. Not a
 * PDF parser — just enough to check what the reference engine drew.
 */
import { inflateSync } from 'node:zlib';

/** WinAnsi (Windows-1252) bytes 0x80–0x9F; the rest is Latin-1. (Node's TextDecoder decodes that label as Latin-1.) */
const HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function decodeWinAnsi(bytes: Buffer): string {
  let text = '';
  for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? HIGH[byte - 0x80] : String.fromCharCode(byte);
  return text;
}

export function pdfTextRuns(bytes: Uint8Array): string[] {
  const latin1 = Buffer.from(bytes).toString('latin1');
  const runs: string[] = [];
  // A stream is its dictionary's /Length bytes after "stream" and its end of line.
  for (const match of latin1.matchAll(/\/Length (\d+)[^>]*>>\s*stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const data = latin1.slice(start, start + Number(match[1]));
    let content: string;
    try {
      content = inflateSync(Buffer.from(data, 'latin1')).toString('latin1');
    } catch {
      continue; // not a Flate stream (fonts are not embedded, so there are few of those)
    }
    for (const shown of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
      runs.push(decodeWinAnsi(Buffer.from(shown[1] ?? '', 'hex')));
    }
  }
  return runs;
}
