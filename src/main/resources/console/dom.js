// Building the page. Every piece of data reaches the document as text (textContent, attribute values): nothing here
// parses markup, so a customer's "<img src=x onerror=...>" is shown as those characters and never becomes an element.

/** An element: el('td', {class: 'num', text: 42, title: '…', on: {click: fn}}, child, …). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key === 'class') node.className = value;
    else if (key === 'on') for (const [type, fn] of Object.entries(value)) node.addEventListener(type, fn);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces a node's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

// A state is shown by its word and a colour (the colour only adds to the word: nothing is told by colour alone).
const TONES = {
  good: ['ok', 'sent', 'delivered', 'read', 'active', 'received', 'set', 'valid'],
  warn: ['queued', 'accepted', 'pending', 'unknown', 'paused', 'none', 'not set', 'slowed'],
  bad: ['failed', 'dead', 'token_rejected', 'restricted', 'revoked', 'deleted', 'unreadable', 'inactive'],
};

export function badge(word, tone) {
  const text = word === null || word === undefined || word === '' ? '—' : String(word);
  const found = tone || Object.keys(TONES).find(t => TONES[t].includes(text.toLowerCase())) || 'plain';
  return el('span', {class: `badge badge-${found}`, text});
}

/** An ISO-8601 instant as local date and time to the second; the instant itself in the tooltip. */
export function when(iso) {
  if (!iso) return el('span', {class: 'muted', text: '—'});
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return el('span', {text: iso});
  const pad = n => String(n).padStart(2, '0');
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} `
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return el('time', {datetime: iso, title: iso, text});
}

export function muted(text) {
  return el('span', {class: 'muted', text});
}

/** A table with a header row; rows are arrays of cells (nodes or text), or a ready <tr>. */
export function table(headers, rows, empty = 'Nothing here.') {
  const body = el('tbody');
  for (const row of rows) {
    body.append(row instanceof Node ? row : el('tr', {}, row.map(cell => el('td', {}, cell))));
  }
  if (rows.length === 0) {
    body.append(el('tr', {}, el('td', {class: 'empty', colspan: headers.length, text: empty})));
  }
  return el('table', {class: 'grid'}, el('thead', {}, el('tr', {}, headers.map(h => el('th', {scope: 'col', text: h})))),
    body);
}

/** A labelled form field. */
export function field(label, input) {
  return el('label', {class: 'field'}, el('span', {text: label}), input);
}

export function button(text, onClick, kind = '') {
  return el('button', {type: 'button', class: kind ? `btn btn-${kind}` : 'btn', text, on: {click: onClick}});
}
