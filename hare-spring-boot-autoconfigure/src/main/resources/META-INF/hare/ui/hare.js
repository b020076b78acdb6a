// Hare's operations page. It talks only to the hare actuator endpoint, so it can do exactly
// what the endpoint lets this user do; it keeps the last minutes of depths and counts itself.

const ENDPOINT = document.querySelector('meta[name="hare-endpoint"]').content;
const REFRESH_MS = 3000;
const HISTORY_MS = 10 * 60 * 1000;
const RATE_WINDOW_MS = 30 * 1000;
const REGROUP_MS = 10 * 1000;
const PAGE_SIZE = 20;

const $ = (selector) => document.querySelector(selector);

const state = {
	listeners: {},
	history: new Map(),
	writable: null,
	busy: false,
	timer: null,
	failed: { listener: null, groups: null, readAt: 0, depth: null, group: null, offset: 0, page: null },
};

// ---- small helpers ----

function el(tag, attributes = {}, ...children) {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (value === null || value === undefined || value === false) {
			continue;
		}
		if (name === 'dataset') {
			Object.assign(element.dataset, value);
		}
		else if (name.startsWith('on')) {
			element.addEventListener(name.slice(2), value);
		}
		else if (name === 'className') {
			element.className = value;
		}
		else {
			element.setAttribute(name, value === true ? '' : value);
		}
	}
	for (const child of children.flat()) {
		if (child !== null && child !== undefined) {
			element.append(child instanceof Node ? child : String(child));
		}
	}
	return element;
}

const number = (value) => (value === null || value === undefined) ? '–' : Number(value).toLocaleString('en');
const plural = (count, word) => `${number(count)} ${word}${count === 1 ? '' : 's'}`;
const simpleName = (className) => className ? className.substring(className.lastIndexOf('.') + 1) : '(no exception)';

function time(iso) {
	if (!iso) {
		return '–';
	}
	const date = new Date(iso);
	return isNaN(date) ? iso : date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

async function failure(response) {
	let detail = '';
	try {
		const body = await response.json();
		detail = body.message || body.error || '';
	}
	catch {
		// No JSON body: the status says enough.
	}
	return new Error(`HTTP ${response.status}${detail ? ': ' + detail : ''}`);
}

async function read() {
	const response = await fetch(ENDPOINT, { headers: { Accept: 'application/json' }, cache: 'no-store' });
	if (!response.ok) {
		throw await failure(response);
	}
	return response.json();
}

function post(listenerId, body) {
	return fetch(`${ENDPOINT}/${encodeURIComponent(listenerId)}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
		body: JSON.stringify(body),
		cache: 'no-store',
	});
}

async function act(listenerId, body) {
	const response = await post(listenerId, body);
	if (!response.ok) {
		throw await failure(response);
	}
	return response.json();
}

function report(text, error = false) {
	const element = $('#report');
	element.textContent = text;
	element.classList.toggle('error', error);
}

// ---- write access ----

// The check action changes nothing: its answer tells whether the endpoint's write operation is
// mapped and whether this user may call it.
async function probeWriteAccess(listenerId) {
	let reason = null;
	try {
		const response = await post(listenerId, { action: 'check' });
		if (response.ok) {
			state.writable = true;
		}
		else if (response.status === 404 || response.status === 405) {
			reason = 'The hare endpoint is read-only here, so the buttons are disabled and failed messages '
				+ 'cannot be read (they show what messages say). An operator enables them with '
				+ 'management.endpoint.hare.access=unrestricted, once the actuator is secured.';
		}
		else if (response.status === 401 || response.status === 403) {
			reason = `The server refused write access to the hare endpoint (HTTP ${response.status}), so the `
				+ 'buttons are disabled: sign in as a user who may change Hare\'s listeners.';
		}
		else {
			reason = `Write access to the hare endpoint could not be checked (HTTP ${response.status}), `
				+ 'so the buttons are disabled.';
		}
	}
	catch (error) {
		reason = `Write access to the hare endpoint could not be checked (${error.message}).`;
	}
	if (reason) {
		state.writable = false;
	}
	const access = $('#access');
	access.textContent = reason || '';
	access.hidden = !reason;
	document.body.classList.toggle('read-only', !state.writable);
}

function canWrite() {
	return state.writable === true && !state.busy;
}

// ---- history, rates and sparklines ----

function remember(listeners, now) {
	for (const [id, listener] of Object.entries(listeners)) {
		const samples = state.history.get(id) || [];
		samples.push({
			at: now,
			queue: listener.depth.queue,
			dead: listener.depth.deadLetters,
			processed: listener.counts.processed,
			retried: listener.counts.retried,
			deadLettered: listener.counts.deadLettered,
		});
		while (samples.length > 2 && samples[0].at < now - HISTORY_MS) {
			samples.shift();
		}
		state.history.set(id, samples);
	}
}

function rate(id, field) {
	const samples = state.history.get(id) || [];
	if (samples.length < 2) {
		return '–';
	}
	const last = samples[samples.length - 1];
	const first = samples.find((sample) => sample.at >= last.at - RATE_WINDOW_MS) || samples[0];
	const seconds = (last.at - first.at) / 1000;
	if (seconds <= 0) {
		return '–';
	}
	const perSecond = Math.max(0, last[field] - first[field]) / seconds;
	return `${perSecond.toFixed(perSecond >= 10 ? 0 : 1)}/s`;
}

const SVG = 'http://www.w3.org/2000/svg';

function sparkline(id, field, label) {
	const width = 80;
	const height = 20;
	const samples = (state.history.get(id) || []).filter((sample) => sample[field] !== null);
	const svg = document.createElementNS(SVG, 'svg');
	svg.setAttribute('class', 'sparkline');
	svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
	svg.setAttribute('width', width);
	svg.setAttribute('height', height);
	svg.setAttribute('role', 'img');
	if (samples.length === 0) {
		svg.setAttribute('aria-label', `${label}: no reading yet`);
		return svg;
	}
	const values = samples.map((sample) => sample[field]);
	const max = Math.max(1, ...values);
	const start = samples[0].at;
	const span = Math.max(1, samples[samples.length - 1].at - start);
	const points = samples.map((sample) => {
		const x = samples.length === 1 ? width : ((sample.at - start) / span) * (width - 2) + 1;
		const y = height - 2 - (sample[field] / max) * (height - 4);
		return `${x.toFixed(1)},${y.toFixed(1)}`;
	});
	const minutes = Math.max(1, Math.round(span / 60000));
	svg.setAttribute('aria-label',
		`${label} over the last ${minutes} min: ${number(Math.min(...values))} to ${number(Math.max(...values))}`);
	const title = document.createElementNS(SVG, 'title');
	title.textContent = svg.getAttribute('aria-label');
	const line = document.createElementNS(SVG, 'polyline');
	line.setAttribute('points', points.join(' '));
	svg.append(title, line);
	return svg;
}

// ---- listeners ----

function listenerRow(id) {
	const row = el('tr', { dataset: { listener: id } },
		el('th', { scope: 'row' }, el('span', { className: 'name' }), el('span', { className: 'sub', dataset: { field: 'queue-name' } })),
		el('td', {}, el('span', { className: 'badge', dataset: { field: 'state' } })),
		el('td', { className: 'num', dataset: { field: 'consumers' } }),
		el('td', { className: 'num spark', dataset: { field: 'queue' } }),
		el('td', { className: 'num spark', dataset: { field: 'dead' } }),
		el('td', { className: 'num', dataset: { field: 'processed' } }),
		el('td', { className: 'num', dataset: { field: 'retried' } }),
		el('td', { className: 'num', dataset: { field: 'dead-lettered' } }),
		el('td', {}, el('div', { className: 'actions' },
			el('button', { type: 'button', dataset: { action: 'toggle' }, onclick: () => toggle(id) }),
			el('input', { type: 'number', min: '1', max: '1000', className: 'consumers-input',
				'aria-label': `Consumers for ${id}`, dataset: { field: 'scale-input' } }),
			el('button', { type: 'button', dataset: { action: 'scale' }, onclick: () => scale(id) }, 'Scale'))));
	row.querySelector('.name').textContent = id;
	return row;
}

function renderListeners(listeners) {
	const body = $('#listeners tbody');
	const ids = Object.keys(listeners);
	$('#no-listeners').hidden = ids.length > 0;
	for (const row of [...body.rows]) {
		if (!(row.dataset.listener in listeners)) {
			row.remove();
		}
	}
	for (const id of ids) {
		let row = body.querySelector(`tr[data-listener="${CSS.escape(id)}"]`);
		if (!row) {
			row = listenerRow(id);
			body.append(row);
		}
		updateListenerRow(row, listeners[id]);
	}
}

function updateListenerRow(row, listener) {
	const id = listener.id;
	const field = (name) => row.querySelector(`[data-field="${name}"]`);
	field('queue-name').textContent = listener.queue;
	const badge = field('state');
	badge.textContent = listener.state;
	badge.className = `badge ${listener.state}`;
	const consumers = listener.consumers;
	field('consumers').replaceChildren(`${consumers.active}/${consumers.desired}`,
		consumers.autoScaled ? el('span', { className: 'tag', title: 'Auto-scaled' }, `auto ${consumers.min}–${consumers.max}`) : '');
	field('queue').replaceChildren(el('span', {}, number(listener.depth.queue)), sparkline(id, 'queue', 'Queue depth'));
	const dead = field('dead');
	if (listener.deadLetterQueue) {
		const count = listener.depth.deadLetters;
		dead.replaceChildren(el('button', { type: 'button', className: count ? 'link warn' : 'link',
			'aria-label': `${number(count)} dead letters of ${id}: show failed messages`,
			onclick: () => showFailed(id) }, number(count)), sparkline(id, 'dead', 'Dead letters'));
	}
	else {
		dead.replaceChildren(el('span', { className: 'sub', title: 'A stream has no dead-letter queue' }, 'stream'));
	}
	field('processed').textContent = rate(id, 'processed');
	field('retried').textContent = rate(id, 'retried');
	field('dead-lettered').textContent = rate(id, 'deadLettered');
	const paused = listener.state === 'paused';
	const toggleButton = row.querySelector('[data-action="toggle"]');
	toggleButton.textContent = paused ? 'Resume' : 'Pause';
	toggleButton.setAttribute('aria-label', `${paused ? 'Resume' : 'Pause'} ${id}`);
	toggleButton.disabled = !canWrite();
	const input = field('scale-input');
	const scaleButton = row.querySelector('[data-action="scale"]');
	scaleButton.setAttribute('aria-label', `Scale ${id}`);
	if (document.activeElement !== input) {
		input.value = consumers.desired;
	}
	const scalable = canWrite() && !consumers.autoScaled;
	input.disabled = !scalable;
	scaleButton.disabled = !scalable;
	const why = consumers.autoScaled ? `Auto-scaled: change hare.listeners.${id}.auto-scaling instead` : null;
	for (const control of [input, scaleButton]) {
		if (why) {
			control.title = why;
		}
		else {
			control.removeAttribute('title');
		}
	}
}

async function toggle(id) {
	const listener = state.listeners[id];
	const action = listener && listener.state === 'paused' ? 'resume' : 'pause';
	await run(async () => {
		const result = await act(id, { action });
		report(`${action === 'pause' ? 'Paused' : 'Resumed'} ${id}: it is ${result.state}.`);
	});
}

async function scale(id) {
	const input = $(`tr[data-listener="${CSS.escape(id)}"] [data-field="scale-input"]`);
	const consumers = Number(input.value);
	if (!Number.isInteger(consumers) || consumers < 1) {
		report(`Give ${id} a whole number of consumers, at least 1.`, true);
		return;
	}
	await run(async () => {
		const result = await act(id, { action: 'scale', consumers });
		report(`Scaled ${id} to ${plural(result.consumers.desired, 'consumer')}.`);
	});
}

// ---- failed messages ----

function renderFailedListeners() {
	const select = $('#failed-listener');
	const ids = Object.values(state.listeners).filter((listener) => listener.deadLetterQueue).map((listener) => listener.id);
	const current = [...select.options].map((option) => option.value);
	if (ids.join('\n') !== current.join('\n')) {
		select.replaceChildren(...ids.map((id) => el('option', { value: id }, id)));
	}
	if (!state.failed.listener && ids.length > 0) {
		const withDeadLetters = ids.find((id) => state.listeners[id].depth.deadLetters > 0);
		state.failed.listener = withDeadLetters || ids[0];
	}
	if (state.failed.listener) {
		select.value = state.failed.listener;
	}
	if (state.writable === false) {
		$('#groups-summary').textContent = 'Reading failed messages needs write access to the hare endpoint.';
	}
	$('#groups-refresh').disabled = !canWrite() || !state.failed.listener;
	$('#redrive-all').disabled = !canWrite() || !state.failed.listener
		|| !(state.listeners[state.failed.listener]?.depth.deadLetters > 0);
}

function showFailed(id) {
	selectFailedListener(id);
	$('#failed').scrollIntoView({ behavior: 'smooth', block: 'start' });
	$('#failed-listener').focus({ preventScroll: true });
}

function selectFailedListener(id) {
	if (state.failed.listener !== id) {
		state.failed = { listener: id, groups: null, readAt: 0, depth: null, group: null, offset: 0, page: null };
		renderGroups();
		renderPage();
	}
	renderFailedListeners();
	loadGroups();
}

async function loadGroups() {
	const id = state.failed.listener;
	if (!id) {
		$('#groups-summary').textContent = 'No listener here has a dead-letter queue.';
		return;
	}
	if (state.writable !== true) {
		$('#groups-summary').textContent = 'Reading failed messages needs write access to the hare endpoint.';
		return;
	}
	try {
		const result = await act(id, { action: 'groups' });
		if (state.failed.listener !== id) {
			return;
		}
		state.failed.groups = result.deadLetters;
		state.failed.readAt = Date.now();
		state.failed.depth = state.listeners[id]?.depth.deadLetters ?? null;
		renderGroups();
		if (state.failed.group) {
			await loadPage();
		}
	}
	catch (error) {
		$('#groups-summary').textContent = `Could not read the dead letters of ${id}: ${error.message}`;
	}
}

function renderGroups() {
	const body = $('#groups tbody');
	const groups = state.failed.groups;
	if (!groups) {
		body.replaceChildren();
		$('#groups-summary').textContent = '';
		return;
	}
	const summary = groups.complete
		? `${plural(groups.depth, 'dead letter')} in ${plural(groups.groups.length, 'group')}`
		: `Grouped the first ${number(groups.read)} of ${plural(groups.depth, 'dead letter')}`;
	$('#groups-summary').textContent = `${summary} · read at ${new Date(state.failed.readAt).toLocaleTimeString()}`;
	if (state.failed.group && !groups.groups.some((group) => group.id === state.failed.group.id)) {
		state.failed.group = null;
		state.failed.page = null;
		renderPage();
	}
	body.replaceChildren(...groups.groups.map((group) => {
		const open = state.failed.group?.id === group.id;
		const label = `${simpleName(group.exception)}: ${group.pattern || '(no message)'}`;
		return el('tr', { dataset: { group: group.id, exception: group.exception || '' }, className: open ? 'open' : '' },
			el('th', { scope: 'row', title: group.exception || '' }, simpleName(group.exception)),
			el('td', {}, el('code', {}, group.pattern || '(no message)')),
			el('td', { className: 'num', dataset: { field: 'count' } }, number(group.count)),
			el('td', {}, time(group.firstFailedAt)),
			el('td', {}, time(group.lastFailedAt)),
			el('td', {}, el('div', { className: 'actions' },
				el('button', { type: 'button', 'aria-expanded': String(open), 'aria-controls': 'group-messages',
					'aria-label': `Show messages of ${label}`, onclick: () => openGroup(group) }, open ? 'Shown' : 'Show messages'),
				el('button', { type: 'button', disabled: !canWrite(), dataset: { writes: '' }, 'aria-label': `Redrive group ${label}`,
					onclick: () => redriveGroup(group) }, 'Redrive group'),
				el('button', { type: 'button', className: 'danger', disabled: !canWrite(), dataset: { writes: '' },
					'aria-label': `Delete group ${label}`, onclick: () => deleteGroup(group) }, 'Delete group'))));
	}));
}

async function openGroup(group) {
	state.failed.group = group;
	state.failed.offset = 0;
	renderGroups();
	await loadPage();
	$('#group-title').focus();
}

async function loadPage() {
	const { listener, group, offset } = state.failed;
	if (!group) {
		return;
	}
	try {
		const result = await act(listener, { action: 'messages', group: group.id, offset, count: PAGE_SIZE });
		if (state.failed.group?.id === group.id) {
			state.failed.page = result.deadLetters;
			renderPage();
		}
	}
	catch (error) {
		report(`Could not read the messages of ${listener}: ${error.message}`, true);
	}
}

function renderPage() {
	const panel = $('#group-messages');
	const { group, page } = state.failed;
	panel.hidden = !group;
	if (!group) {
		$('#messages').replaceChildren();
		return;
	}
	const title = $('#group-title');
	title.textContent = `${simpleName(group.exception)}: ${group.pattern || '(no message)'}`;
	title.tabIndex = -1;
	if (!page) {
		$('#page-position').textContent = 'Reading…';
		return;
	}
	const first = page.total === 0 ? 0 : page.offset + 1;
	const last = page.offset + page.messages.length;
	$('#page-position').textContent = `${number(first)}–${number(last)} of ${number(page.total)}`;
	$('#page-previous').disabled = page.offset === 0;
	$('#page-next').disabled = last >= page.total;
	$('#messages').replaceChildren(...page.messages.map(messageItem));
}

function messageItem(message) {
	const headers = Object.entries(message.headers || {});
	return el('li', { dataset: { message: message.id } },
		el('details', {},
			el('summary', {},
				el('code', {}, message.id), ' · attempt ', String(message.attempt), ' · ', time(message.failedAt),
				el('span', { className: 'sub' }, ' ', message.exceptionMessage || '')),
			el('dl', {},
				el('dt', {}, 'Exception'), el('dd', {}, message.exception || '–'),
				el('dt', {}, 'Message'), el('dd', {}, message.exceptionMessage || '–'),
				el('dt', {}, 'Content type'), el('dd', {}, message.contentType || '–'),
				el('dt', {}, 'Body size'), el('dd', {}, `${number(message.bodySize)} bytes`)),
			el('table', { className: 'headers' },
				el('caption', {}, 'Headers'),
				el('tbody', {}, headers.map(([name, value]) => el('tr', {}, el('th', { scope: 'row' }, name), el('td', {}, value))))),
			el('pre', { className: 'body', tabindex: '0', 'aria-label': 'Body' },
				message.body === null ? '(binary body)' : message.body)),
		el('div', { className: 'actions' },
			el('button', { type: 'button', disabled: !canWrite(), dataset: { writes: '' }, 'aria-label': `Redrive message ${message.id}`,
				onclick: () => redriveMessage(message) }, 'Redrive'),
			el('button', { type: 'button', className: 'danger', disabled: !canWrite(), dataset: { writes: '' },
				'aria-label': `Delete message ${message.id}`, onclick: () => deleteMessage(message) }, 'Delete')));
}

// ---- actions that change dead letters ----

function confirmAction(text, confirmLabel) {
	const dialog = $('#confirm');
	$('#confirm-text').textContent = text;
	$('#confirm-ok').textContent = confirmLabel;
	return new Promise((resolve) => {
		const done = (answer) => {
			dialog.removeEventListener('close', onClose);
			resolve(answer);
		};
		const onClose = () => done(dialog.returnValue === 'ok');
		dialog.addEventListener('close', onClose);
		dialog.returnValue = 'cancel';
		dialog.showModal();
	});
}

function redriveText(result, what) {
	const redrive = result.redrive;
	if (redrive.stop === 'FAILED') {
		return `The redrive of ${what} stopped after ${plural(redrive.republished, 'message')}: ${redrive.failure}. `
			+ 'The message it was moving stayed a dead letter.';
	}
	if (redrive.republished === 0) {
		return `No dead letter of ${what} was found: another operator or redrive may have moved it already.`;
	}
	return `Redrove ${plural(redrive.republished, 'dead letter')} of ${what} back to their queue`
		+ (redrive.skipped ? `; ${number(redrive.skipped)} others stayed.` : '.');
}

function deleteText(result, what) {
	const deleted = result.delete;
	if (deleted.stop === 'FAILED') {
		return `The deletion of ${what} stopped after ${plural(deleted.deleted, 'message')}: ${deleted.failure}.`;
	}
	if (deleted.deleted === 0) {
		return `No dead letter of ${what} was found: it may be gone already.`;
	}
	return `Deleted ${plural(deleted.deleted, 'dead letter')} of ${what}`
		+ (deleted.skipped ? `; ${number(deleted.skipped)} others stayed.` : '.');
}

async function redriveGroup(group) {
	const id = state.failed.listener;
	const what = `group ${simpleName(group.exception)}: ${group.pattern} of ${id}`;
	if (await confirmAction(`Redrive every dead letter in ${what} (${plural(group.count, 'message')} when last read) `
		+ `back to queue ${state.listeners[id].queue}? Each is removed from the dead-letter queue once the broker has its copy.`, 'Redrive group')) {
		await run(async () => report(redriveText(await act(id, { action: 'republish', group: group.id }), what)));
	}
}

async function deleteGroup(group) {
	const id = state.failed.listener;
	const what = `group ${simpleName(group.exception)}: ${group.pattern} of ${id}`;
	if (await confirmAction(`Delete every dead letter in ${what} (${plural(group.count, 'message')} when last read)? `
		+ 'They cannot be brought back.', 'Delete group')) {
		await run(async () => report(deleteText(await act(id, { action: 'delete', group: group.id }), what)));
	}
}

async function redriveMessage(message) {
	const id = state.failed.listener;
	const what = `message ${message.id} of ${id}`;
	if (await confirmAction(`Redrive ${what} back to queue ${state.listeners[id].queue}?`, 'Redrive message')) {
		await run(async () => report(redriveText(await act(id, { action: 'republish', id: message.id }), what)));
	}
}

async function deleteMessage(message) {
	const id = state.failed.listener;
	const what = `message ${message.id} of ${id}`;
	if (await confirmAction(`Delete ${what}? It cannot be brought back.`, 'Delete message')) {
		await run(async () => report(deleteText(await act(id, { action: 'delete', id: message.id }), what)));
	}
}

async function redriveAll() {
	const id = state.failed.listener;
	const listener = state.listeners[id];
	const what = `every dead letter of ${id}`;
	if (await confirmAction(`Redrive ${what} (${plural(listener.depth.deadLetters, 'message')}) back to queue `
		+ `${listener.queue}?`, 'Redrive all')) {
		await run(async () => report(redriveText(await act(id, { action: 'republish' }), 'all of ' + id)));
	}
}

// Runs an action with every button disabled, reports a failure, and reads everything again.
async function run(action) {
	if (!canWrite()) {
		return;
	}
	state.busy = true;
	document.body.classList.add('busy');
	render();
	try {
		await action();
	}
	catch (error) {
		report(`That did not work: ${error.message}`, true);
	}
	finally {
		state.busy = false;
		document.body.classList.remove('busy');
		await refresh();
		if (state.failed.listener) {
			await loadGroups();
		}
	}
}

// ---- publishers and connections ----

function renderPublishers(publishers) {
	const entries = Object.values(publishers || {});
	$('#no-publishers').hidden = entries.length > 0;
	$('#publishers tbody').replaceChildren(...entries.map((publisher) => el('tr', { dataset: { publisher: publisher.name } },
		el('th', { scope: 'row' }, publisher.name, publisher.dedup ? el('span', { className: 'tag', title: `Deduplicated by ${publisher.dedup.keys}` }, 'dedup') : ''),
		el('td', {}, publisher.exchange || '(default)', el('span', { className: 'sub' }, ' ', publisher.routingKey)),
		el('td', {}, publisher.connection || '–'),
		el('td', { className: 'num' }, number(publisher.counts.published)),
		el('td', { className: 'num' }, number(publisher.counts.duplicate)),
		el('td', { className: 'num' }, number(publisher.counts.returned)),
		el('td', { className: `num${publisher.counts.failed ? ' warn' : ''}` }, number(publisher.counts.failed)))));
}

function renderConnections(connections) {
	$('#connections tbody').replaceChildren(...Object.entries(connections || {}).map(([name, connection]) => el('tr', { dataset: { connection: name } },
		el('th', { scope: 'row' }, name),
		el('td', {}, el('span', { className: `badge ${connection.connected ? 'running' : 'stopped'}` }, connection.connected ? 'connected' : 'disconnected')),
		el('td', {}, `${connection.host}:${connection.port}`),
		el('td', {}, connection.virtualHost),
		el('td', {}, connection.username),
		el('td', {}, connection.address || '–'))));
}

// ---- refresh ----

let latest = null;

function render() {
	if (!latest) {
		return;
	}
	renderListeners(latest.listeners);
	renderFailedListeners();
	// Groups and messages are drawn again only when read again, so that focus and open details
	// stay; their buttons follow the write access and whether an action runs.
	for (const button of document.querySelectorAll('#failed button[data-writes]')) {
		button.disabled = !canWrite();
	}
	renderPublishers(latest.publishers);
	renderConnections(latest.connections);
}

async function refresh() {
	const connection = $('#connection');
	try {
		latest = await read();
		state.listeners = latest.listeners || {};
		remember(state.listeners, Date.now());
		if (state.writable === null) {
			const first = Object.keys(state.listeners)[0];
			if (first) {
				await probeWriteAccess(first);
			}
		}
		connection.textContent = `Read ${ENDPOINT} at ${new Date().toLocaleTimeString()}`;
		connection.classList.remove('error');
		render();
		regroupIfChanged();
	}
	catch (error) {
		connection.textContent = `Cannot read ${ENDPOINT}: ${error.message}. Is the hare endpoint exposed `
			+ '(management.endpoints.web.exposure.include)?';
		connection.classList.add('error');
	}
}

// Grouping reads the dead letters, so it runs again only when their number changed, and not
// more often than every few seconds.
function regroupIfChanged() {
	const { listener, depth, readAt, groups } = state.failed;
	if (!listener || state.busy || state.writable !== true) {
		return;
	}
	const now = state.listeners[listener]?.depth.deadLetters ?? null;
	if (!groups || (now !== depth && Date.now() - readAt >= REGROUP_MS)) {
		loadGroups();
	}
}

function schedule() {
	clearTimeout(state.timer);
	if ($('#auto-refresh').checked) {
		state.timer = setTimeout(async () => {
			await refresh();
			schedule();
		}, REFRESH_MS);
	}
}

function start() {
	$('#auto-refresh').addEventListener('change', schedule);
	$('#failed-listener').addEventListener('change', (event) => selectFailedListener(event.target.value));
	$('#groups-refresh').addEventListener('click', loadGroups);
	$('#redrive-all').addEventListener('click', redriveAll);
	$('#group-close').addEventListener('click', () => {
		state.failed.group = null;
		state.failed.page = null;
		renderGroups();
		renderPage();
	});
	$('#page-previous').addEventListener('click', () => {
		state.failed.offset = Math.max(0, state.failed.offset - PAGE_SIZE);
		loadPage();
	});
	$('#page-next').addEventListener('click', () => {
		state.failed.offset += PAGE_SIZE;
		loadPage();
	});
	$('#confirm-cancel').addEventListener('click', () => $('#confirm').close('cancel'));
	$('#confirm-ok').addEventListener('click', () => $('#confirm').close('ok'));
	refresh().then(schedule);
}

start();
