import { noChange, nothing } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Sets a custom property on an element through the CSSOM (`style.setProperty`), on the first
 * render too: `<div ${cssProperty('--_ratio', '0.87')}>`. Lit's `styleMap` writes its first
 * value as a `style` attribute, which a Content Security Policy without
 * `style-src 'unsafe-inline'` refuses (the bar of a usage meter would stay empty); the CSSOM
 * is not subject to it.
 */
class CssPropertyDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssProperty() goes on an element: <div ${cssProperty(…)}>');
  }

  render(_name: string, _value: string): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [name, value]: [string, string]): typeof noChange {
    (part.element as HTMLElement).style.setProperty(name, value);
    return noChange;
  }
}

export const cssProperty = directive(CssPropertyDirective);
