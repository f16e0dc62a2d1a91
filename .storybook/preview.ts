import {
  setCustomElementsManifest,
  type Decorator,
  type Preview,
  type WebComponentsRenderer,
} from '@storybook/web-components-vite';
import { html } from 'lit';
import type { ArgTypesEnhancer } from 'storybook/internal/types';
import { keyed } from 'lit/directives/keyed.js';
import { styleMap } from 'lit/directives/style-map.js';
import manifest from '../custom-elements.json';
// Registers every element (a side-effect import: src/define.ts is listed in `sideEffects`).
import '../src/define.js';

/**
 * The manifest (`npm run analyze`) gives each story's Controls its properties, attributes,
 * parts and CSS properties. Private members (`#billing`, `#render…`) are left out.
 */
setCustomElementsManifest({
  ...manifest,
  modules: manifest.modules.map((module) => ({
    ...module,
    declarations: module.declarations?.map((declaration) =>
      'members' in declaration
        ? { ...declaration, members: declaration.members?.filter((member) => !('privacy' in member) || member.privacy === 'public') }
        : declaration,
    ),
  })),
});

/**
 * The manifest's rows (properties, attributes, parts, CSS properties) stay in the Controls
 * table as reference, but only the args a story declares get a control: the stories render
 * their own templates, so a control for `client` or a `::part` would do nothing.
 */
const referenceOnly: ArgTypesEnhancer<WebComponentsRenderer> = ({ argTypes }) =>
  Object.fromEntries(
    Object.entries(argTypes).map(([name, argType]) => [name, argType.control === undefined ? { ...argType, control: false } : argType]),
  );
// After the renderer's enhancer has read the manifest.
referenceOnly.secondPass = true;

type Theme = 'light' | 'dark';

const backgrounds: Record<Theme, string> = { light: '#ffffff', dark: '#0e1014' };

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
 * Puts the story on a page with the toolbar's locale (`lang`) and theme (`color-scheme`: the
 * elements use `light-dark()`, so nothing else is needed). The elements resolve their locale
 * from the closest `[lang]` when they render and do not watch it afterwards, so a locale
 * change remounts the story (`keyed`); a theme change is pure CSS and does not.
 */
const withLocaleAndTheme: Decorator = (story, context) => {
  const locale = context.globals['locale'] === 'fr' ? 'fr' : 'en';
  const theme: Theme = context.globals['theme'] === 'dark' ? 'dark' : 'light';
  const column = { maxWidth: columnWidth(context.parameters['maxWidth']) };
  const page = {
    colorScheme: theme,
    background: backgrounds[theme],
    color: 'CanvasText',
    padding: '1.5rem',
    minHeight: '100vh',
    boxSizing: 'border-box',
    fontFamily: 'system-ui, sans-serif',
  };
  return html`${keyed(
    locale,
    html`<div class="story-root" lang=${locale} style=${styleMap(page)}>
      <div style=${styleMap(column)}>${story()}</div>
    </div>`,
  )}`;
};

const preview: Preview = {
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
      description: 'Colour scheme of the page around the elements',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
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
  },
};

export default preview;
