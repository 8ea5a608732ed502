// Events to the CRMs: their callback delivery, the dead ones first (posted for LINEGATE_CALLBACK_MAX_AGE without a
// 2xx), and sending one again.
import {api} from './api.js';
import {el, fill, badge, when, muted, table, button} from './dom.js';
import {Pager, PAGE_SIZE, filterForm, heading, failed} from './list.js';

const FILTERS = [
  {name: 'state', label: 'Delivery', type: 'select', options: [['dead', 'dead'], ['pending', 'pending'],
    ['delivered', 'delivered'], ['none', 'none (no callback URL)'], ['any', 'any']]},
  {name: 'account', label: 'Account ID', type: 'number'},
  {name: 'type', label: 'Type', type: 'select', options: [['', 'any'], ['message.status', 'message.status'],
    ['message.received', 'message.received'], ['message.echo', 'message.echo'], ['line.status', 'line.status'],
    ['conversation.window_closing', 'conversation.window_closing'], ['comment.received', 'comment.received']]},
];

export function render(main, params, ctx) {
  const state = params.state || 'dead';
  const list = el('div', {id: 'events-list'});
  main.append(heading('Events', 'Dead events were posted until LINEGATE_CALLBACK_MAX_AGE without a 2xx answer.'),
    filterForm(FILTERS, {...params, state}, values => ctx.navigate('events', values)), list);
  const pager = new Pager(cursor => api.get('events', {account: params.account, type: params.type,
    state: state === 'any' ? '' : state, cursor, limit: PAGE_SIZE}), items => {
    const again = items.filter(e => e.delivery === 'dead');
    const all = again.length < 2 ? null : button(`Redeliver the ${again.length} dead events shown`, () => {
      all.disabled = true;
      api.post('events/redeliver', {event_ids: again.map(e => e.event_id)}).then(answer => {
        ctx.flash(`${answer.redelivered} events will be posted again.`, 'good');
        pager.load();
      }, e => { all.disabled = false; failed(ctx, 'Could not redeliver them')(e); });
    });
    if (all) all.dataset.action = 'redeliver-shown';
    fill(list, all ? el('div', {class: 'list-actions'}, all) : null,
      table(['Event', 'Account', 'Seq', 'Type', 'Occurred', 'Delivery', 'Attempts', 'Last error', ''],
        items.map(e => row(e, ctx)), state === 'dead' ? 'No dead events.' : 'No events match.'), pager.bar);
  });
  pager.load().catch(failed(ctx, 'Could not load events'));
}

function row(event, ctx) {
  const delivery = event.delivery || event.state;
  const cell = el('td', {class: 'actions'});
  if (delivery === 'dead' || delivery === 'delivered') {
    const again = button('Redeliver', () => {
      again.disabled = true;
      api.post('events/redeliver', {event_ids: [event.event_id]}).then(() => {
        fill(cell, badge('pending'), ' ', muted('queued to send again'));
        ctx.flash(`Event ${event.event_id} will be posted again.`, 'good');
      }, e => { again.disabled = false; failed(ctx, `Could not redeliver ${event.event_id}`)(e); });
    }, 'primary');
    again.dataset.action = 'redeliver';
    cell.append(again);
  }
  return el('tr', {dataset: {event: event.event_id}},
    el('td', {class: 'mono', text: event.event_id}),
    el('td', {class: 'num', text: event.account_id}),
    el('td', {class: 'num', text: event.seq}),
    el('td', {text: event.type}),
    el('td', {}, when(event.occurred_at)),
    el('td', {}, badge(delivery)),
    el('td', {class: 'num', text: event.attempts ?? ''}),
    el('td', {class: 'text-cell', title: event.last_error || '', text: event.last_error || ''}),
    cell);
}
