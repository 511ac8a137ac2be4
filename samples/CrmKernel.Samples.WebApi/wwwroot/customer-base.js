'use strict';
(async () => {
  const content = document.getElementById('content');
  if (!Crm.chrome('customer-base.html')) { Crm.needKey(content); return; }
  const p = Crm.params();
  try {
    const base = await Crm.api('/customer-base' + Crm.query({ calibrationEnd: p.get('calibrationEnd'), figures: 'true', limit: 500 }));
    content.replaceChildren();
    const facts = Crm.el('dl', { class: 'facts', id: 'facts' },
      Crm.el('dt', { text: 'Calibration end' }), Crm.el('dd', { text: base.calibrationEnd }),
      Crm.el('dt', { text: 'Customers' }), Crm.el('dd', { id: 'customers', text: String(base.customers) }),
      Crm.el('dt', { text: 'Purchases' }), Crm.el('dd', { id: 'purchases', text: String(base.purchases) }),
      Crm.el('dt', { text: 'Fits converged' }), Crm.el('dd', { text: base.converged ? 'yes' : 'no (use with care)' }),
      Crm.el('dt', { text: 'BG/NBD' }), Crm.el('dd', { text: base.transactionModel.map(x => `${x.name} ${x.estimate == null ? '?' : x.estimate.toFixed(3)}`).join(', ') }),
      Crm.el('dt', { text: 'Gamma-Gamma' }), Crm.el('dd', { text: base.spendModel.map(x => `${x.name} ${x.estimate == null ? '?' : x.estimate.toFixed(3)}`).join(', ') }));
    const charts = Crm.el('div', { class: 'grid' });
    if (base.tracking) {
      charts.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'CLV tracking: cumulative repeat purchases, actual and model' }),
        Charts.lines(base.tracking.title, base.tracking.series.map(s => ({ name: s.name, points: s.points })), base.tracking.xAxis, base.tracking.yAxis, base.tracking.markers)));
    }
    if (base.probabilityAlive) {
      const f = base.probabilityAlive;
      const series = f.series[0];
      charts.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'P(alive) distribution' }),
        Charts.bars(f.title, series.points.map((pt, i) => ({ label: f.categories[i] ?? String(pt.x), value: pt.y, text: String(pt.y) })), { alt: true })));
    }
    const top = [...base.items].sort((a, b) => b.lifetimeValue - a.lifetimeValue).slice(0, 20);
    const name = await Crm.names(top.map(v => v.customerId));
    const table = Crm.el('div', { class: 'table-wrap' }, Crm.el('table', { id: 'valuations' },
      Crm.el('caption', { class: 'muted', text: `The 20 highest CLVs (${base.currency}); purchases expected in the next ${base.horizonWeeks} weeks` }),
      Crm.el('thead', {}, Crm.el('tr', {}, ['Customer', 'P(alive)', 'Expected purchases', 'Average spend', 'CLV'].map((h, i) => Crm.el('th', { scope: 'col', class: i ? 'num' : null, text: h })))),
      Crm.el('tbody', {}, top.map(v => Crm.el('tr', { 'data-customer': v.customerId },
        Crm.el('td', {}, Crm.el('a', { href: 'customer.html?id=' + v.customerId, text: name(v.customerId) })),
        Crm.el('td', { class: 'num alive', text: Crm.fmt(v.probabilityAlive, 'Percentage') }),
        Crm.el('td', { class: 'num', text: Crm.fmt(v.expectedPurchases) }),
        Crm.el('td', { class: 'num', text: Crm.fmt(v.expectedAverageSpend, 'Money') }),
        Crm.el('td', { class: 'num clv', text: Crm.fmt(v.lifetimeValue, 'Money') }))))));
    content.append(Crm.el('section', { class: 'card' }, facts), charts, Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Customer lifetime value' }), table));
  } catch (error) { Crm.showError(content, error); }
})();
