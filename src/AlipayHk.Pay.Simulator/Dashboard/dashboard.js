// The simulator's dashboard: plain JavaScript, no build step. Everything goes through the control API; the page
// fetches again whenever the server says something changed (server-sent events), or every 2 s without them.
'use strict';

const api = '/simulator/api';
let loading = false;
let again = false;
const openJournal = new Set();

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// Gateway times carry nine fractional digits: Date reads three.
function time(text) {
  if (!text) return '';
  const date = new Date(text.replace(/(\.\d{3})\d+/, '$1'));
  return isNaN(date) ? text : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function notify(message, kind) {
  const notice = document.getElementById('notice');
  notice.textContent = message;
  notice.dataset.kind = kind || 'error';
  notice.hidden = !message;
}

async function call(method, path, body) {
  const response = await fetch(api + path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 401) location.reload(); // The control token changed: the dashboard asks for it again.
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((json && json.error) || ('HTTP ' + response.status));
  return json;
}

async function act(button, method, path, body, done) {
  button.disabled = true;
  try {
    await call(method, path, body);
    notify(done, 'ok');
  } catch (error) {
    notify(error.message);
  } finally {
    button.disabled = false;
    refresh();
  }
}

function renderCallback(payment, callback) {
  const outcome = callback.status_code !== null
    ? 'HTTP ' + callback.status_code + (callback.accepted ? ', delivered' : ', not accepted')
    : 'failed';
  return el('li', { class: 'callback', 'data-attempt': callback.attempt, 'data-accepted': String(callback.accepted) },
    el('div', {},
      el('span', { text: 'Callback #' + callback.attempt + ' at ' + time(callback.sent_at) + ': ' }),
      el('span', { class: 'outcome', text: outcome })),
    callback.diagnosis ? el('div', { class: 'meta diagnosis', text: callback.diagnosis }) : null,
    callback.next_attempt_at ? el('div', { class: 'meta', text: 'Next attempt at ' + time(callback.next_attempt_at) }) : null);
}

function renderPayment(payment) {
  const id = encodeURIComponent(payment.order_id);
  const pending = payment.status === 'PENDING';
  const notifiable = payment.status === 'SUCCEEDED' && payment.notify_url;
  const actions = el('div', { class: 'row' },
    pending ? el('button', { type: 'button', 'data-action': 'pay', onclick: e => act(e.target, 'POST', '/payments/' + id + '/pay', null, 'Paid ' + payment.order_id + '.') }, 'Pay') : null,
    pending ? el('button', { type: 'button', class: 'secondary', 'data-action': 'cancel', onclick: e => act(e.target, 'POST', '/payments/' + id + '/cancel', null, 'Cancelled ' + payment.order_id + '.') }, 'Cancel') : null,
    pending ? el('button', { type: 'button', class: 'secondary', 'data-action': 'expire', onclick: e => act(e.target, 'POST', '/payments/' + id + '/expire', null, payment.order_id + ' timed out.') }, 'Expire') : null,
    notifiable ? el('button', { type: 'button', class: 'secondary', 'data-action': 'redeliver', onclick: e => act(e.target, 'POST', '/payments/' + id + '/callbacks/redeliver', null, 'Callback sent again for ' + payment.order_id + '.') }, 'Deliver now') : null,
    el('a', { href: payment.qr_code_url, class: 'meta', style: 'align-self:center' }, 'Pay page'));
  return el('article', { class: 'payment', 'data-order-id': payment.order_id, 'data-merchant-order-id': payment.merchant_order_id, 'data-status': payment.status },
    el('div', { class: 'top' },
      el('span', { class: 'amount', text: payment.currency + ' ' + payment.amount }),
      el('span', { class: 'status', 'data-status': payment.status, text: payment.status })),
    el('p', { class: 'description', text: payment.description }),
    el('dl', { class: 'ids' },
      el('dt', { text: 'Order' }), el('dd', { text: payment.order_id }),
      el('dt', { text: 'Merchant order' }), el('dd', { text: payment.merchant_order_id }),
      el('dt', { text: 'Merchant' }), el('dd', { text: payment.merchant + ' · ' + payment.wallet }),
      el('dt', { text: 'Created' }), el('dd', { text: time(payment.create_time) }),
      payment.pay_time ? [el('dt', { text: 'Paid' }), el('dd', { text: time(payment.pay_time) })] : null,
      el('dt', { text: 'Notify' }), el('dd', { text: payment.notify_url || 'no notify_url: no callback' })),
    actions,
    payment.callbacks.length ? el('ul', { class: 'callbacks' }, payment.callbacks.map(c => renderCallback(payment, c))) : null);
}

function renderJournal(entries) {
  const list = document.getElementById('journal');
  list.replaceChildren(...entries.slice().reverse().map((entry, index) => {
    const key = entry.timestamp + ' ' + entry.method + ' ' + entry.path;
    const details = el('details', { open: openJournal.has(key), ontoggle: e => e.target.open ? openJournal.add(key) : openJournal.delete(key) },
      el('summary', { text: time(entry.timestamp) + ' ' + entry.method + ' ' + entry.path + ' → ' + (entry.status_code ?? 'no response') + (entry.fault ? ' (fault: ' + entry.fault + ')' : '') }),
      entry.query ? el('pre', { text: entry.query }) : null,
      Object.keys(entry.headers).length ? el('pre', { text: Object.entries(entry.headers).map(([k, v]) => k + ': ' + v).join('\n') }) : null,
      entry.body ? el('pre', { text: entry.body }) : null,
      entry.response_body ? el('pre', { text: entry.response_body }) : null);
    return el('li', { 'data-index': index }, details);
  }));
  document.getElementById('no-journal').hidden = entries.length > 0;
}

async function refresh() {
  if (loading) { again = true; return; }
  loading = true;
  try {
    const [payments, faults, journal, merchants] = await Promise.all([
      call('GET', '/payments'), call('GET', '/faults'), call('GET', '/journal?limit=50'), call('GET', '/merchants')]);
    document.getElementById('payments').replaceChildren(...payments.slice().reverse().map(renderPayment));
    document.getElementById('no-payments').hidden = payments.length > 0;
    document.getElementById('payment-count').textContent = payments.length ? payments.length + ' in all, newest first' : '';
    document.getElementById('faults').replaceChildren(...(faults.length
      ? faults.map(f => el('li', { text: 'Next ' + f.remaining + ' request(s) to ' + f.endpoint + ': ' + f.fault }))
      : [el('li', { class: 'empty', text: 'No fault pending: every request is served normally.' })]));
    document.getElementById('merchants').replaceChildren(...merchants.map(m =>
      el('li', {}, el('strong', { text: m.name }), ' uid ', el('code', { text: m.uid }))));
    renderJournal(journal);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    notify('Cannot reach the simulator: ' + error.message);
  } finally {
    loading = false;
    if (again) { again = false; refresh(); }
  }
}

function connect() {
  const live = document.getElementById('live');
  if (!window.EventSource) {
    live.dataset.state = 'polling'; live.textContent = 'refreshing every 2 s';
    setInterval(refresh, 2000);
    return;
  }
  const events = new EventSource(api + '/events');
  events.addEventListener('change', refresh);
  events.onopen = () => { live.dataset.state = 'live'; live.textContent = 'live'; };
  events.onerror = () => { live.dataset.state = 'reconnecting'; live.textContent = 'reconnecting…'; };
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('base-address').textContent = location.origin + '/';
  document.getElementById('fault-form').addEventListener('submit', event => {
    event.preventDefault();
    const form = new FormData(event.target);
    act(event.submitter || event.target.querySelector('button'), 'POST', '/faults',
      { endpoint: form.get('endpoint'), fault: form.get('fault'), count: Number(form.get('count')) }, 'Fault injected.');
  });
  document.getElementById('clear-faults').addEventListener('click', e => act(e.target, 'DELETE', '/faults', null, 'Faults cleared.'));
  document.getElementById('expire-tokens').addEventListener('click', e => act(e.target, 'POST', '/tokens/expire', null, 'Every token issued so far now gets HTTP 401.'));
  document.getElementById('reset').addEventListener('click', e => {
    if (confirm('Forget every payment, callback, token, fault and journal entry?')) act(e.target, 'POST', '/reset', null, 'Reset: a clean gateway.');
  });
  connect();
  refresh();
});
