import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { expect, waitFor } from 'storybook/test';
import darkThemeCss from '../themes/dark.css?raw';
import whiteLabelThemeCss from '../themes/white-label.css?raw';
import { fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF } from './support/fixtures.js';
import { findButton, shadowCanvas } from './support/play.js';
import { THREE_TOKENS_CSS, scopedTheme } from './support/themes.js';

/**
 * The stories of the "Theming" page: the same elements under the defaults, the two theme
 * files of the package and a theme of three tokens. A theme file sets its tokens on
 * `:where(:root)`; a story takes them under its own class instead, as docs/elements.md says
 * to theme part of a page.
 */
const endpoints = {
  defaults: fakeBillingClient({ renewal: 'paid' }),
  darkFile: fakeBillingClient({ renewal: 'paid' }),
  whiteLabelFile: fakeBillingClient({ renewal: 'paid' }),
  threeTokens: fakeBillingClient({ renewal: 'paid' }),
};


const elements = (client: ReturnType<typeof fakeBillingClient>): TemplateResult => html`
  <billing-provider now=${AS_OF} .client=${client} support-url="https://support.example.com/billing">
    <div style="display: grid; gap: 1.5rem">
      <billing-subscription></billing-subscription>
      <billing-usage-meter></billing-usage-meter>
      <billing-module-list></billing-module-list>
    </div>
  </billing-provider>
`;

const meta: Meta = {
  title: 'Docs/Theming',
  // The "Theming" page (stories/theming.mdx) shows these stories; no page of their own.
  tags: ['!autodocs'],
  render: () => elements(endpoints.defaults),
};
export default meta;

type Story = StoryObj;

export const Defaults: Story = {
  parameters: { docs: { description: { story: 'No token set: the defaults, light or dark with the page’s `color-scheme`.' } } },
};

export const DarkThemeFile: Story = {
  render: () => html`
    <style>
      ${scopedTheme(darkThemeCss, '.dark-theme')}
    </style>
    <div class="dark-theme" style="color-scheme: dark; background: #0e1014; padding: 1rem; border-radius: 8px">
      ${elements(endpoints.darkFile)}
    </div>
  `,
  parameters: {
    docs: { description: { story: '`themes/dark.css` on a dark page: dark cards, light text, a lighter accent.' } },
  },
};

export const WhiteLabelThemeFile: Story = {
  render: () => html`
    <style>
      ${scopedTheme(whiteLabelThemeCss, '.white-label-theme')}
    </style>
    <div class="white-label-theme">${elements(endpoints.whiteLabelFile)}</div>
  `,
  play: async ({ canvasElement }) => {
    // The theme's accent (a dark grey), not the default blue, around the module list's buttons.
    const modules = await shadowCanvas(canvasElement, 'billing-module-list');
    const activate = await findButton(modules, 'Activate Automatic reminders');
    await waitFor(() => expect(getComputedStyle(activate).borderTopColor).toBe('rgb(59, 64, 72)'));
  },
  parameters: {
    docs: {
      description: {
        story:
          '`themes/white-label.css`: greys and no brand colour (statuses keep a muted green, amber and red), 3px ' +
          'corners, the system font. It follows the page’s `color-scheme` too.',
      },
    },
  },
};

export const ThreeTokens: Story = {
  render: () => html`
    <style>
      ${THREE_TOKENS_CSS}
    </style>
    <div class="violet">${elements(endpoints.threeTokens)}</div>
  `,
  parameters: {
    docs: {
      description: {
        story:
          'A theme of three tokens, each with a light and a dark value: the accent, the surface and the text. Every ' +
          'other token keeps its default. Switch the toolbar’s theme to Dark to see the dark values.',
      },
    },
  },
};
