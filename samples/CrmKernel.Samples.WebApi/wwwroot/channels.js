'use strict';
(async () => {
  const content = document.getElementById('content');
  if (!Crm.chrome('channels.html')) { Crm.needKey(content); return; }
  const p = Crm.params();
  try {
    const mix = await Crm.api('/channels/mix' + Crm.query({ from: p.get('from'), to: p.get('to') }));
    content.replaceChildren();
    Crm.periodForm(content, mix.from, mix.to, (from, to) => { location.search = Crm.query({ from, to }); });
    const money = v => v == null ? '' : Crm.fmt(v, 'Money');
    const table = (id, rows, first) => Crm.el('div', { class: 'table-wrap' }, Crm.el('table', { id },
      Crm.el('thead', {}, Crm.el('tr', {}, [first, 'Contacts', 'Cost', 'Revenue', 'Cost per contact'].map((h, i) => Crm.el('th', { scope: 'col', class: i ? 'num' : null, text: h })))),
      Crm.el('tbody', {}, rows.map(r => Crm.el('tr', { 'data-key': r.channel },
        Crm.el('td', { text: r.channel }), Crm.el('td', { class: 'num contacts', text: String(r.contacts) }),
        Crm.el('td', { class: 'num cost', text: money(r.cost) }), Crm.el('td', { class: 'num revenue', text: money(r.revenue) }),
        Crm.el('td', { class: 'num', text: r.cost == null ? '' : Crm.fmt(r.cost / r.contacts, 'Money') }))))));
    content.append(Crm.el('div', { class: 'grid' },
      Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Contacts by channel' }), Charts.bars('Contacts by channel', mix.channels.map(r => ({ label: r.channel, value: r.contacts, text: String(r.contacts) })))),
      Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Cost by channel' }), Charts.bars('Cost by channel', mix.channels.map(r => ({ label: r.channel, value: r.cost || 0, text: money(r.cost) || '0.00' })), { alt: true }))));
    content.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: `By channel, ${mix.from} to ${mix.to}` }), table('channels', mix.channels, 'Channel')));
    content.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'By CRM function' }), table('functions', mix.functions, 'Function')));
  } catch (error) { Crm.showError(content, error); }
})();
