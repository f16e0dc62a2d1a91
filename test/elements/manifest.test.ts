/**
 * The committed Custom Elements Manifest (`custom-elements.json`) is the one the analyzer
 * makes from the sources now, it describes the shipped files, and it tells the truth about
 * each element — checked against the sources, not against the analyzer's config: public
 * attributes only, every event fired (typed), every token read, every part and slot in the
 * templates. The editor data files are what scripts/editor-data.ts makes from it.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { EDITOR_DATA_FILES, editorData, type Manifest, type PackageJson } from '../../scripts/editor-data.js';

interface Entry {
  name: string;
  description?: string;
  type?: { text: string };
  privacy?: string;
  fieldName?: string;
  kind?: string;
}
interface Declaration {
  kind: string;
  name: string;
  customElement?: boolean;
  tagName?: string;
  members?: Entry[];
  attributes?: Entry[];
  events?: Entry[];
  slots?: Entry[];
  cssParts?: Entry[];
  cssProperties?: (Entry & { default?: string })[];
}
interface Module {
  path: string;
  declarations?: Declaration[];
  exports?: { kind: string; name: string; declaration: { name: string; module?: string } }[];
}

const read = (file: string) => readFileSync(file, 'utf8');
const committedText = read('custom-elements.json');
const committed = JSON.parse(committedText) as { modules: Module[] };
const pkg = JSON.parse(read('package.json')) as PackageJson & { exports: Record<string, string | { types?: string; default?: string }>; files: string[]; 'web-types'?: string };
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** What the sources say about one element. */
interface SourceElement {
  tag: string;
  className: string;
  /** The registration file, e.g. src/elements/usage-meter/billing-usage-meter.ts. */
  registration: string;
  /** The file of the class. */
  file: string;
  source: string;
  folder: string;
}

/** Every element, from the `customElements.define` calls of the registration files. */
function sourceElements(): SourceElement[] {
  return readdirSync('src/elements', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const folder = join('src/elements', entry.name);
      return readdirSync(folder)
        .filter((name) => /^billing-[\w-]+\.ts$/.test(name))
        .map((name) => {
          const registration = join(folder, name);
          const text = read(registration);
          const [, tag, className] = /customElements\.define\('([\w-]+)', (\w+)\)/.exec(text)!;
          const from = new RegExp(`import \\{ ${className} \\} from '\\./([\\w-]+)\\.js'`).exec(text)![1]!;
          const file = join(folder, `${from}.ts`);
          return { tag: tag!, className: className!, registration, file, source: read(file), folder };
        });
    });
}

const elements = sourceElements();
const declarations = committed.modules.flatMap((module) => module.declarations ?? []);
const declarationOf = (tag: string) => {
  const declaration = declarations.find((candidate) => candidate.customElement && candidate.tagName === tag);
  assert.ok(declaration, `custom-elements.json has no <${tag}>`);
  return declaration;
};

/** Event class → event name, from src/elements/events.ts. */
const eventNames = new Map(
  [...read('src/elements/events.ts').matchAll(/export class (\w+) extends Event \{\s*static readonly type = '([^']+)'/g)].map(([, className, name]) => [
    className!,
    name!,
  ]),
);
/** The event classes a file dispatches (`new BillingXEvent(`). */
const dispatched = (source: string) => [...source.matchAll(/new (Billing\w+Event)\(/g)].map((match) => match[1]!);

/** The events that reach a listener on the element: its own, its change controller's, and those of the elements it renders. */
function expectedEvents(element: SourceElement): Map<string, string> {
  const classes = dispatched(element.source);
  if (element.source.includes('new ChangeController(')) classes.push(...dispatched(read('src/elements/shared/change-controller.ts')));
  const events = new Map(classes.map((className) => [eventNames.get(className)!, className]));
  for (const [, tag] of element.source.matchAll(/html`[^`]*?<(billing-[\w-]+)/g)) {
    const inner = elements.find((candidate) => candidate.tag === tag);
    if (inner && inner !== element) for (const [name, className] of expectedEvents(inner)) events.set(name, className);
  }
  return events;
}

/** The part names a template file writes (`part="x"`, `part=${a ? 'x' : 'y'}`), selectors (`[part="x"]`) left out. */
function partsIn(source: string): string[] {
  const fixed = [...source.matchAll(/(?<!\[)\bpart="([\w-]+)"/g)].map((match) => match[1]!);
  const dynamic = [...source.matchAll(/\bpart=\$\{([^}]*)\}/g)].flatMap((match) => [...match[1]!.matchAll(/'([\w-]+)'/g)].map((quoted) => quoted[1]!));
  return [...fixed, ...dynamic];
}

/** The parts an element shows: its own templates', and those of the shared templates it renders. */
function expectedParts(element: SourceElement): string[] {
  const own = readdirSync(element.folder)
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.styles.ts') && !name.startsWith('billing-'))
    .flatMap((name) => partsIn(read(join(element.folder, name))));
  const shared: [RegExp, string][] = [
    [/\.gate\(|renderError\(/, 'states.ts'],
    [/announcer\.render\(/, 'announcer.ts'],
    [/renderDialog\(/, 'change-dialog.ts'],
    [/renderCancel\(/, 'change-controller.ts'],
  ];
  const borrowed = shared.filter(([use]) => use.test(element.source)).flatMap(([, file]) => partsIn(read(join('src/elements/shared', file))));
  return sorted([...own, ...borrowed]);
}

const TOKEN = /var\(\s*(--billing-[a-z0-9]+(?:-[a-z0-9]+)*)/g;
const tokensIn = (file: string) => [...read(file).matchAll(TOKEN)].map((match) => match[1]!);

/** The tokens an element's styles read: the stylesheets its class imports, and the change dialog's when it shows one. */
function expectedTokens(element: SourceElement): string[] {
  const sheets = [...element.source.matchAll(/from '(\.{1,2}\/[\w/.-]+\.styles)\.js'/g)].map((match) => join(element.folder, `${match[1]}.ts`));
  if (element.source.includes('renderDialog(')) sheets.push('src/elements/shared/change-dialog.styles.ts');
  // Inline `css` in the class file itself.
  return sorted([...sheets.flatMap(tokensIn), ...tokensIn(element.file)]);
}

/** The entries of a `static properties = { … }` object: name → its options as written. */
function reactiveProperties(source: string): Map<string, string> {
  const entriesOf = (body: string) => [...body.matchAll(/^\s*(\w+): (\{[^}]*\}),?$/gm)].map(([, name, options]) => [name!, options!] as const);
  const body = /static (?:override )?properties = \{([\s\S]*?)\n {2}\};/.exec(source)?.[1] ?? '';
  const entries = new Map(entriesOf(body));
  // The host properties every element spreads (shared/host.ts).
  if (body.includes('...hostProperties')) {
    for (const [name, options] of entriesOf(/export const hostProperties = \{([\s\S]*?)\n\}/.exec(read('src/elements/shared/host.ts'))![1]!)) entries.set(name, options);
  }
  return entries;
}

/** The attributes Lit observes for an element: not `state`, not `attribute: false`; named by `attribute` or lowercased. */
function expectedAttributes(element: SourceElement): string[] {
  return sorted(
    [...reactiveProperties(element.source)].flatMap(([name, options]) => {
      if (/state:\s*true/.test(options) || /attribute:\s*false/.test(options)) return [];
      return [/attribute:\s*'([\w-]+)'/.exec(options)?.[1] ?? name.toLowerCase()];
    }),
  );
}

/** Fields that are the element's internal state: `state: true` properties, `private`/`protected` fields, `#` members. */
function internalNames(element: SourceElement): string[] {
  const states = [...reactiveProperties(element.source)].filter(([, options]) => /state:\s*true/.test(options)).map(([name]) => name);
  const hidden = [...element.source.matchAll(/^ {2}(?:private|protected)(?: override)?(?: readonly)? (\w+)/gm)].map((match) => match[1]!);
  const hashed = [...element.source.matchAll(/^ {2}(?:get |async |static )?(#\w+)/gm)].map((match) => match[1]!);
  return sorted([...states, ...hidden, ...hashed]);
}

describe('custom-elements.json', () => {
  let fresh: unknown;

  before(async () => {
    // In this process, written nowhere (`noWrite`): the committed file is left as it is.
    const analyzer: string = '@custom-elements-manifest/analyzer/cli.js';
    const { cli } = (await import(analyzer)) as { cli: (options: { argv: string[]; noWrite: boolean }) => Promise<unknown> };
    fresh = await cli({ argv: ['analyze', '--quiet'], noWrite: true });
  });

  it('is the manifest the analyzer makes from the sources now (run `npm run analyze` when not)', () => {
    const expected = `${JSON.stringify(fresh, null, 2)}\n`;
    if (expected === committedText) return;
    const freshModules = (fresh as { modules: Module[] }).modules;
    const stale = [...new Set([...freshModules, ...committed.modules].map((module) => module.path))].filter(
      (path) =>
        JSON.stringify(freshModules.find((module) => module.path === path)) !== JSON.stringify(committed.modules.find((module) => module.path === path)),
    );
    const changed = expected.split('\n').filter((line, index) => line !== committedText.split('\n')[index]).length;
    assert.fail(`custom-elements.json is stale (${changed} lines differ; modules: ${stale.slice(0, 8).join(', ') || 'order only'}${stale.length > 8 ? ', …' : ''}): run \`npm run analyze\``);
  });

  it('names the shipped files: the registration modules and dist/index.js of package.json "exports"', () => {
    const shipped = new Map(
      Object.values(pkg.exports).flatMap((target) => (typeof target === 'object' && target.default ? [[target.default.slice(2), target]] : [])),
    );
    const text = JSON.stringify(committed);
    assert.doesNotMatch(text, /src\//, 'a path of the sources, which are not shipped');
    for (const module of committed.modules) {
      assert.ok(shipped.has(module.path), `${module.path} is no file package.json "exports" ships`);
      for (const entry of module.exports ?? []) {
        const target = entry.declaration.module;
        assert.ok(target && shipped.has(target), `${module.path} exports ${entry.name} from ${target}, no shipped file`);
        assert.ok(
          committed.modules.find((candidate) => candidate.path === target)?.declarations?.some((declaration) => declaration.name === entry.declaration.name),
          `${module.path} exports ${entry.name}, declared nowhere in the manifest`,
        );
      }
    }
    const definitions = committed.modules.flatMap((module) => (module.exports ?? []).filter((entry) => entry.kind === 'custom-element-definition'));
    assert.deepEqual(sorted(definitions.map((entry) => entry.name)), sorted(elements.map((element) => element.tag)), 'one definition per element');
    for (const element of elements) {
      const definition = definitions.find((entry) => entry.name === element.tag)!;
      const target = shipped.get(definition.declaration.module!) as { types?: string };
      // The registration file's types are its declaration file: dist/elements/…/billing-x.d.ts.
      assert.equal(target.types, `./dist/${element.registration.slice('src/'.length).replace(/\.ts$/, '.d.ts')}`, `<${element.tag}> defined in ${definition.declaration.module}`);
      assert.equal(definition.declaration.name, element.className);
    }
    assert.ok(pkg.files.includes('custom-elements.json'), 'package.json "files" ships the manifest');
  });

  for (const element of elements) {
    describe(`<${element.tag}>`, () => {
      const declaration = declarationOf(element.tag);

      it('lists the attributes Lit observes, and no internal state as member or attribute', () => {
        assert.deepEqual(sorted((declaration.attributes ?? []).map((attribute) => attribute.name)), expectedAttributes(element));
        const internal = internalNames(element);
        const members = (declaration.members ?? []).map((member) => member.name);
        assert.deepEqual(
          members.filter((name) => internal.includes(name) || name.startsWith('#')),
          [],
          'internal members listed',
        );
        for (const member of declaration.members ?? []) {
          assert.ok(member.privacy === undefined || member.privacy === 'public', `${member.name} is ${member.privacy}`);
        }
        for (const attribute of declaration.attributes ?? []) {
          assert.ok(attribute.fieldName && members.includes(attribute.fieldName), `attribute ${attribute.name} has no public property`);
          assert.ok(attribute.description, `attribute ${attribute.name} has no description`);
        }
      });

      it('lists every event that reaches a listener on it, each typed with its class and described', () => {
        const expected = expectedEvents(element);
        const events = declaration.events ?? [];
        assert.deepEqual(sorted(events.map((event) => event.name)), sorted(expected.keys()));
        for (const event of events) {
          assert.equal(event.type?.text, expected.get(event.name), `${event.name} type`);
          assert.ok(event.description, `${event.name} has no description`);
        }
      });

      it('lists every token its styles read, system tokens included, each described', () => {
        const properties = declaration.cssProperties ?? [];
        assert.deepEqual(sorted(properties.map((property) => property.name)), expectedTokens(element));
        for (const property of properties) assert.ok(property.description, `${property.name} has no description`);
      });

      it('lists the parts its templates write, each described', () => {
        assert.deepEqual(sorted((declaration.cssParts ?? []).map((part) => part.name)), expectedParts(element));
        for (const part of declaration.cssParts ?? []) assert.ok(part.description, `part ${part.name} has no description`);
      });

      it('lists its slots', () => {
        const source = element.source;
        const expected = [
          ...(/<slot>/.test(source) ? [''] : []),
          ...[...source.matchAll(/<slot name="([\w-]+)"/g)].map((match) => match[1]!),
          // The dashboard's sections are slots named after them.
          ...(/<slot name=\$\{section\}/.test(source) ? JSON.parse(/SECTIONS = (\[[^\]]*\])/.exec(source)![1]!.replaceAll("'", '"')) as string[] : []),
        ];
        assert.deepEqual(sorted((declaration.slots ?? []).map((slot) => slot.name)), sorted(expected));
        for (const slot of declaration.slots ?? []) assert.ok(slot.description, `slot "${slot.name}" has no description`);
      });
    });
  }

  it('lists, over all elements, every token the elements read (those docs/elements.md documents)', () => {
    const listed = new Set(declarations.flatMap((declaration) => (declaration.cssProperties ?? []).map((property) => property.name)));
    const read = new Set<string>();
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
      );
    for (const file of walk('src/elements')) for (const token of tokensIn(file)) read.add(token);
    assert.deepEqual(sorted(listed), sorted(read));
  });
});

describe('editor data', () => {
  const generated = editorData(committed as Manifest, pkg);

  for (const name of EDITOR_DATA_FILES) {
    it(`${name} is what scripts/editor-data.ts makes from custom-elements.json (run \`npm run analyze\` when not)`, () => {
      assert.ok(generated[name] === read(name), `${name} is stale: run \`npm run analyze\``);
      assert.ok(pkg.files.includes(name), `package.json "files" does not ship ${name}`);
    });
  }

  it('gives VS Code every element, its attributes and every token once', () => {
    const html = JSON.parse(generated['vscode.html-custom-data.json']) as { tags: { name: string; attributes: { name: string }[] }[] };
    assert.deepEqual(sorted(html.tags.map((tag) => tag.name)), sorted(elements.map((element) => element.tag)));
    for (const element of elements) {
      const tag = html.tags.find((candidate) => candidate.name === element.tag)!;
      assert.deepEqual(sorted(tag.attributes.map((attribute) => attribute.name)), expectedAttributes(element));
    }
    const css = JSON.parse(generated['vscode.css-custom-data.json']) as { properties: { name: string }[] };
    const names = css.properties.map((property) => property.name);
    assert.equal(names.length, new Set(names).size, 'a token listed twice');
    assert.ok(names.includes('--billing-color-accent'));
  });

  it('gives JetBrains IDEs (package.json "web-types") every element with its events and parts', () => {
    assert.equal(pkg['web-types'], './web-types.json');
    const webTypes = JSON.parse(generated['web-types.json']) as {
      name: string;
      version: string;
      contributions: { html: { elements: { name: string; js: { events: { name: string }[] }; css: { parts: { name: string }[] } }[] } };
    };
    assert.equal(webTypes.name, pkg.name);
    assert.equal(webTypes.version, pkg.version);
    for (const element of elements) {
      const entry = webTypes.contributions.html.elements.find((candidate) => candidate.name === element.tag);
      assert.ok(entry, `web-types.json has no <${element.tag}>`);
      assert.deepEqual(sorted(entry.js.events.map((event) => event.name)), sorted(expectedEvents(element).keys()));
      assert.deepEqual(sorted(entry.css.parts.map((part) => part.name)), expectedParts(element));
    }
  });
});
