// The operator console: the queue, pushed live over SignalR; a conversation's transcript; take over, reply, hand back,
// close, and feedback on the bot's replies. Every state change sends the antiforgery header.
'use strict';
(() => {
  const status = document.getElementById('status');
  let csrf = null;
  let current = null;

  async function api(method, path, body) {
    const response = await fetch('/api/operator' + path, {
      method,
      headers: Object.assign({ 'Accept': 'application/json' }, body !== undefined ? { 'Content-Type': 'application/json' } : {}, method !== 'GET' ? { 'X-CSRF-TOKEN': csrf } : {}),
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) { throw new Error(data.error || ('HTTP ' + response.status)); }
    return data;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) { td.className = className; }
    row.appendChild(td);
    return td;
  }

  async function loadQueue() {
    const items = await api('GET', '/queue');
    const body = document.querySelector('#queue tbody');
    body.replaceChildren();
    for (const item of items) {
      const row = document.createElement('tr');
      row.dataset.conversation = item.conversationId;
      cell(row, item.conversationId);
      cell(row, item.reason);
      cell(row, item.level + (item.rung && item.rung !== 'none' ? ' (' + item.rung + ')' : ''), 'level-' + item.level);
      cell(row, item.control + (item.assignedTo ? ' · ' + item.assignedTo : ''));
      cell(row, new Date(item.since).toLocaleTimeString());
      const open = document.createElement('button');
      open.type = 'button';
      open.textContent = 'Open';
      open.addEventListener('click', () => claimAndOpen(item.conversationId));
      cell(row, '').appendChild(open);
      body.appendChild(row);
    }
  }

  async function claimAndOpen(id) {
    try {
      await api('POST', '/conversations/' + encodeURIComponent(id) + '/claim');
      await open(id);
    } catch (error) { status.textContent = error.message; }
  }

  async function open(id) {
    const conversation = await api('GET', '/conversations/' + encodeURIComponent(id));
    current = id;
    document.getElementById('conversation').hidden = false;
    document.getElementById('conversation-id').textContent = id;
    document.getElementById('conversation-state').textContent = '(' + conversation.control + ')';
    const list = document.getElementById('entries');
    list.replaceChildren();
    for (const entry of conversation.entries) {
      const item = document.createElement('li');
      item.className = entry.role === 'assistant' ? 'bot' : entry.role;
      item.dataset.risk = entry.risk;
      item.textContent = entry.role + (entry.author ? ' (' + entry.author + ')' : '') + ': ' + (entry.role === 'feedback' ? entry.verdict + ' ' + (entry.rating || '') + ' ' : '') + entry.text;
      if (entry.role === 'assistant') {
        for (const verdict of ['helpful', 'harmful']) {
          const button = document.createElement('button');
          button.type = 'button';
          button.textContent = verdict;
          button.addEventListener('click', () => act(() => api('POST', '/conversations/' + encodeURIComponent(current) + '/feedback', { replyAt: entry.at, verdict })));
          item.appendChild(document.createTextNode(' '));
          item.appendChild(button);
        }
      }
      list.appendChild(item);
    }
  }

  async function act(action) {
    try {
      await action();
      await open(current);
      await loadQueue();
      status.textContent = '';
    } catch (error) { status.textContent = error.message; }
  }

  document.getElementById('take-over').addEventListener('click', () => act(() => api('POST', '/conversations/' + encodeURIComponent(current) + '/takeover')));
  document.getElementById('hand-back').addEventListener('click', () => act(() => api('POST', '/conversations/' + encodeURIComponent(current) + '/handback')));
  document.getElementById('close').addEventListener('click', () => act(() => api('POST', '/conversations/' + encodeURIComponent(current) + '/close', { outcome: document.getElementById('outcome').value })));
  document.getElementById('reply').addEventListener('submit', e => {
    e.preventDefault();
    const text = document.getElementById('reply-text');
    const value = text.value;
    text.value = '';
    act(() => api('POST', '/conversations/' + encodeURIComponent(current) + '/reply', { text: value }));
  });

  (async () => {
    const session = await api('GET', '/session');
    csrf = session.csrf;
    document.getElementById('logout-token').value = csrf;
    document.getElementById('me').textContent = 'Signed in as ' + session.displayName + ' (' + session.id + ')';
    await loadQueue();
    const hub = new signalR.HubConnectionBuilder().withUrl('/hubs/operator').withAutomaticReconnect().build();
    hub.on('event', async e => {
      await loadQueue();
      if (current && e.conversationId === current) { await open(current).catch(() => {}); }
    });
    await hub.start();
    document.body.dataset.live = 'true';
  })().catch(error => { status.textContent = error.message; });
})();
