'use strict';
(async () => {
  const content = document.getElementById('content');
  if (!Crm.chrome('index.html')) { Crm.needKey(content); return; }
  const p = Crm.params();
  try {
    const report = await Crm.api('/metrics/report' + Crm.query({ from: p.get('from'), to: p.get('to') }));
    content.replaceChildren();
    Crm.periodForm(content, report.from, report.to, (from, to) => { location.search = Crm.query({ from, to }); });
    content.append(Crm.el('p', { id: 'period', text: `${report.from} to ${report.to} (${report.zone}, ${report.currency}); compared with ${report.previousFrom} to ${report.previousTo}.` }));
    const byId = new Map(report.metrics.map(m => [m.id, m]));
    const rendered = new Set();
    const levels = ['Corporate', 'CustomerStrategic', 'OperationalProcess', 'InfrastructureInput'];
    const levelName = { Corporate: 'Corporate', CustomerStrategic: 'Customer strategic', OperationalProcess: 'Operational process', InfrastructureInput: 'Infrastructure input' };
    const node = (m, depth) => {
      const first = !rendered.has(m.id);
      rendered.add(m.id);
      const parts = [
        Crm.el('span', { class: 'level-badge', text: levelName[m.level] }),
        first ? Crm.el('span', { class: 'name', text: m.name }) : Crm.el('a', { class: 'name', href: '#m-' + m.id, text: m.name }),
        Crm.el('span', { class: 'value', text: Crm.fmt(m.value, m.unit) }),
      ];
      if (m.target) { parts.push(Crm.el('span', { class: 'muted target', text: 'target ' + Crm.fmt(m.target.value, m.unit) })); }
      parts.push(Crm.el('span', { class: 'status ' + m.status, text: m.status.replace(/([a-z])([A-Z])/g, '$1 $2') }));
      if (m.value === null && m.reason) { parts.push(Crm.el('span', { class: 'muted', text: m.reason })); }
      if (m.records === 'touchpoints') {
        parts.push(Crm.el('a', { class: 'records', href: 'records.html' + Crm.query({ metric: m.id, from: report.from, to: report.to }), text: 'Records' }));
      }
      const li = Crm.el('li', {}, Crm.el('div', { class: 'node ' + m.level, id: first ? 'm-' + m.id : null, 'data-metric': first ? m.id : null }, parts));
      if (first && m.drivers.length > 0 && depth < 6) {
        li.append(Crm.el('ul', { 'aria-label': 'Drivers of ' + m.name }, m.drivers.map(d => byId.get(d.driver)).filter(Boolean).map(d => node(d, depth + 1))));
      }
      return li;
    };
    const roots = report.metrics.filter(m => m.level === 'Corporate');
    const tree = Crm.el('ul', { class: 'tree', id: 'tree', 'aria-label': 'Metric hierarchy from corporate metrics down to their drivers' }, roots.map(m => node(m, 0)));
    content.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: 'From corporate results to their drivers' }), tree));
    const rest = report.metrics.filter(m => !rendered.has(m.id));
    if (rest.length > 0) {
      for (const level of levels) {
        const items = rest.filter(m => m.level === level);
        if (items.length > 0) {
          content.append(Crm.el('section', { class: 'card' }, Crm.el('h3', { text: levelName[level] + ' metrics driving nothing above' }), Crm.el('ul', { class: 'tree' }, items.map(m => node(m, 6)))));
        }
      }
    }
  } catch (error) { Crm.showError(content, error); }
})();
