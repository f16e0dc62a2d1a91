/**
 * Editor data generated from the Custom Elements Manifest (`custom-elements.json`), shipped in
 * the package so that editors complete and describe the elements:
 *
 * - `vscode.html-custom-data.json`: VS Code's HTML custom data (`html.customData`): tags,
 *   their attributes (with the allowed values when the type is a union of literals), and a
 *   description with the element's events, slots, parts and custom properties;
 * - `vscode.css-custom-data.json`: VS Code's CSS custom data (`css.customData`): every
 *   `--billing-*` custom property once, with its description, default and the elements that
 *   read it;
 * - `web-types.json`: JetBrains Web Types (package.json "web-types"): elements with their
 *   attributes, properties, events, slots, custom properties and parts.
 *
 * `npm run analyze` writes the manifest, then runs this (`tsx scripts/editor-data.ts`).
 * test/elements/manifest.test.ts checks the committed files are what this produces from the
 * committed manifest.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parts of a Custom Elements Manifest (schema 1.0.0) read here. */
interface Named {
  name: string;
  description?: string;
}
interface Typed extends Named {
  type?: { text: string };
  default?: string;
}
interface Declaration {
  kind: string;
  name: string;
  customElement?: boolean;
  tagName?: string;
  summary?: string;
  description?: string;
  attributes?: (Typed & { fieldName?: string })[];
  members?: (Typed & { kind: string; static?: boolean; readonly?: boolean; privacy?: string })[];
  events?: Typed[];
  slots?: Named[];
  cssParts?: Named[];
  cssProperties?: Typed[];
}
export interface Manifest {
  modules: { path: string; declarations?: Declaration[] }[];
}
export interface PackageJson {
  name: string;
  version: string;
  exports?: Record<string, string | { default?: string }>;
}

/** The generated files, by name (at the package root). */
export const EDITOR_DATA_FILES = ['vscode.html-custom-data.json', 'vscode.css-custom-data.json', 'web-types.json'] as const;
export type EditorDataFile = (typeof EDITOR_DATA_FILES)[number];

interface Element {
  declaration: Declaration & { tagName: string };
  /** The file that defines it, e.g. `dist/billing-usage-meter.js`. */
  path: string;
}

function elements(manifest: Manifest): Element[] {
  return manifest.modules.flatMap((module) =>
    (module.declarations ?? [])
      .filter((declaration): declaration is Declaration & { tagName: string } => Boolean(declaration.customElement && declaration.tagName))
      .map((declaration) => ({ declaration, path: module.path })),
  );
}

/** One line of text: JSDoc line breaks are not paragraph breaks. */
const oneLine = (text = '') => text.replace(/\s*\n\s*/g, ' ').trim();

/** An element's own tokens start with its name (`--billing-usage-meter-…`); the others are system tokens. */
const isOwnToken = (tagName: string, token: string) => token.startsWith(`--${tagName}-`);

/** The string literals of a union type (`'a' | 'b'`), or null when it is anything else. */
function literals(type: string | undefined): string[] | null {
  const options = (type ?? '').split('|').map((option) => option.trim());
  return options.length > 0 && options.every((option) => /^'[^']*'$|^"[^"]*"$/.test(option)) ? options.map((option) => option.slice(1, -1)) : null;
}

/** Markdown: the summary, the description, then the events, slots, parts and custom properties. */
function describe({ declaration }: Element): string {
  const list = (title: string, items: string[]) => (items.length ? [`**${title}**`, ...items.map((item) => `- ${item}`)].join('\n') : '');
  const entry = (name: string, description?: string) => (description ? `\`${name}\` — ${oneLine(description)}` : `\`${name}\``);
  const tokens = declaration.cssProperties ?? [];
  const own = tokens.filter((token) => isOwnToken(declaration.tagName, token.name));
  const system = tokens.filter((token) => !isOwnToken(declaration.tagName, token.name));
  return [
    oneLine(declaration.summary),
    oneLine(declaration.description),
    list(
      'Events',
      (declaration.events ?? []).map((event) => `${entry(event.name, event.description)}${event.type ? ` (\`${event.type.text}\`)` : ''}`),
    ),
    list(
      'Slots',
      (declaration.slots ?? []).map((slot) => entry(slot.name || '(default)', slot.description)),
    ),
    list(
      'CSS parts',
      (declaration.cssParts ?? []).map((part) => entry(part.name, part.description)),
    ),
    list('CSS custom properties', own.map((token) => entry(token.name, token.description))),
    system.length ? `**System tokens read:** ${system.map((token) => `\`${token.name}\``).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** Each custom property once, with the elements that read it, sorted by name. */
function customProperties(all: Element[]): { token: Typed; readBy: string[] }[] {
  const tokens = new Map<string, { token: Typed; readBy: string[] }>();
  for (const { declaration } of all) {
    for (const token of declaration.cssProperties ?? []) {
      const known = tokens.get(token.name);
      if (known) known.readBy.push(declaration.tagName);
      else tokens.set(token.name, { token, readBy: [declaration.tagName] });
    }
  }
  return [...tokens.values()].sort((a, b) => a.token.name.localeCompare(b.token.name));
}

function describeToken({ token, readBy }: { token: Typed; readBy: string[] }): string {
  return [
    oneLine(token.description),
    token.default ? `Default: \`${token.default}\`` : '',
    `Read by ${readBy.map((tag) => `\`<${tag}>\``).join(', ')}.`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

const markdown = (value: string) => ({ kind: 'markdown', value });

function vsCodeHtml(all: Element[]): unknown {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: all.map((element) => ({
      name: element.declaration.tagName,
      description: markdown(describe(element)),
      attributes: (element.declaration.attributes ?? []).map((attribute) => {
        const values = literals(attribute.type?.text);
        return {
          name: attribute.name,
          description: markdown(
            [oneLine(attribute.description), attribute.type ? `Type: \`${attribute.type.text}\`` : '', attribute.default ? `Default: \`${attribute.default}\`` : '']
              .filter(Boolean)
              .join('\n\n'),
          ),
          ...(values ? { values: values.map((name) => ({ name })) } : attribute.type?.text === 'boolean' ? { valueSet: 'v' } : {}),
        };
      }),
    })),
  };
}

function vsCodeCss(all: Element[]): unknown {
  return {
    $schema: 'https://raw.githubusercontent.com/microsoft/vscode-css-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    properties: customProperties(all).map((entry) => ({ name: entry.token.name, description: markdown(describeToken(entry)) })),
  };
}

/** `dist/billing-usage-meter.js` → `billing-elements/billing-usage-meter.js`, as package.json "exports" names it. */
function specifier(pkg: PackageJson, path: string): string {
  const key = Object.entries(pkg.exports ?? {}).find(([, target]) => (typeof target === 'string' ? target : target.default) === `./${path}`)?.[0];
  if (!key) throw new Error(`package.json "exports" does not name ./${path}`);
  return key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`;
}

function webTypes(all: Element[], pkg: PackageJson): unknown {
  const named = ({ name, description }: Named) => ({ name, ...(description ? { description: oneLine(description) } : {}) });
  return {
    $schema: 'https://raw.githubusercontent.com/JetBrains/web-types/master/schema/web-types.json',
    name: pkg.name,
    version: pkg.version,
    'js-types-syntax': 'typescript',
    'description-markup': 'markdown',
    contributions: {
      html: {
        elements: all.map((element) => {
          const { declaration } = element;
          const events = (declaration.events ?? []).map((event) => ({ ...named(event), ...(event.type ? { type: event.type.text } : {}) }));
          return {
            name: declaration.tagName,
            description: describe(element),
            source: { module: specifier(pkg, element.path), symbol: declaration.name },
            // A union of literals as the type (`'a' | 'b'`) is what the IDE completes values from.
            attributes: (declaration.attributes ?? []).map((attribute) => ({
              ...named(attribute),
              ...(attribute.default ? { default: attribute.default } : {}),
              value: { type: attribute.type?.text ?? 'string' },
            })),
            slots: (declaration.slots ?? []).map(named),
            events,
            js: {
              properties: (declaration.members ?? [])
                .filter((member) => member.kind === 'field' && !member.static)
                .map((member) => ({
                  ...named(member),
                  ...(member.type ? { type: member.type.text } : {}),
                  ...(member.readonly ? { 'read-only': true } : {}),
                })),
              events,
            },
            css: {
              properties: (declaration.cssProperties ?? []).map(named),
              parts: (declaration.cssParts ?? []).map(named),
            },
          };
        }),
      },
      css: {
        properties: customProperties(all).map((entry) => ({ name: entry.token.name, description: describeToken(entry) })),
      },
    },
  };
}

/** The editor data files, by name, from a manifest and the package.json that ships them. */
export function editorData(manifest: Manifest, pkg: PackageJson): Record<EditorDataFile, string> {
  const all = elements(manifest);
  if (all.length === 0) throw new Error('custom-elements.json describes no custom element');
  const json = (data: unknown) => `${JSON.stringify(data, null, 2)}\n`;
  return {
    'vscode.html-custom-data.json': json(vsCodeHtml(all)),
    'vscode.css-custom-data.json': json(vsCodeCss(all)),
    'web-types.json': json(webTypes(all, pkg)),
  };
}

/** Reads custom-elements.json and package.json in `root`, and the generated files. */
export function editorDataOf(root: string): Record<EditorDataFile, string> {
  const read = (name: string) => JSON.parse(readFileSync(join(root, name), 'utf8')) as unknown;
  return editorData(read('custom-elements.json') as Manifest, read('package.json') as PackageJson);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = process.cwd();
  for (const [name, content] of Object.entries(editorDataOf(root))) {
    writeFileSync(join(root, name), content);
    console.log(`wrote ${name}`);
  }
}
