import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { BillingClient } from '../src/index.js';
import { fakeBillingClient } from './support/fake-endpoint.js';
import { AS_OF } from './support/fixtures.js';

interface ProviderArgs {
  /** The provider's `locale` attribute. */
  locale?: 'en' | 'fr' | undefined;
}

/** One endpoint for the whole page: both meters share its client, store and one request. */
const endpoint = fakeBillingClient();

const card = 'border: 1px solid light-dark(#d9dce3, #3a404c); border-radius: 8px; padding: 1rem';

const page = (client: BillingClient, locale: string | undefined): TemplateResult => html`
  <billing-provider now=${AS_OF} .client=${client} locale=${ifDefined(locale)} support-url="https://support.example.com/billing">
    <div style="display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 1rem">
      <section style=${card}><billing-usage-meter metric="documents"></billing-usage-meter></section>
      <section style=${card}><billing-usage-meter metric="orders"></billing-usage-meter></section>
    </div>
  </billing-provider>
`;

const meta: Meta<ProviderArgs> = {
  title: 'Elements/Provider',
  component: 'billing-provider',
  argTypes: {
    locale: {
      description: 'Locale of the elements inside, unless a closer `lang` says otherwise.',
      // A plain type: the manifest's `string | undefined` makes Storybook drop args from the URL.
      type: 'string',
      control: 'inline-radio',
      options: ['en', 'fr'],
    },
  },
  render: (args) => page(endpoint, args.locale),
};
export default meta;

type Story = StoryObj<ProviderArgs>;

export const SharedEndpoint: Story = {
  parameters: {
    docs: {
      description: {
        story: 'Two meters inside one provider: one store, one `GET /v1/usage` for both.',
      },
    },
  },
};

export const LocaleSwitch: Story = {
  args: { locale: 'fr' },
  parameters: {
    docs: {
      description: {
        story: 'Switch `locale` in the controls: the meters re-render in the new language without reloading data.',
      },
    },
  },
};
