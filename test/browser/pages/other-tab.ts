// The elements of another tab: the base URL and the clock come in the page's query.
import '../../../src/define.js';

const query = new URLSearchParams(location.search);
const provider = document.createElement('billing-provider');
provider.setAttribute('base-url', query.get('base-url')!);
provider.setAttribute('now', query.get('now')!);
provider.append(document.createElement('billing-module-list'));
document.body.append(provider);
