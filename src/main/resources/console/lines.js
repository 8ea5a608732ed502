// Lines: each Instagram or Messenger line's health as Meta's answers showed it, its usage and pace, pausing and
// resuming its sends, and setting a fresh page access token (write-only: the API never returns one, and the field is
// emptied as soon as it is sent).
import {api} from './api.js';
import {el, fill, badge, when, table, button} from './dom.js';
import {Pager, PAGE_SIZE, filterForm, heading, failed} from './list.js';

export function render(main, params, ctx) {
  const list = el('div', {id: 'lines-list'});
  main.append(heading('Lines', 'Health comes from Meta\'s answers. A paused line sends nothing to Meta until the pause'
    + ' ends or it is resumed (direct sends answer 260, queued ones wait).'),
    filterForm([{name: 'account', label: 'Account ID', type: 'number'}], params, values => ctx.navigate('lines', values)),
    list);
  const pager = new Pager(cursor => api.get('lines', {account: params.account, cursor, limit: PAGE_SIZE}), items => {
    fill(list, table(['ID', 'Account', 'Channel', 'Sends as', 'State', 'Health', 'Usage', 'Page token'],
      items.map(line => row(line, ctx, () => pager.load().catch(failed(ctx, 'Could not load lines')))), 'No lines.'),
    pager.bar);
  }, {newestFirst: false});
  pager.load().catch(failed(ctx, 'Could not load lines'));
}

function row(line, ctx, reload) {
  return el('tr', {dataset: {line: line.id}},
    el('td', {class: 'num'}, el('a', {href: `#/messages?line=${line.id}`, title: 'This line\'s messages',
      text: line.id})),
    el('td', {class: 'num'}, el('a', {href: `#/lines?account=${line.account_id}`, title: 'This account\'s lines',
      text: line.account_id})),
    el('td', {text: line.class}),
    el('td', {class: 'mono', text: line.ig_account_id || line.page_id || '—'}),
    el('td', {}, state(line, ctx, reload)),
    el('td', {}, health(line)),
    el('td', {}, usage(line)),
    el('td', {}, pageTokenForm(line, ctx)));
}

const PAUSES = [['15', '15 minutes'], ['60', '1 hour'], ['240', '4 hours'], ['1440', '24 hours']];

/**
 * Whether the line sends: active or not, and paused until when (by an operator here, or by Linegate on Meta's usage);
 * Pause holds its sends to Meta for a while (direct sends answer 260, queued ones wait), Resume ends any pause now.
 */
function state(line, ctx, reload) {
  const change = (body, done, what) => api.patch(`lines/${line.id}`, body)
    .then(() => { ctx.flash(`Line ${line.id} ${done}.`, 'good'); reload(); },
      e => { failed(ctx, `Could not ${what} line ${line.id}`)(e); reload(); });
  const parts = [badge(line.active ? 'active' : 'inactive')];
  if (line.paused_until) {
    const resume = button('Resume', () => { resume.disabled = true; change({paused_until: null}, 'resumed', 'resume'); },
      'primary');
    resume.dataset.action = 'resume';
    parts.push(' ', badge('paused'), el('div', {class: 'small'}, 'until ', when(line.paused_until)),
      line.pause_reason ? el('div', {class: 'small muted', text: line.pause_reason}) : null,
      el('div', {class: 'line-actions'}, resume));
  } else {
    const length = el('select', {name: 'pause_for', 'aria-label': `Pause line ${line.id} for`},
      PAUSES.map(([minutes, label]) => el('option', {value: minutes, text: label})));
    const pause = button('Pause', () => {
      pause.disabled = true;
      const until = new Date(Date.now() + Number(length.value) * 60_000).toISOString();
      change({paused_until: until}, `paused for ${length.selectedOptions[0].textContent}`, 'pause');
    }, 'warn');
    pause.dataset.action = 'pause';
    parts.push(el('div', {class: 'line-actions'}, pause, length));
  }
  return el('span', {}, parts);
}

function health(line) {
  const h = line.health;
  const state = h && typeof h === 'object' ? h.state : h;
  const reason = h && typeof h === 'object' ? (h.reason || h.message) : line.health_reason;
  return el('span', {}, badge(state || 'unknown'), reason ? el('div', {class: 'small muted', text: reason}) : null);
}

/**
 * Meta's usage of the line as the node that answered last read it from Meta's usage headers (each node reads its own
 * answers to the line's sends, so another node may show other figures; none until this node has one): each header's
 * highest figure, amber from USAGE_WARN percent on, below the figure at which Linegate pauses the line
 * (LINEGATE_USAGE_PAUSE_PERCENT, 95 by default); "near limit" while Linegate holds the line on Meta's usage (the pause
 * shows under State, with Meta's reason); and the line's own pace.
 */
function usage(line) {
  const pace = el('div', {class: 'small muted',
    text: typeof line.sends_per_second === 'number' ? `${line.sends_per_second} sends/s` : 'default pace'});
  const nearLimit = line.paused_until && line.pause_reason && line.pause_reason !== OPERATORS_PAUSE;
  const read = line.usage;
  const figures = read ? USAGE_HEADERS.filter(header => typeof read[header] === 'number')
    .map(header => badge(`${header} ${read[header]}%`, read[header] >= USAGE_WARN ? 'warn' : 'good')) : [];
  const shown = figures.length === 0
    ? el('div', {class: 'small muted', text: read ? 'no figures' : 'no reading yet'})
    : el('div', {class: 'usage', title: 'The highest figure of each of Meta\'s usage headers on the last answer for'
        + ' this line, as the node that answered read it'}, figures.flatMap((f, i) => i === 0 ? [f] : [' · ', f]));
  return el('span', {}, nearLimit ? el('div', {}, badge('near limit', 'warn')) : null, shown,
    read ? el('div', {class: 'small muted'}, 'read ', when(read.read_at)) : null, pace);
}

/** The admin line's usage figures (X-App-Usage, X-Business-Use-Case-Usage, X-Page-Usage), in the order shown. */
const USAGE_HEADERS = ['app', 'business', 'page'];

/** From this figure on (percent) a usage figure is shown amber: the line nears the figure that pauses it. */
const USAGE_WARN = 80;

/** The pause_reason of a pause set here or with 'line update --paused-until'. */
const OPERATORS_PAUSE = 'paused by an operator';

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
