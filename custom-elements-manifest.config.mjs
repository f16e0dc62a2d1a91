import { readFileSync } from 'node:fs';

/**
 * The host properties every element shares are written once, in src/elements/shared/host.ts
 * (`BillingHostProperties`, spread into each element's `static properties` as
 * `hostProperties`). The analyzer does not follow the spread: this plugin adds them, with
 * their descriptions from that file, to every element that spreads them.
 */
function hostPropertiesPlugin() {
  const source = readFileSync('src/elements/shared/host.ts', 'utf8');
  const body = source.slice(source.indexOf('export interface BillingHostProperties'), source.indexOf('export type BillingHost '));
  const members = [...body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\?: ([^;]+);/g)].map(([, doc, name, type]) => ({
    name,
    type: type.replace(/ \| undefined$/, ''),
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
          declaration.attributes.push({ name: attribute, type: { text: member.type }, description: member.description, fieldName: member.name });
        }
      }
    },
  };
}

export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts', 'src/elements/shared/**'],
  outdir: '.',
  litelement: true,
  plugins: [hostPropertiesPlugin()],
};
