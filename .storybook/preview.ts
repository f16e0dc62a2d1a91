import {
  setCustomElementsManifest,
  type Decorator,
  type Preview,
  type WebComponentsRenderer,
} from '@storybook/web-components-vite';
import { html, nothing } from 'lit';
import type { ArgTypesEnhancer, StrictArgTypes } from 'storybook/internal/types';
import { keyed } from 'lit/directives/keyed.js';
import { styleMap } from 'lit/directives/style-map.js';
import manifest from '../custom-elements.json';
// The two example themes of the package, as text: their tokens are scoped to the story (below).
import darkThemeCss from '../themes/dark.css?raw';
import whiteLabelThemeCss from '../themes/white-label.css?raw';
// Registers every element (a side-effect import: src/define.ts is listed in `sideEffects`).
import '../src/define.js';
import { scopedTheme } from '../stories/support/themes.js';

/**
 * The manifest (`npm run analyze`) gives each element's docs page its description and the
 * tables of its attributes, properties, events, slots, parts and tokens. It is read as it is;
 * `extractArgTypes` below keeps its public API only.
 */
setCustomElementsManifest(manifest);

/** What the docs tables read of a manifest entry (attribute, member, event, slot, part, CSS property). */
interface ManifestItem {
  kind?: string;
  name: string;
  description?: string;
  summary?: string;
  type?: { text?: string };
  default?: string;
  fieldName?: string;
  privacy?: string;
  static?: boolean;
}

interface ManifestElement {
  tagName?: string;
  summary?: string;
  description?: string;
  members?: ManifestItem[];
  attributes?: ManifestItem[];
  events?: ManifestItem[];
  slots?: ManifestItem[];
  cssProperties?: ManifestItem[];
  cssParts?: ManifestItem[];
}

function declarationOf(tagName: unknown): ManifestElement | undefined {
  if (typeof tagName !== 'string') return undefined;
  for (const module of manifest.modules as { declarations?: ManifestElement[] }[]) {
    const declaration = module.declarations?.find((candidate) => candidate.tagName === tagName);
    if (declaration) return declaration;
  }
  return undefined;
}

const isPublic = (member: ManifestItem): boolean =>
  (member.privacy === undefined || member.privacy === 'public') && !member.name.startsWith('#') && !member.static;

/** The tables of a docs page, in this order; the names are the section titles. */
const CATEGORIES = {
  attributes: 'attributes',
  properties: 'properties',
  events: 'events',
  slots: 'slots',
  parts: 'parts',
  tokens: 'tokens',
} as const;

/**
 * Every public attribute, property, event, slot, part and token of an element, each in its
 * own table. The renderer's own extractor keys rows by name alone, so an attribute and a part
 * of the same name (`metric`) or an attribute and its property (`now`) overwrite each other:
 * here a row keeps its name and only its key says which table it is in when names repeat.
 * Private members (`#billing`, `#render…`) and attributes of private fields are left out, and
 * only the elements' own events (`billing-*`).
 */
function extractArgTypes(tagName: unknown): StrictArgTypes | null {
  const element = declarationOf(tagName);
  if (!element) return null;
  const argTypes: StrictArgTypes = {};
  const add = (category: string, item: ManifestItem, type: string | undefined) => {
    const key = item.name in argTypes ? `${item.name} (${category})` : item.name;
    argTypes[key] = {
      name: item.name,
      description: item.description ?? item.summary ?? '',
      // No type for a slot, a part or a token: the table would print the placeholder's name.
      ...(type ? { type: { name: 'other', value: type } } : {}),
      table: {
        category,
        ...(type ? { type: { summary: type } } : {}),
        ...(item.default !== undefined ? { defaultValue: { summary: item.default } } : {}),
      },
    };
  };
  const fields = (element.members ?? []).filter((member) => member.kind === 'field');
  const publicFields = new Set(fields.filter(isPublic).map((member) => member.name));
  for (const attribute of element.attributes ?? []) {
    if (attribute.fieldName === undefined || publicFields.has(attribute.fieldName)) add(CATEGORIES.attributes, attribute, attribute.type?.text);
  }
  for (const field of fields.filter(isPublic)) add(CATEGORIES.properties, field, field.type?.text);
  for (const event of element.events ?? []) {
    if (event.name.startsWith('billing-')) add(CATEGORIES.events, event, event.type?.text);
  }
  for (const slot of element.slots ?? []) add(CATEGORIES.slots, slot.name === '' ? { ...slot, name: '(default)' } : slot, undefined);
  for (const part of element.cssParts ?? []) add(CATEGORIES.parts, part, undefined);
  for (const token of element.cssProperties ?? []) add(CATEGORIES.tokens, token, token.type?.text);
  return argTypes;
}

/** The summary (`@summary`) in bold, then the element's JSDoc description. */
function extractComponentDescription(tagName: unknown): string | null {
  const element = declarationOf(tagName);
  if (!element) return null;
  return [element.summary ? `**${element.summary}**` : null, element.description].filter(Boolean).join('\n\n');
}

/**
 * The manifest's rows stay in the docs tables as reference, but only the args a story
 * declares get a control: the stories render their own templates, so a control for `client`
 * or a `::part` would do nothing.
 */
const referenceOnly: ArgTypesEnhancer<WebComponentsRenderer> = ({ argTypes }) =>
  Object.fromEntries(
    Object.entries(argTypes).map(([name, argType]) => [name, argType.control === undefined ? { ...argType, control: false } : argType]),
  );
// After the renderer's enhancer has read the manifest.
referenceOnly.secondPass = true;

/**
 * The toolbar's themes: the page's colour scheme alone (the elements' defaults follow it with
 * `light-dark()`), or one of the package's example theme files on top.
 */
type Theme = 'light' | 'dark' | 'dark-file' | 'white-label-file';

const THEMES: Record<Theme, { scheme: 'light' | 'dark'; background: string; css: string | null }> = {
  light: { scheme: 'light', background: '#ffffff', css: null },
  dark: { scheme: 'dark', background: '#0e1014', css: null },
  // themes/dark.css is for a dark page: its light text needs one around it.
  'dark-file': { scheme: 'dark', background: '#0e1014', css: darkThemeCss },
  'white-label-file': { scheme: 'light', background: '#ffffff', css: whiteLabelThemeCss },
};

const isTheme = (value: unknown): value is Theme => typeof value === 'string' && value in THEMES;

/**
 * A theme file sets its tokens on `:where(:root)`. In Storybook they go on the story's page
 * instead (`[data-theme-file]`, still without specificity), so a docs page or the manager
 * is not themed, and every story of a docs page gets the theme of the toolbar.
 */
const scopedCss = (css: string, theme: Theme): string => scopedTheme(css, `:where([data-theme-file='${theme}'])`);

/** The column a story gets unless it asks for another: as wide as a settings page's main column. */
const DEFAULT_MAX_WIDTH = '40rem';

/**
 * `parameters.maxWidth`: the largest width of the story's column, a CSS length such as
 * `'64rem'` or `'none'` (default 40rem). Wide elements ask for more: the plan picker's cards
 * side by side, or the invoice table, which lays its rows out as cards below 40rem.
 */
function columnWidth(value: unknown): string {
  return typeof value === 'string' && value.trim() !== '' ? value : DEFAULT_MAX_WIDTH;
}

/**
 * Puts the story on a page with the toolbar's locale (`lang`) and theme (`color-scheme`, and
 * a theme file's tokens). The elements resolve their locale from the closest `[lang]` when
 * they render, so a locale change remounts the story (`keyed`) to start it afresh; a theme
 * change is pure CSS and does not. On a docs page the page is only as tall as the story.
 */
const withLocaleAndTheme: Decorator = (story, context) => {
  const locale = context.globals['locale'] === 'fr' ? 'fr' : 'en';
  const theme: Theme = isTheme(context.globals['theme']) ? context.globals['theme'] : 'light';
  const { scheme, background, css } = THEMES[theme];
  const column = { maxWidth: columnWidth(context.parameters['maxWidth']) };
  const page = {
    colorScheme: scheme,
    background,
    color: 'CanvasText',
    padding: '1.5rem',
    minHeight: context.viewMode === 'docs' ? 'auto' : '100vh',
    boxSizing: 'border-box',
    fontFamily: 'system-ui, sans-serif',
  };
  return html`${keyed(
    locale,
    html`<div class="story-root" lang=${locale} data-theme-file=${css ? theme : nothing} style=${styleMap(page)}>
      ${css ? html`<style>${scopedCss(css, theme)}</style>` : nothing}
      <div style=${styleMap(column)}>${story()}</div>
    </div>`,
  )}`;
};

const preview: Preview = {
  // A docs page for every element (and the journey): the manifest's description and tables, then every story with its description.
  tags: ['autodocs'],
  decorators: [withLocaleAndTheme],
  argTypesEnhancers: [referenceOnly],
  globalTypes: {
    locale: {
      description: 'Locale of the page around the elements',
      toolbar: {
        title: 'Locale',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English', right: 'en' },
          { value: 'fr', title: 'Français', right: 'fr' },
        ],
        dynamicTitle: true,
      },
    },
    theme: {
      description: 'Colour scheme of the page around the elements, or one of the package’s theme files',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
          { value: 'dark-file', title: 'Dark theme file (themes/dark.css)', icon: 'paintbrush' },
          { value: 'white-label-file', title: 'White-label theme file (themes/white-label.css)', icon: 'paintbrush' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'en', theme: 'light' },
  parameters: {
    // The decorator draws the page (padding and background follow the theme).
    layout: 'fullscreen',
    // The story's column; a story or a component's meta may ask for a wider one (see `columnWidth`).
    maxWidth: DEFAULT_MAX_WIDTH,
    controls: { expanded: true },
    docs: {
      extractArgTypes,
      extractComponentDescription,
      toc: true,
    },
    // axe on every story, in the a11y panel and in the story tests (`npm run test:stories`): a violation fails the test.
    a11y: { test: 'error' },
  },
};

export default preview;
