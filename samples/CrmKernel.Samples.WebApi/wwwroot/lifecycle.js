'use strict';
(async () => {
  const content = document.getElementById('content');
  if (!Crm.chrome('lifecycle.html')) { Crm.needKey(content); return; }
  const p = Crm.params();
  try {
    const flows = await Crm.api('/lifecycle/flows' + Crm.query({ from: p.get('from'), to: p.get('to') }));
    content.replaceChildren();
    Crm.periodForm(content, flows.from, flows.to, (from, to) => { location.search = Crm.query({ from, to }); });
    content.append(Crm.el('div', { class: 'grid' },
      Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Customers in each stage now' }),
        Charts.bars('Customers per lifecycle stage', flows.stages.map(s => ({ label: s.stage, value: s.customers, text: String(s.customers) })))),
      Crm.el('section', { class: 'card' }, Crm.el('h3', { text: `Entered each stage, ${flows.from} to ${flows.to}` }),
        Charts.bars('Customers entering each stage in the period', flows.stages.map(s => ({ label: s.stage, value: s.entered, text: String(s.entered) })), { alt: true }))));
    content.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: `Flows between stages (${flows.transitions} moves)` }),
      Charts.bars('Moves between stages in the period', flows.flows.slice(0, 12).map(f => ({ label: `${f.from} → ${f.to}`, value: f.count, text: String(f.count) })), { labelWidth: 300 }),
      Crm.el('div', { class: 'table-wrap' }, Crm.el('table', { id: 'flows' },
        Crm.el('thead', {}, Crm.el('tr', {}, Crm.el('th', { scope: 'col', text: 'From' }), Crm.el('th', { scope: 'col', text: 'To' }), Crm.el('th', { scope: 'col', class: 'num', text: 'Customers' }))),
        Crm.el('tbody', {}, flows.flows.map(f => Crm.el('tr', {}, Crm.el('td', { text: f.from }), Crm.el('td', { text: f.to }), Crm.el('td', { class: 'num', text: String(f.count) }))))))));
    content.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'Stages' }), Crm.el('div', { class: 'table-wrap' }, Crm.el('table', { id: 'stages' },
      Crm.el('thead', {}, Crm.el('tr', {}, Crm.el('th', { scope: 'col', text: 'Stage' }), Crm.el('th', { scope: 'col', class: 'num', text: 'Customers now' }), Crm.el('th', { scope: 'col', class: 'num', text: 'Entered in period' }))),
      Crm.el('tbody', {}, flows.stages.map(s => Crm.el('tr', { 'data-stage': s.stage }, Crm.el('td', { text: s.stage }), Crm.el('td', { class: 'num now', text: String(s.customers) }), Crm.el('td', { class: 'num entered', text: String(s.entered) }))))))));
  } catch (error) { Crm.showError(content, error); }
})();
