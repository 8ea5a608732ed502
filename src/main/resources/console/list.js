// Server-side paging: the server answers {"items":[…],"next":cursor|null}, newest first (messages, events) or in id
// order (accounts, lines, tokens); the console keeps the cursors of the pages it has shown, so it can go back, and
// never holds more than one page of rows.
import {el, fill, button} from './dom.js';

export const PAGE_SIZE = 50;

/** The pager's buttons for a list newest first, and for one in id order (oldest first). */
export const NEWEST_FIRST = {back: '← Newer', forward: 'Older →'};
export const IN_ID_ORDER = {back: '← Previous', forward: 'Next →'};

export class Pager {
  /** fetchPage(cursor) resolves to {items, next}; render(items) draws them; labels name the buttons by the order. */
  constructor(fetchPage, render, labels = NEWEST_FIRST) {
    this.fetchPage = fetchPage;
    this.render = render;
    this.labels = labels;
    this.cursors = [null];
    this.next = null;
    this.items = [];
    this.bar = el('div', {class: 'pager'});
  }

  get onFirstPage() {
    return this.cursors.length === 1;
  }

  async load() {
    const answer = await this.fetchPage(this.cursors[this.cursors.length - 1]);
    this.items = answer.items || [];
    this.next = answer.next || null;
    this.render(this.items);
    this.drawBar();
  }

  async reset() {
    this.cursors = [null];
    await this.load();
  }

  drawBar() {
    // a new page starts at its top row, as a new page of a book does
    const back = button(this.labels.back, () => { this.cursors.pop(); this.load().then(() => window.scrollTo(0, 0)); });
    back.disabled = this.onFirstPage;
    const forward = button(this.labels.forward, () => {
      this.cursors.push(this.next);
      this.load().then(() => window.scrollTo(0, 0));
    });
    forward.disabled = !this.next;
    fill(this.bar, back, el('span', {class: 'muted', text: `Page ${this.cursors.length}`}), forward);
  }
}

/**
 * A row of filters, filled from the address's params; submitting navigates with the new values. Each field is
 * {name, label, type: 'text'|'number'|'select'|'datetime', options: [[value, label], …], placeholder}.
 */
export function filterForm(fields, params, onSubmit) {
  const inputs = {};
  const form = el('form', {class: 'filters', autocomplete: 'off'});
  for (const f of fields) {
    let input;
    if (f.type === 'select') {
      input = el('select', {name: f.name}, f.options.map(([value, label]) => el('option', {value, text: label})));
      input.value = params[f.name] || '';
    } else if (f.type === 'datetime') {
      input = el('input', {name: f.name, type: 'datetime-local', step: 1});
      if (params[f.name]) input.value = toLocalInput(params[f.name]);
    } else {
      input = el('input', {name: f.name, type: f.type || 'text', placeholder: f.placeholder || '', spellcheck: 'false',
        min: f.type === 'number' ? 1 : undefined});
      input.value = params[f.name] || '';
    }
    input.id = `filter-${f.name}`;
    inputs[f.name] = {input, type: f.type};
    form.append(el('label', {class: 'field', for: input.id}, el('span', {text: f.label}), input));
  }
  const clear = el('button', {type: 'button', class: 'btn', text: 'Clear', on: {click: () => onSubmit({})}});
  form.append(el('div', {class: 'filter-actions'}, el('button', {type: 'submit', class: 'btn btn-primary', text: 'Apply'}),
    clear));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const values = {};
    for (const [name, {input, type}] of Object.entries(inputs)) {
      const value = input.value.trim();
      if (!value) continue;
      values[name] = type === 'datetime' ? new Date(value).toISOString() : value;
    }
    onSubmit(values);
  });
  return form;
}

function toLocalInput(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
    + `:${pad(d.getSeconds())}`;
}

/** A page's heading, with an optional line under it. */
export function heading(title, subtitle) {
  return el('div', {class: 'heading'}, el('h1', {text: title}), subtitle ? el('p', {class: 'muted', text: subtitle}) : null);
}

/** Shows a failed call in the notice line (and keeps the page usable). */
export function failed(ctx, what) {
  return e => ctx.flash(`${what}: ${e.message}`, 'bad');
}
