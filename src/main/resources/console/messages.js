// Messages, newest first, a page at a time from the server (the log may hold millions of rows). On the first page
// the console asks again every few seconds and adds new messages at the top without a reload; a message opens in
// full below the list.
import {api} from './api.js';
import {el, fill, badge, when, muted, table} from './dom.js';
import {Pager, PAGE_SIZE, filterForm, heading, failed} from './list.js';

const POLL_MS = 3000;
const FILTERS = [
  {name: 'msg_id', label: 'msg_id', placeholder: 'client\'s id'},
  {name: 'dest', label: 'Customer (dest)', placeholder: 'IGSID or PSID'},
  {name: 'account', label: 'Account ID', type: 'number'},
  {name: 'line', label: 'Line ID', type: 'number'},
  {name: 'state', label: 'State', type: 'select', options: [['', 'any'], ['queued', 'queued'],
    ['accepted', 'accepted (at Meta)'], ['sent', 'sent'], ['delivered', 'delivered'], ['read', 'read'],
    ['failed', 'failed'], ['unknown', 'unknown'], ['received', 'received']]},
  {name: 'direction', label: 'Direction', type: 'select', options: [['', 'any'], ['out', 'out (sent)'],
    ['in', 'in (received)']]},
  {name: 'since', label: 'Since', type: 'datetime'},
  {name: 'until', label: 'Until', type: 'datetime'},
];
const QUERY = FILTERS.map(f => f.name);

export function render(main, params, ctx) {
  const list = el('div', {id: 'messages-list'});
  const detail = el('section', {id: 'message-detail', class: 'detail', hidden: true});
  const live = el('p', {id: 'messages-live', class: 'small muted', role: 'status'});
  const query = Object.fromEntries(QUERY.filter(k => params[k]).map(k => [k, params[k]]));
  main.append(heading('Messages', 'Newest first. The first page follows new messages as they arrive.'),
    filterForm(FILTERS, params, values => ctx.navigate('messages', values)), live, list, detail);

  let shown = [];
  const draw = (items, fresh = new Set()) => {
    shown = items;
    fill(list, table(['cdls_id', 'Created', 'Account', 'Line', 'Dir', 'Customer', 'State', 'Type', 'Text', 'msg_id'],
      items.map(m => row(m, fresh.has(m.cdls_id), () => open(m.cdls_id, detail, ctx))), 'No messages match.'),
    pager.bar);
  };
  const pager = new Pager(cursor => api.get('messages', {...query, cursor, limit: PAGE_SIZE}), items => draw(items));
  pager.load().then(() => { if (params.cdls_id) open(params.cdls_id, detail, ctx); },
    failed(ctx, 'Could not load messages'));

  // following new messages: the first page again, its rows not yet shown marked as new; a page further back stays
  let polling = false;
  const timer = setInterval(async () => {
    if (polling || !pager.onFirstPage || document.hidden) return;
    polling = true;
    try {
      const page = await api.get('messages', {...query, limit: PAGE_SIZE});
      const known = new Set(shown.map(m => m.cdls_id));
      const top = shown.length ? Math.max(...shown.map(m => m.cdls_id)) : 0;
      const fresh = new Set((page.items || []).filter(m => !known.has(m.cdls_id) && m.cdls_id > top).map(m => m.cdls_id));
      const changed = fresh.size > 0 || (page.items || []).some((m, i) => !shown[i] || shown[i].state !== m.state);
      if (changed) {
        pager.next = page.next || null;
        draw(page.items || [], fresh);
        pager.drawBar();
      }
      live.textContent = fresh.size ? `${fresh.size} new at ${new Date().toLocaleTimeString()}`
        : `Up to date at ${new Date().toLocaleTimeString()}`;
    } catch (e) {
      live.textContent = `Not updating: ${e.message}`;
    } finally {
      polling = false;
    }
  }, POLL_MS);
  return () => clearInterval(timer);
}

function row(m, fresh, onOpen) {
  const tr = el('tr', {class: fresh ? 'clickable fresh' : 'clickable', tabindex: 0, dataset: {cdlsId: m.cdls_id},
    on: {click: onOpen, keydown: e => { if (e.key === 'Enter') onOpen(); }}},
  el('td', {class: 'num', text: m.cdls_id}),
  el('td', {}, when(m.created_at)),
  el('td', {class: 'num', text: m.account_id}),
  el('td', {class: 'num', text: m.app_id}),
  el('td', {}, badge(m.direction === 'in' ? 'in' : 'out', 'plain')),
  el('td', {class: 'mono', text: m.dest}),
  el('td', {}, badge(m.state)),
  el('td', {text: m.mtype}),
  el('td', {class: 'text-cell', title: m.mdata || '', text: m.mdata || ''}),
  el('td', {class: 'mono'}, m.msg_id ? m.msg_id : muted('—')));
  return tr;
}

async function open(cdlsId, detail, ctx) {
  try {
    const answer = await api.get(`messages/${encodeURIComponent(cdlsId)}`);
    const m = answer.message || answer;
    const rows = Object.entries(m).map(([key, value]) => el('tr', {}, el('th', {scope: 'row', text: key}),
      el('td', {}, value === null ? muted('null') : typeof value === 'object'
        ? el('pre', {text: JSON.stringify(value, null, 2)}) : el('span', {class: 'pre', text: String(value)}))));
    fill(detail, el('h2', {text: `Message ${m.cdls_id}`}),
      el('table', {class: 'kv'}, el('tbody', {}, rows)),
      el('button', {type: 'button', class: 'btn', text: 'Close', on: {click: () => { detail.hidden = true; }}}));
    detail.hidden = false;
    detail.scrollIntoView({block: 'nearest'});
  } catch (e) {
    failed(ctx, `Could not open message ${cdlsId}`)(e);
  }
}
