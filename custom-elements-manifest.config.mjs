import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The Custom Elements Manifest (`custom-elements.json`) describes what the package ships: one
 * module per registration file (`dist/billing-*.js`, as package.json "exports" maps them) with
 * its element, and `dist/index.js` with the classes, events and helpers it exports. The
 * analyzer reads the sources; the plugins below make the result true to the shipped files:
 *
 * - host properties: adds the properties every element spreads from shared/host.ts;
 * - private state: Lit `state: true` properties, `private`/`protected` and `#` members are
 *   no public members nor attributes;
 * - events: the events an element fires, named and typed after their class in events.ts;
 * - tokens: every `--billing-*` custom property an element's styles read, system tokens
 *   included, with its description and its default (the fallback in the CSS);
 * - shipped paths: modules, exports and definitions name the files in dist/.
 *
 * Each plugin throws when the sources and their documentation disagree (an event fired but
 * not documented, a token read but not described…), so `npm run analyze` fails instead of
 * writing a manifest that lies. test/elements/manifest.test.ts checks the committed manifest
 * is the one this config produces.
 */

const read = (file) => readFileSync(file, 'utf8');

/** `./x.js` imported from `from` (a path relative to the root, posix) → the TypeScript file. */
const resolveImport = (from, specifier) => posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.js$/, '.ts');

/** Every TypeScript file under `dir`. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The `@tag name - description` lines of the JSDoc comments of a source file. */
function jsdocTags(source, tag) {
  const lines = [...source.matchAll(/\/\*\*[\s\S]*?\*\//g)].flatMap(([comment]) => comment.split('\n').map((line) => line.replace(/^\s*\*?\s?/, '')));
  return lines.flatMap((line) => {
    const match = new RegExp(`^@${tag}\\s+(\\S+)\\s+-\\s+(.*)$`).exec(line.trim());
    return match ? [{ name: match[1], description: match[2].trim() }] : [];
  });
}

/** What the text of `NowValue` stands for (shared/clock.ts). */
const nowValueType = /export type NowValue = ([^;]+);/.exec(read('src/elements/shared/clock.ts'))[1];

/**
 * The host properties every element shares are written once, in src/elements/shared/host.ts
 * (`BillingHostProperties`, spread into each element's `static properties` as
 * `hostProperties`). The analyzer does not follow the spread: this plugin adds them, with
 * their descriptions from that file, to every element that spreads them.
 */
function hostPropertiesPlugin() {
  const source = read('src/elements/shared/host.ts');
  const body = source.slice(source.indexOf('export interface BillingHostProperties'), source.indexOf('export type BillingHost '));
  const members = [...body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\?: ([^;]+);/g)].map(([, doc, name, type]) => ({
    name,
    type: type.replace(/ \| undefined$/, '').replace(/^NowValue$/, nowValueType),
    description: doc.replace(/^\s*\* ?/gm, '').replace(/\s+/g, ' ').trim(),
  }));
  const attributes = { baseUrl: 'base-url', supportUrl: 'support-url', now: 'now' };
  return {
    name: 'billing-host-properties',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.getText().includes('...hostProperties')) return;
      const declaration = moduleDoc.declarations?.find((candidate) => candidate.name === node.name?.getText());
      if (!declaration) return;
      declaration.members ??= [];
      declaration.attributes ??= [];
      for (const member of members) {
        if (declaration.members.some((existing) => existing.name === member.name)) continue;
        const attribute = attributes[member.name];
        declaration.members.push({
          kind: 'field',
          name: member.name,
          type: { text: member.type },
          description: member.description,
          ...(attribute ? { attribute } : {}),
        });
        if (attribute) {
          // Lit's default converter: the attribute is the string; `now` takes an ISO 8601 instant.
          declaration.attributes.push({ name: attribute, type: { text: 'string' }, description: member.description, fieldName: member.name });
        }
      }
    },
  };
}

/**
 * Attribute types say what the attribute holds: no `| undefined` (an absent attribute is no
 * value), and `now` is an ISO 8601 instant as an attribute whatever its property takes.
 */
function attributeTypesPlugin() {
  return {
    name: 'billing-attribute-types',
    packageLinkPhase({ customElementsManifest }) {
      for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
        for (const attribute of declaration.attributes ?? []) {
          // A new object: the analyzer shares an attribute's type with its property's.
          if (attribute.type) attribute.type = { text: attribute.name === 'now' ? 'string' : attribute.type.text.replace(/ \| undefined$/, '') };
        }
      }
    },
  };
}

/**
 * Constructor parameter properties (`constructor(readonly change: PendingChange)`, as the event
 * classes declare their fields) are public fields the analyzer does not list: added, with the
 * JSDoc written on the parameter, else `@param`.
 */
function parameterPropertiesPlugin() {
  return {
    name: 'billing-parameter-properties',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const declaration = moduleDoc.declarations?.find((candidate) => candidate.name === node.name.getText());
      const constructor = node.members.find(ts.isConstructorDeclaration);
      if (!declaration || !constructor) return;
      for (const parameter of constructor.parameters) {
        const modifiers = (parameter.modifiers ?? []).map((modifier) => modifier.kind);
        if (!modifiers.length || modifiers.includes(ts.SyntaxKind.PrivateKeyword) || modifiers.includes(ts.SyntaxKind.ProtectedKeyword)) continue;
        const name = parameter.name.getText();
        if (declaration.members?.some((member) => member.name === name)) continue;
        const comment = ts
          .getLeadingCommentRanges(node.getSourceFile().text, parameter.getFullStart())
          ?.map((range) => node.getSourceFile().text.slice(range.pos, range.end))
          .find((text) => text.startsWith('/**'));
        const description = comment?.replace(/^\/\*\*|\*\/$/g, '').replace(/^\s*\* ?/gm, '').replace(/\s+/g, ' ').trim();
        (declaration.members ??= []).push({
          kind: 'field',
          name,
          ...(parameter.type ? { type: { text: parameter.type.getText() } } : {}),
          ...(modifiers.includes(ts.SyntaxKind.ReadonlyKeyword) ? { readonly: true } : {}),
          ...(description ? { description } : {}),
        });
      }
    },
  };
}

/**
 * Internal state is not the element's API: Lit `state: true` properties (which the analyzer
 * lists as attributes), `private` and `protected` members and `#` members are left out.
 */
function privateStatePlugin() {
  /** Class name → names of its `state: true` properties. */
  const states = new Map();
  return {
    name: 'billing-private-state',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const properties = node.members.find(
        (member) => ts.isPropertyDeclaration(member) && member.name.getText() === 'properties' && member.initializer && ts.isObjectLiteralExpression(member.initializer),
      );
      if (!properties) return;
      const names = properties.initializer.properties
        .filter((property) => ts.isPropertyAssignment(property) && /\bstate\s*:\s*true\b/.test(property.initializer.getText()))
        .map((property) => property.name.getText());
      states.set(node.name.getText(), new Set(names));
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
        if (declaration.kind !== 'class') continue;
        const state = states.get(declaration.name) ?? new Set();
        const hidden = (member) => state.has(member.name) || member.name.startsWith('#') || member.privacy === 'private' || member.privacy === 'protected';
        const hiddenNames = new Set((declaration.members ?? []).filter(hidden).map((member) => member.name));
        if (declaration.members) declaration.members = declaration.members.filter((member) => !hidden(member));
        if (declaration.attributes) declaration.attributes = declaration.attributes.filter((attribute) => !hiddenNames.has(attribute.fieldName));
      }
    },
  };
}

/**
 * Events are `Event` subclasses with a static `type` (src/elements/events.ts). The analyzer
 * names an event it finds in `dispatchEvent(new X(arg))` after the argument; this plugin names
 * it after the class, types every event with its class, and requires each to be documented
 * with `@fires {Class} name - description` on the element.
 */
function eventsPlugin() {
  const source = read('src/elements/events.ts');
  /** Event name → class name. */
  const classes = new Map(
    [...source.matchAll(/export class (\w+) extends Event \{\s*static readonly type = '([^']+)'/g)].map(([, className, name]) => [name, className]),
  );
  const nameOf = new Map([...classes].map(([name, className]) => [className, name]));
  return {
    name: 'billing-events',
    packageLinkPhase({ customElementsManifest }) {
      for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
        if (!declaration.customElement || !declaration.events) continue;
        const events = new Map();
        // Documented ones first, in their order; then those found in the code.
        const ordered = [...declaration.events].sort((a, b) => Number(!a.description) - Number(!b.description));
        for (const event of ordered) {
          const name = classes.has(event.name) ? event.name : (nameOf.get(event.type?.text) ?? event.name);
          const known = events.get(name);
          events.set(name, { name, type: known?.type ?? event.type, description: known?.description ?? event.description });
        }
        for (const event of events.values()) {
          const where = `<${declaration.tagName}> (${declaration.name})`;
          if (!classes.has(event.name)) throw new Error(`${where} fires "${event.name}", which is no event class of src/elements/events.ts`);
          if (!event.description) throw new Error(`${where} fires "${event.name}" without a @fires line in its JSDoc`);
          event.type ??= { text: classes.get(event.name) };
          if (event.type.text !== classes.get(event.name)) {
            throw new Error(`${where}: @fires {${event.type.text}} ${event.name}, but that event is a ${classes.get(event.name)}`);
          }
        }
        declaration.events = [...events.values()];
      }
    },
  };
}

/**
 * `var(--billing-…, fallback)` in a stylesheet: the token and its fallback, with the private
 * locals it uses (`var(--_accent)`) written as what they stand for (`locals`).
 */
function readTokens(css, locals = new Map()) {
  const tokens = [];
  for (const match of css.matchAll(/var\(\s*(--billing-[a-z0-9]+(?:-[a-z0-9]+)*)\s*(,)?/g)) {
    let fallback;
    if (match[2]) {
      let depth = 0;
      let end = match.index + match[0].length;
      for (; end < css.length; end++) {
        if (css[end] === '(') depth++;
        else if (css[end] === ')' && depth-- === 0) break;
      }
      fallback = css.slice(match.index + match[0].length, end).trim();
      fallback = fallback.replace(/var\((--_[\w-]+)\)/g, (whole, local) => locals.get(local) ?? whole);
    }
    tokens.push({ name: match[1], default: fallback });
  }
  return tokens;
}

/**
 * The custom properties of an element: every public token its styles read (its own
 * stylesheet, the shared base styles with the system tokens, the change dialog's when it shows
 * one), each with the description of a `@cssprop` line (the element's JSDoc for its own
 * tokens, the stylesheet's JSDoc for shared ones) and the fallback its styles give it.
 */
function tokensPlugin() {
  const base = read('src/elements/shared/base.styles.ts');
  /** `--_accent` → `var(--billing-color-accent, light-dark(…))`. */
  const locals = new Map(
    [...base.matchAll(/(--_[\w-]+):\s*(var\(--billing-[^;]+\));/g)].map(([, local, value]) => [local, value]),
  );
  /** Class name → the stylesheets it adopts. */
  const stylesheets = new Map();
  return {
    name: 'billing-tokens',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const styles = node.members.find(
        (member) => ts.isPropertyDeclaration(member) && member.name.getText() === 'styles' && member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword),
      );
      if (!styles?.initializer) return;
      const sourceFile = node.getSourceFile();
      const identifiers = ts.isArrayLiteralExpression(styles.initializer) ? styles.initializer.elements.map((element) => element.getText()) : [];
      const files = identifiers.map((identifier) => {
        const declaration = sourceFile.statements.find(
          (statement) =>
            ts.isImportDeclaration(statement) &&
            statement.importClause?.namedBindings &&
            ts.isNamedImports(statement.importClause.namedBindings) &&
            statement.importClause.namedBindings.elements.some((element) => element.name.text === identifier),
        );
        if (!declaration) throw new Error(`${node.name.getText()}: cannot find where its styles "${identifier}" come from`);
        return resolveImport(sourceFile.fileName, declaration.moduleSpecifier.text);
      });
      // Inline styles (`css` in the class's own file).
      if (!ts.isArrayLiteralExpression(styles.initializer)) files.push(sourceFile.fileName);
      // The change dialog adopts its styles into the element that shows it.
      if (node.getText().includes('renderDialog(')) files.push('src/elements/shared/change-dialog.styles.ts');
      stylesheets.set(node.name.getText(), files);
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
        if (!declaration.customElement) continue;
        const where = `<${declaration.tagName}> (${declaration.name})`;
        const files = stylesheets.get(declaration.name) ?? [];
        const read_ = new Map();
        const shared = new Map();
        for (const file of files) {
          const source = read(file);
          for (const token of readTokens(source, locals)) if (!read_.has(token.name)) read_.set(token.name, token);
          for (const tag of jsdocTags(source, 'cssprop')) shared.set(tag.name, tag.description);
        }
        const own = declaration.cssProperties ?? [];
        for (const property of own) {
          if (!read_.has(property.name)) throw new Error(`${where} documents ${property.name} (@cssprop), which its styles do not read`);
        }
        const properties = [
          ...own.map((property) => property.name),
          ...[...shared.keys()].filter((name) => read_.has(name) && !own.some((property) => property.name === name)),
        ];
        for (const name of read_.keys()) {
          if (!properties.includes(name)) throw new Error(`${where} reads ${name}, described by no @cssprop line`);
        }
        declaration.cssProperties = properties.map((name) => {
          const description = own.find((property) => property.name === name)?.description ?? shared.get(name);
          const fallback = read_.get(name).default;
          return { name, description, ...(fallback ? { default: fallback } : {}) };
        });
        if (declaration.cssProperties.length === 0) delete declaration.cssProperties;
      }
    },
  };
}

/**
 * Module paths name the shipped files. package.json "exports" maps each registration file
 * (its types, `dist/elements/…/billing-x.d.ts`, mirror `src/elements/…/billing-x.ts`) to
 * `dist/billing-x.js`: that module holds the element's class and its definition. `dist/index.js`
 * holds what src/index.ts exports from src/elements (the classes again, the events, helpers).
 * Modules that nothing exports are internal and left out.
 */
function shippedPathsPlugin() {
  return {
    name: 'billing-shipped-paths',
    packageLinkPhase({ customElementsManifest }) {
      const pkg = JSON.parse(read('package.json'));
      const modules = customElementsManifest.modules;
      const shipped = [];
      for (const target of Object.values(pkg.exports)) {
        const types = /^\.\/dist\/(elements\/.+)\.d\.ts$/.exec(target?.types ?? '');
        if (!types || !/^\.\/dist\/billing-[\w-]+\.js$/.test(target.default)) continue;
        const source = `src/${types[1]}.ts`;
        const path = target.default.slice(2);
        const definition = modules.find((module) => module.path === source)?.exports?.find((entry) => entry.kind === 'custom-element-definition');
        if (!definition) throw new Error(`${path}: ${source} defines no custom element`);
        const className = definition.declaration.name;
        const declaration = modules.flatMap((module) => module.declarations ?? []).find((candidate) => candidate.name === className && candidate.customElement);
        if (!declaration) throw new Error(`${path}: no class ${className} in the analyzed sources`);
        shipped.push({
          kind: 'javascript-module',
          path,
          declarations: [declaration],
          exports: [
            { kind: 'js', name: className, declaration: { name: className, module: path } },
            { kind: 'custom-element-definition', name: definition.name, declaration: { name: className, module: path } },
          ],
        });
      }

      const indexPath = pkg.exports['.'].default.slice(2);
      const index = { kind: 'javascript-module', path: indexPath, declarations: [], exports: [] };
      for (const [, names, specifier] of read('src/index.ts').matchAll(/export\s*\{([^}]*)\}\s*from\s*'(\.\/elements\/[^']+)'/g)) {
        const source = resolveImport('src/index.ts', specifier);
        for (const name of names.split(',').map((entry) => entry.trim()).filter((entry) => entry && !entry.startsWith('type '))) {
          const element = shipped.find((module) => module.declarations[0].name === name);
          if (element) {
            index.exports.push({ kind: 'js', name, declaration: { name, module: element.path } });
            continue;
          }
          const module = modules.find((candidate) => candidate.path === source);
          const declaration = module?.declarations?.find((candidate) => candidate.name === name);
          if (!declaration) {
            // Re-exported there from a file the analyzer does not read (shared/): no declaration to describe.
            if (module?.exports?.some((entry) => entry.name === name)) continue;
            throw new Error(`src/index.ts exports ${name} from ${specifier}, which the analyzer did not see`);
          }
          index.declarations.push(declaration);
          index.exports.push({ kind: 'js', name, declaration: { name, module: indexPath } });
        }
      }
      // `Event` is the platform's, not a module of ours.
      for (const declaration of index.declarations) {
        if (declaration.superclass?.name === 'Event') declaration.superclass = { name: 'Event', package: 'global:' };
      }
      customElementsManifest.modules = [...shipped, index];
    },
  };
}

/**
 * A default written as an exported constant of the package (`RECENT_INVOICES`) is given as
 * its value.
 */
function constantDefaultsPlugin() {
  return {
    name: 'billing-constant-defaults',
    packageLinkPhase({ customElementsManifest }) {
      const constants = new Map(
        walk('src').flatMap((file) => [...read(file).matchAll(/export const ([A-Z][A-Z0-9_]*) = ([\d.]+|'[^']*');/g)].map(([, name, value]) => [name, value])),
      );
      for (const declaration of customElementsManifest.modules.flatMap((module) => module.declarations ?? [])) {
        for (const entry of [...(declaration.members ?? []), ...(declaration.attributes ?? [])]) {
          if (entry.default && constants.has(entry.default)) entry.default = constants.get(entry.default);
        }
      }
    },
  };
}

export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts', 'src/elements/shared/**'],
  outdir: '.',
  // The analyzer would otherwise rewrite package.json (it has "customElements" already).
  packagejson: false,
  litelement: true,
  plugins: [
    hostPropertiesPlugin(),
    parameterPropertiesPlugin(),
    privateStatePlugin(),
    attributeTypesPlugin(),
    eventsPlugin(),
    tokensPlugin(),
    constantDefaultsPlugin(),
    shippedPathsPlugin(),
  ],
};
