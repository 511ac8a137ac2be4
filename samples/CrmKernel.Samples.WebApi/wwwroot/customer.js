'use strict';
(async () => {
  const content = document.getElementById('content');
  if (!Crm.chrome('')) { Crm.needKey(content); return; }
  const id = Crm.params().get('id') || '';
  try {
    const [c, life, timeline, relationships, consents] = await Promise.all([
      Crm.api(`/customers/${encodeURIComponent(id)}`), Crm.api(`/customers/${encodeURIComponent(id)}/lifecycle`),
      Crm.api(`/customers/${encodeURIComponent(id)}/timeline?related=true&limit=200`), Crm.api(`/customers/${encodeURIComponent(id)}/relationships`),
      Crm.api(`/customers/${encodeURIComponent(id)}/consents`)]);
    const name = await Crm.names([...relationships.map(r => r.other), ...timeline.items.filter(t => t.via).map(t => t.customerId)]);
    document.querySelector('main h2').textContent = c.displayName;
    document.title = c.displayName + ' · CrmKernel dashboard';
    const profile = Crm.el('dl', { class: 'facts', id: 'profile' },
      Crm.el('dt', { text: 'Kind' }), Crm.el('dd', { text: c.kind }),
      Crm.el('dt', { text: 'Stage' }), Crm.el('dd', { id: 'stage', text: life.stage }),
      Crm.el('dt', { text: 'Purchases' }), Crm.el('dd', { text: String(life.purchaseCount) }),
      Crm.el('dt', { text: 'Contact points' }), Crm.el('dd', { text: c.contactPoints.map(x => `${x.kind}: ${x.value}${x.isPrimary ? ' (primary)' : ''}`).join('; ') || 'none' }),
      Crm.el('dt', { text: 'Tags' }), Crm.el('dd', { text: c.tags.join(', ') || 'none' }),
      Crm.el('dt', { text: 'Version' }), Crm.el('dd', { text: String(c.version) }));
    const related = Crm.el('ul', { id: 'relationships' }, relationships.map(r => Crm.el('li', {}, `${r.role} (${r.type}) of `, Crm.el('a', { href: 'customer.html?id=' + r.other, text: name(r.other) }))));
    const history = Crm.el('ol', { id: 'history' }, life.history.map(t => Crm.el('li', { text: `${t.at.slice(0, 10)}: ${t.from} → ${t.to} (${t.rule})` })));
    const rows = timeline.items.map(t => Crm.el('tr', { 'data-touchpoint': t.id, class: t.via ? 'related' : null },
      Crm.el('td', { text: t.occurredAt.slice(0, 10) }), Crm.el('td', { text: t.function }), Crm.el('td', { text: t.kind }), Crm.el('td', { text: t.channel }),
      Crm.el('td', { class: 'num', text: t.revenue == null ? '' : Crm.fmt(t.revenue, 'Money') }),
      Crm.el('td', {}, t.via ? Crm.el('a', { href: 'customer.html?id=' + t.customerId, text: `${name(t.customerId)} (${t.viaRole})` }) : 'own')));
    const table = Crm.el('div', { class: 'table-wrap' }, Crm.el('table', { id: 'timeline' },
      Crm.el('caption', { class: 'muted', text: `${timeline.items.length} touchpoints, the customer's own and their related parties'` }),
      Crm.el('thead', {}, Crm.el('tr', {}, ['Date', 'Function', 'Kind', 'Channel', 'Revenue', 'Whose'].map((h, i) => Crm.el('th', { scope: 'col', class: i === 4 ? 'num' : null, text: h })))),
      Crm.el('tbody', {}, rows)));
    content.replaceChildren(
      Crm.el('div', { class: 'grid' },
        Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Profile' }), profile),
        Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Relationships' }), relationships.length ? related : Crm.el('p', { text: 'none' }),
          Crm.el('h3', { text: 'Consent' }), Crm.el('p', { id: 'consents', text: consents.map(e => `${e.purpose}${e.channel ? '/' + e.channel : ''}: ${e.status}`).join('; ') || 'none recorded' })),
        Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Lifecycle history' }), history)),
      Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Timeline' }), table));
  } catch (error) { Crm.showError(content, error); }
})();
