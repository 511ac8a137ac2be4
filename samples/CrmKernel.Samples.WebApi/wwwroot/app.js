// CrmKernel dashboard: shared code. The API key lives in sessionStorage for this tab only; every call sends it.
'use strict';
const KEY = 'crm-api-key';
const Crm = {
  key() { return sessionStorage.getItem(KEY); },
  async api(path) {
    const response = await fetch('/api' + path, { headers: { 'X-Api-Key': Crm.key() || '' } });
    const body = await response.json().catch(() => null);
    if (!response.ok) { throw new Error((body && (body.code + ': ' + body.detail)) || ('HTTP ' + response.status)); }
    return body;
  },
  // One number format for the whole dashboard (the browser tests format the API's values the same way).
  fmt(value, unit) {
    if (value === null || value === undefined) { return 'no value'; }
    if (unit === 'Percentage') { return (value * 100).toFixed(1) + ' %'; }
    if (unit === 'Count' && Number.isInteger(value)) { return String(value); }
    return Number(value).toFixed(2);
  },
  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) { continue; }
      if (name === 'text') { node.textContent = value; } else { node.setAttribute(name, value); }
    }
    for (const child of children.flat()) { if (child !== null && child !== undefined) { node.append(child); } }
    return node;
  },
  // Display names of up to 100 customers (one request each, in parallel); an id that cannot be read keeps its short form.
  async names(ids) {
    const unique = [...new Set(ids)].slice(0, 100);
    const found = await Promise.all(unique.map(id => Crm.api('/customers/' + encodeURIComponent(id)).then(c => [id, c.displayName], () => [id, null])));
    const map = new Map(found.filter(([, name]) => name));
    return id => map.get(id) || id.slice(0, 13) + '…';
  },
  params() { return new URLSearchParams(location.search); },
  showError(target, error) { target.replaceChildren(Crm.el('p', { class: 'error', role: 'alert', text: String(error.message || error) })); },
  // Header: site name, navigation (the current page marked), and the API key form.
  chrome(current) {
    const pages = [['index.html', 'Metrics'], ['lifecycle.html', 'Lifecycle'], ['channels.html', 'Channels'], ['customer-base.html', 'Customer base']];
    const nav = Crm.el('nav', { 'aria-label': 'Dashboard pages' }, Crm.el('ul', {}, pages.map(([href, label]) =>
      Crm.el('li', {}, Crm.el('a', { href, 'aria-current': href === current ? 'page' : null, text: label })))));
    const input = Crm.el('input', { id: 'api-key', type: 'password', autocomplete: 'off', 'aria-label': 'API key', placeholder: 'API key' });
    const form = Crm.el('form', { id: 'key-form' }, input, Crm.el('button', { type: 'submit', text: Crm.key() ? 'Change key' : 'Use key' }));
    form.addEventListener('submit', e => { e.preventDefault(); if (input.value) { sessionStorage.setItem(KEY, input.value); location.reload(); } });
    const header = Crm.el('header', {}, Crm.el('a', { class: 'skip', href: '#main', text: 'Skip to content' }), Crm.el('h1', { text: 'CrmKernel dashboard' }), nav, form);
    document.body.prepend(header);
    return !!Crm.key();
  },
  needKey(main) { main.replaceChildren(Crm.el('p', { role: 'status', text: 'Enter an API key above (the demo key is in appsettings.json) to load the dashboard.' })); },
  // A period form (from/to dates) whose values go to the query string.
  periodForm(target, from, to, onSubmit) {
    const f = Crm.el('input', { type: 'date', id: 'from', name: 'from', value: from || '' });
    const t = Crm.el('input', { type: 'date', id: 'to', name: 'to', value: to || '' });
    const form = Crm.el('form', { class: 'period' }, Crm.el('label', { for: 'from' }, 'From', f), Crm.el('label', { for: 'to' }, 'To', t), Crm.el('button', { type: 'submit', text: 'Show' }));
    form.addEventListener('submit', e => { e.preventDefault(); onSubmit(f.value, t.value); });
    target.append(form);
  },
  query(values) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(values)) { if (v) { q.set(k, v); } }
    const s = q.toString();
    return s ? '?' + s : '';
  },
};
