// Lines: each Instagram or Messenger line's health as Meta's answers showed it, its usage and pace, pausing and
// resuming it, and setting a fresh page access token (write-only: the API never returns one, and the field is emptied
// as soon as it is sent).
import {api} from './api.js';
import {el, fill, badge, when, table, button} from './dom.js';
import {Pager, PAGE_SIZE, filterForm, heading, failed} from './list.js';

export function render(main, params, ctx) {
  const list = el('div', {id: 'lines-list'});
  main.append(heading('Lines', 'Health comes from Meta\'s answers; a paused line refuses sends until it is resumed.'),
    filterForm([{name: 'account', label: 'Account ID', type: 'number'}], params, values => ctx.navigate('lines', values)),
    list);
  const pager = new Pager(cursor => api.get('lines', {account: params.account, cursor, limit: PAGE_SIZE}), items => {
    fill(list, table(['ID', 'Account', 'Channel', 'Sends as', 'State', 'Health', 'Usage', 'Page token'],
      items.map(line => row(line, ctx, () => pager.load().catch(failed(ctx, 'Could not load lines')))), 'No lines.'),
    pager.bar);
  });
  pager.load().catch(failed(ctx, 'Could not load lines'));
}

function row(line, ctx, reload) {
  const active = line.active !== false;
  const toggle = button(active ? 'Pause' : 'Resume', () => {
    toggle.disabled = true;
    api.patch(`lines/${line.id}`, {active: !active}).then(() => {
      ctx.flash(`Line ${line.id} ${active ? 'paused' : 'resumed'}.`, 'good');
      reload();
    }, e => { toggle.disabled = false; failed(ctx, `Could not ${active ? 'pause' : 'resume'} line ${line.id}`)(e); });
  }, active ? 'warn' : 'primary');
  toggle.dataset.action = 'toggle';
  return el('tr', {dataset: {line: line.id}},
    el('td', {class: 'num'}, el('a', {href: `#/messages?line=${line.id}`, title: 'This line\'s messages',
      text: line.id})),
    el('td', {class: 'num'}, el('a', {href: `#/lines?account=${line.account_id}`, title: 'This account\'s lines',
      text: line.account_id})),
    el('td', {text: line.class}),
    el('td', {class: 'mono', text: line.ig_account_id || line.page_id || line.login || '—'}),
    el('td', {}, badge(active ? 'active' : 'paused'), ' ', toggle),
    el('td', {}, health(line)),
    el('td', {}, usage(line)),
    el('td', {}, pageTokenForm(line, ctx)));
}

function health(line) {
  const h = line.health;
  const state = h && typeof h === 'object' ? h.state : h;
  const reason = h && typeof h === 'object' ? (h.reason || h.message) : line.health_reason;
  return el('span', {}, badge(state || 'unknown'), reason ? el('div', {class: 'small muted', text: reason}) : null);
}

/**
 * Meta's usage as the line's answers reported it: a line near its limit is paused by Linegate until Meta's window
 * passes (paused_until, with the reason); and the line's own pace.
 */
function usage(line) {
  const pace = el('div', {class: 'small muted',
    text: typeof line.sends_per_second === 'number' ? `${line.sends_per_second} sends/s` : 'default pace'});
  if (!line.paused_until) return el('span', {}, badge('within limits', 'good'), pace);
  return el('span', {}, badge('slowed'), el('div', {class: 'small'}, 'until ', when(line.paused_until)),
    line.pause_reason ? el('div', {class: 'small muted', text: line.pause_reason}) : null, pace);
}

function pageTokenForm(line, ctx) {
  const input = el('input', {type: 'password', name: 'page_token', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'new page access token', 'aria-label': `New page access token for line ${line.id}`});
  const form = el('form', {class: 'token-form', autocomplete: 'off'}, input,
    el('button', {type: 'submit', class: 'btn', text: 'Set'}));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    input.value = '';
    api.patch(`lines/${line.id}`, {page_token: token})
      .then(() => ctx.flash(`Line ${line.id}: page token set.`, 'good'), failed(ctx, `Could not set line ${line.id}'s token`));
  });
  const state = line.page_token_unreadable ? 'unreadable' : line.has_page_token ? 'set' : 'not set';
  return el('span', {class: 'token-cell'}, badge(state), form);
}
