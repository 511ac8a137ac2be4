'use strict';
(async () => {
  const content = document.getElementById('content');
  if (!Crm.chrome('')) { Crm.needKey(content); return; }
  const p = Crm.params();
  const metric = p.get('metric') || '';
  try {
    const page = await Crm.api(`/metrics/${encodeURIComponent(metric)}/records` + Crm.query({ from: p.get('from'), to: p.get('to'), limit: 500 }));
    const name = await Crm.names(page.items.map(t => t.customerId));
    content.replaceChildren(
      Crm.el('p', {}, Crm.el('a', { href: 'index.html' + Crm.query({ from: p.get('from'), to: p.get('to') }) + '#m-' + metric, text: '← Back to the hierarchy' })),
      Crm.el('p', { id: 'summary', text: `${page.items.length} touchpoints behind ${metric}, ${p.get('from') || ''} to ${p.get('to') || ''}` }),
      Crm.el('div', { class: 'table-wrap' }, Crm.el('table', { id: 'records' },
        Crm.el('caption', { class: 'muted', text: 'Touchpoints counted by the metric' }),
        Crm.el('thead', {}, Crm.el('tr', {}, ['When', 'Customer', 'Channel', 'Kind', 'Revenue', 'Cost'].map((h, i) => Crm.el('th', { scope: 'col', class: i >= 4 ? 'num' : null, text: h })))),
        Crm.el('tbody', {}, page.items.map(t => Crm.el('tr', { 'data-touchpoint': t.id },
          Crm.el('td', { text: t.occurredAt.slice(0, 16).replace('T', ' ') }),
          Crm.el('td', {}, Crm.el('a', { href: 'customer.html?id=' + t.customerId, text: name(t.customerId) })),
          Crm.el('td', { text: t.channel }), Crm.el('td', { text: t.kind }),
          Crm.el('td', { class: 'num', text: t.revenue == null ? '' : Crm.fmt(t.revenue, 'Money') }),
          Crm.el('td', { class: 'num', text: t.cost == null ? '' : Crm.fmt(t.cost, 'Money') })))))));
  } catch (error) { Crm.showError(content, error); }
})();
