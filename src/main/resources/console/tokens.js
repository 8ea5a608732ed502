// An account's API tokens: created here (shown once: Linegate keeps only a hash), listed, revoked.
import {api} from './api.js';
import {el, fill, badge, when, muted, table, field, button} from './dom.js';
import {Pager, PAGE_SIZE, IN_ID_ORDER, heading, failed} from './list.js';

export function render(main, params, ctx) {
  const account = params.account || '';
  const accountInput = el('input', {id: 'tokens-account', type: 'number', min: 1, required: true, value: account});
  const pick = el('form', {class: 'inline-form'}, field('Account ID', accountInput),
    el('button', {type: 'submit', class: 'btn', text: 'Show tokens'}));
  pick.addEventListener('submit', event => {
    event.preventDefault();
    ctx.navigate('tokens', {account: accountInput.value.trim()});
  });
  main.append(heading('Tokens', 'API tokens (tsid) that an account\'s CRM sends; a token is shown only when it is made.'),
    pick);
  if (!account) {
    main.append(el('p', {class: 'muted', text: 'Choose an account (its ID is on the Accounts page).'}));
    return;
  }

  const created = el('div', {id: 'token-created'});
  const list = el('div', {id: 'tokens-list'});
  const label = el('input', {id: 'token-label', name: 'label', required: true, maxlength: 100, placeholder: 'crm'});
  const create = el('form', {class: 'inline-form', autocomplete: 'off'}, field('Label', label),
    el('button', {type: 'submit', class: 'btn btn-primary', text: 'Create token'}));
  // oldest first, a page at a time by the server's cursor: an account may hold more tokens than one page
  const pager = new Pager(cursor => api.get(`accounts/${encodeURIComponent(account)}/tokens`,
    {cursor, limit: PAGE_SIZE}), items => {
    fill(list, table(['ID', 'Label', 'State', 'Created', 'Last used', ''], items.map(t => row(t, ctx, load)),
      'This account has no tokens.'), pager.bar);
  }, IN_ID_ORDER);
  const load = () => pager.load().catch(failed(ctx, `Could not load account ${account}'s tokens`));
  create.addEventListener('submit', event => {
    event.preventDefault();
    api.post(`accounts/${encodeURIComponent(account)}/tokens`, {label: label.value.trim()}).then(token => {
      label.value = '';
      fill(created, shownOnce(token));
      load();
    }, failed(ctx, 'Could not create the token'));
  });
  main.append(el('h2', {text: `Account ${account}`}), create, created, list);
  load();
}

function shownOnce(token) {
  const value = el('input', {id: 'token-value', class: 'mono', readonly: true, value: token.tsid, size: 48,
    'aria-label': 'The new token'});
  const copy = button('Copy', () => {
    value.select();
    navigator.clipboard?.writeText(token.tsid).then(() => { copy.textContent = 'Copied'; }, () => {});
  });
  return el('div', {class: 'card reveal', role: 'status'},
    el('p', {}, el('strong', {text: `Token ${token.id} created. `}),
      'Copy it now: it is shown only this once, and Linegate keeps only its hash.'),
    el('div', {class: 'inline-form'}, value, copy,
      button('Done', event => event.target.closest('.reveal').remove())));
}

function row(t, ctx, reload) {
  const cell = el('td', {class: 'actions'});
  if (!t.revoked) {
    const revoke = button('Revoke', () => {
      // two steps instead of a dialog: a revoked token cannot be brought back, and the CRM using it stops at once
      if (revoke.dataset.armed !== 'yes') {
        revoke.dataset.armed = 'yes';
        revoke.textContent = 'Confirm revoke';
        return;
      }
      revoke.disabled = true;
      api.del(`tokens/${t.id}`).then(() => {
        ctx.flash(`Token ${t.id} revoked.`, 'good');
        reload();
      }, e => { revoke.disabled = false; failed(ctx, `Could not revoke token ${t.id}`)(e); });
    }, 'danger');
    revoke.dataset.action = 'revoke';
    cell.append(revoke);
  }
  return el('tr', {dataset: {token: t.id}},
    el('td', {class: 'num', text: t.id}),
    el('td', {text: t.label}),
    el('td', {}, badge(t.revoked ? 'revoked' : 'active')),
    el('td', {}, when(t.created_at)),
    el('td', {}, t.last_used_at ? when(t.last_used_at) : muted('never')),
    cell);
}
