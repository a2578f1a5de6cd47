// The user's page: starts a conversation, streams each reply (server-sent events over fetch), shows a person's
// messages when one joins (EventSource), and downloads or deletes the user's data.
'use strict';
(() => {
  const messages = document.getElementById('messages');
  const input = document.getElementById('message');
  const status = document.getElementById('status');
  const person = document.getElementById('person');
  let conversation = sessionStorage.getItem('ek-conversation');

  function add(role, text, label) {
    const item = document.createElement('li');
    item.className = role;
    if (label) {
      const who = document.createElement('strong');
      who.textContent = label + ': ';
      item.appendChild(who);
    }
    const body = document.createElement('span');
    body.textContent = text;
    item.appendChild(body);
    messages.appendChild(item);
    item.scrollIntoView({ block: 'end' });
    return body;
  }

  async function start() {
    const response = await fetch('/api/conversations', { method: 'POST' });
    if (!response.ok) { throw new Error('Could not start a conversation (' + response.status + ').'); }
    conversation = (await response.json()).id;
    sessionStorage.setItem('ek-conversation', conversation);
    watch();
  }

  function watch() {
    const events = new EventSource('/api/conversations/' + encodeURIComponent(conversation) + '/events');
    events.addEventListener('notice', e => {
      const notice = JSON.parse(e.data);
      if (notice.kind === 'operator_message') {
        add('operator', notice.text, notice.operator);
      } else {
        add('system', notice.text);
        person.hidden = notice.kind !== 'operator_joined';
        person.textContent = notice.kind === 'operator_joined' ? 'You are talking with ' + notice.operator + ', a person.' : '';
      }
    });
  }

  async function send(text) {
    add('user', text, 'You');
    const bot = add('bot', '', null);
    const response = await fetch('/api/conversations/' + encodeURIComponent(conversation) + '/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream' },
      body: JSON.stringify({ message: text }),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({ error: 'Something went wrong.' }));
      bot.textContent = problem.error;
      bot.parentElement.className = 'error';
      return;
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) { break; }
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block);
        const data = /^data: (.*)$/m.exec(block);
        if (!name || !data) { continue; }
        const payload = JSON.parse(data[1]);
        if (name[1] === 'delta') {
          bot.textContent += payload.text;
        } else if (name[1] === 'done') {
          bot.textContent = payload.reply;
          bot.parentElement.dataset.risk = payload.risk.level;
          if (payload.status === 'relayed_to_operator' && payload.reply === '') {
            bot.parentElement.remove();
          }
        }
      }
    }
  }

  document.getElementById('send').addEventListener('submit', async e => {
    e.preventDefault();
    const text = input.value.trim();
    if (!text) { return; }
    input.value = '';
    try {
      if (!conversation) { await start(); }
      await send(text);
      status.textContent = '';
    } catch (error) {
      status.textContent = error.message;
    }
  });

  document.getElementById('download').addEventListener('click', async () => {
    if (!conversation) { status.textContent = 'There is nothing stored yet.'; return; }
    const response = await fetch('/api/conversations/' + encodeURIComponent(conversation) + '/export');
    if (!response.ok) { status.textContent = 'The download failed (' + response.status + ').'; return; }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = 'my-empathykit-data.json';
    link.click();
    URL.revokeObjectURL(link.href);
    status.textContent = 'Your data was downloaded.';
  });

  document.getElementById('delete').addEventListener('click', async () => {
    if (!conversation) { status.textContent = 'There is nothing stored yet.'; return; }
    if (!window.confirm('Delete everything stored about this conversation? This cannot be undone.')) { return; }
    const response = await fetch('/api/conversations/' + encodeURIComponent(conversation) + '?confirm=true', { method: 'DELETE' });
    if (!response.ok) { status.textContent = 'Deleting failed (' + response.status + ').'; return; }
    sessionStorage.removeItem('ek-conversation');
    conversation = null;
    messages.replaceChildren();
    status.textContent = 'Your data was deleted.';
  });

  fetch('/api/info').then(r => r.json()).then(info => {
    document.getElementById('notice').textContent = info.notice;
    const lines = info.lines.map(l => l.name + ' on ' + l.number + ' (' + l.how + ')').join(', or ');
    document.getElementById('crisis').textContent = 'If you are in danger, call ' + info.emergency + '. You can also contact ' + lines + '.';
  });
  if (conversation) { watch(); }
})();
