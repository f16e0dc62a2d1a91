/**
 * The text a PDF draws, for tests: every Flate content stream inflated, every hex string
 * shown with `Tj` (what pdf-lib writes for the standard fonts) decoded from WinAnsi. Not a
 * PDF parser — just enough to check what the reference engine drew.
 */
import { inflateSync } from 'node:zlib';

const winAnsi = new TextDecoder('windows-1252');

export function pdfTextRuns(bytes: Uint8Array): string[] {
  const latin1 = Buffer.from(bytes).toString('latin1');
  const runs: string[] = [];
  for (const match of latin1.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1] ?? '', 'latin1')).toString('latin1');
    } catch {
      continue; // not a Flate stream (fonts are not embedded, so there are few of those)
    }
    for (const shown of content.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
      runs.push(winAnsi.decode(Buffer.from(shown[1] ?? '', 'hex')));
    }
  }
  return runs;
}
