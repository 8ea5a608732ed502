// Accounts: who they are, whether their events are posted to a callback URL, and how many of those gave up (dead).
import {api} from './api.js';
import {el, fill, badge, when, muted, table, field} from './dom.js';
import {Pager, PAGE_SIZE, IN_ID_ORDER, heading, failed} from './list.js';

export function render(main, params, ctx) {
  const list = el('div', {id: 'accounts-list'});
  const name = el('input', {id: 'account-name', name: 'name', required: true, maxlength: 200, placeholder: 'Acme Dental'});
  const create = el('form', {class: 'inline-form', autocomplete: 'off'}, field('New account', name),
    el('button', {type: 'submit', class: 'btn btn-primary', text: 'Create account'}));
  create.addEventListener('submit', event => {
    event.preventDefault();
    api.post('accounts', {name: name.value.trim()}).then(account => {
      name.value = '';
      ctx.flash(`Account ${account.id} created.`, 'good');
      pager.reset();
    }, failed(ctx, 'Could not create the account'));
  });
  main.append(heading('Accounts', 'Each business Linegate sends for, with its callback and the events it gave up on.'),
    create, list);

  const pager = new Pager(cursor => api.get('accounts', {cursor, limit: PAGE_SIZE}), items => {
    fill(list, table(['ID', 'Name', 'Callback', 'Dead events', 'Created', ''], items.map(account => row(account, ctx)),
      'No accounts yet.'), pager.bar);
  }, IN_ID_ORDER);
  pager.load().catch(failed(ctx, 'Could not load accounts'));
}

function row(account, ctx) {
  const dead = el('span', {class: 'muted', text: '…'});
  deadEvents(account).then(count => fill(dead, count === 0 ? badge('0', 'good') : el('a', {
    href: `#/events?account=${account.id}&state=dead`, class: 'badge badge-bad', text: `${count} dead`,
  })), () => fill(dead, muted('unknown')));
  const callback = account.callback_url
    ? el('span', {}, badge('set'), ' ', el('span', {class: 'mono', text: account.callback_url}))
    : el('span', {}, badge('none'), ' ', muted('feed only'));
  return el('tr', {dataset: {account: account.id}},
    el('td', {class: 'num', text: account.id}),
    el('td', {text: account.name}),
    el('td', {}, callback),
    el('td', {}, dead),
    el('td', {}, when(account.created_at)),
    el('td', {class: 'actions'},
      el('a', {href: `#/lines?account=${account.id}`, text: 'Lines'}), ' ',
      el('a', {href: `#/messages?account=${account.id}`, text: 'Messages'}), ' ',
      el('a', {href: `#/tokens?account=${account.id}`, text: 'Tokens'})));
}

/** The account's dead events: the API's count where it gives one, else counted from the events list (capped). */
async function deadEvents(account) {
  if (typeof account.dead_events === 'number') return account.dead_events;
  const page = await api.get('events', {account: account.id, state: 'dead', limit: 100});
  const n = (page.items || []).length;
  return page.next ? `${n}+` : n;
}
