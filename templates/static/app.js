/*
 * kbd front end. Progressive enhancement only: every page works without it.
 *
 * Plain ES2017, no dependencies, loaded with <script defer>, no inline
 * handlers (the pages run under a strict Content-Security-Policy).
 *
 * Structure: small modules registered with kbd.module(name, init). Each init
 * receives the shared `kbd` object and is run once the DOM is ready; a module
 * that throws is logged and does not stop the others. Keyboard shortcuts go
 * through one document-level keydown listener that asks each handler in turn
 * (most recently added first) until one returns true. The suggest
 * dropdown is one more module: it finds the box with kbd.searchInput() and
 * registers its own key handler, which takes ArrowUp/ArrowDown/Enter/Escape
 * before the default "Escape blurs the search box" handler below.
 */
(function () {
	'use strict';

	const kbd = {
		modules: [],
		keyHandlers: [],
		started: false
	};

	/* The search box of the page: always id="q" (header box, or the big one
	 * on the home page). Null when the page has none. */
	kbd.searchInput = function () {
		const el = document.getElementById('q');
		return el && el.tagName === 'INPUT' ? el : null;
	};

	/* An interface string: data-NAME of #kbd-strings (footer.html, from
	 * the message catalogue of the page's language), {x} placeholders
	 * filled from vars. No string is written here: a page without it
	 * shows the name. */
	kbd.text = function (name, vars) {
		const el = document.getElementById('kbd-strings');
		let s = el && el.hasAttribute('data-' + name) ?
			el.getAttribute('data-' + name) : name;
		if (vars) {
			s = s.replace(/\{([a-z][a-z0-9_]*)\}/g, function (m, key) {
				return Object.prototype.hasOwnProperty.call(vars, key) ?
					String(vars[key]) : m;
			});
		}
		return s;
	};

	/* n with the digits and grouping of the interface language (as the
	 * server's |num filter writes it). */
	kbd.number = function (n) {
		const digits = Array.from(kbd.text('digits'));
		const group = kbd.text('group');
		let s = String(Math.trunc(n));
		const neg = s.charAt(0) === '-';
		if (neg) {
			s = s.slice(1);
		}
		if (s.length >= 4) {
			s = s.replace(/\B(?=(\d{3})+(?!\d))/g, '\u0000');
		}
		s = s.replace(/\d/g, function (d) {
			return digits.length === 10 ? digits[Number(d)] : d;
		}).split('\u0000').join(group);
		return (neg ? '-' : '') + s;
	};

	/* The session's CSRF token (<meta name="kbd-csrf">, header.html): the
	 * X-CSRF-Token of every request that changes something. "" when not
	 * signed in with a session (an API token needs none). */
	kbd.csrf = function () {
		const meta = document.querySelector('meta[name="kbd-csrf"]');
		return meta ? meta.getAttribute('content') || '' : '';
	};

	/* fetch() of a same-origin JSON API: method, a body to send as JSON,
	 * and an AbortSignal; a write carries the CSRF token. Resolves to the
	 * parsed answer, rejects on a network error or an HTTP error. */
	kbd.api = function (method, url, body, signal) {
		const headers = { Accept: 'application/json' };
		if (method !== 'GET') {
			headers['X-CSRF-Token'] = kbd.csrf();
		}
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
		}
		return fetch(url, {
			method: method,
			headers: headers,
			credentials: 'same-origin',
			body: body !== undefined ? JSON.stringify(body) : undefined,
			signal: signal
		}).then(function (res) {
			if (!res.ok) {
				throw new Error('HTTP ' + res.status);
			}
			return res.json();
		});
	};

	/* An element with a class and text (both optional). */
	kbd.el = function (tag, cls, text) {
		const e = document.createElement(tag);
		if (cls) {
			e.className = cls;
		}
		if (text !== undefined && text !== null) {
			e.textContent = String(text);
		}
		return e;
	};

	/* Text people typed (a name, a title), isolated in <bdi>. */
	kbd.bdi = function (text) {
		return kbd.el('bdi', '', text);
	};

	/* A catalogue string with its {x} placeholders filled from vars, as a
	 * fragment: a value that is a DOM node (a link, a <bdi>) goes in as
	 * it is, anything else as text. Never HTML. */
	kbd.fill = function (s, vars) {
		const frag = document.createDocumentFragment();
		const re = /\{([a-z][a-z0-9_]*)\}/g;
		let last = 0;
		let m;
		s = String(s);
		while ((m = re.exec(s)) !== null) {
			frag.appendChild(document.createTextNode(s.slice(last, m.index)));
			const v = vars && Object.prototype.hasOwnProperty.call(vars, m[1]) ?
				vars[m[1]] : m[0];
			frag.appendChild(v && typeof v === 'object' && v.nodeType ? v :
				document.createTextNode(String(v)));
			last = re.lastIndex;
		}
		frag.appendChild(document.createTextNode(s.slice(last)));
		return frag;
	};

	/* Say text to screen readers through the live regions of footer.html
	 * (signed-in pages): polite, or assertive when urgent. Each message is
	 * a new line of the region (so one does not cut off the one before),
	 * the last five kept. */
	kbd.announce = function (text, urgent) {
		const region = document.querySelector(urgent ? '[data-live-assertive]' :
			'[data-live-polite]');
		if (!region || !text) {
			return;
		}
		region.appendChild(kbd.el('p', '', text));
		while (region.children.length > 5) {
			region.removeChild(region.firstChild);
		}
	};

	/* Names as a list in the interface language ("a, b and c"), each
	 * isolated in <bdi>. */
	kbd.nameList = function (names) {
		const frag = document.createDocumentFragment();
		let parts = null;
		if (window.Intl && typeof Intl.ListFormat === 'function') {
			try {
				parts = new Intl.ListFormat(document.documentElement.lang || 'en',
					{ type: 'conjunction' }).formatToParts(names);
			} catch (err) {
				parts = null;
			}
		}
		if (!parts) {
			parts = [];
			names.forEach(function (n, i) {
				if (i) {
					parts.push({ type: 'literal', value: ', ' });
				}
				parts.push({ type: 'element', value: n });
			});
		}
		parts.forEach(function (p) {
			frag.appendChild(p.type === 'element' ? kbd.bdi(p.value) :
				document.createTextNode(p.value));
		});
		return frag;
	};

	/* The unread count of the header's notifications link. */
	kbd.setUnread = function (n) {
		const badge = document.querySelector('[data-unread]');
		n = Math.max(0, Math.trunc(Number(n) || 0));
		if (!badge) {
			return;
		}
		badge.setAttribute('data-unread', String(n));
		const num = badge.querySelector('[data-unread-n]');
		if (num) {
			num.textContent = kbd.number(n);
		}
		badge.hidden = n === 0;
	};

	kbd.unread = function () {
		const badge = document.querySelector('[data-unread]');
		return badge ? Number(badge.getAttribute('data-unread')) || 0 : 0;
	};

	/* "Sara is editing" on a ticket page ([data-presence], ticket.html):
	 * the others among names (never the user of this page). */
	kbd.showEditing = function (names) {
		const box = document.querySelector('[data-presence]');
		if (!box) {
			return;
		}
		const me = document.body.getAttribute('data-user') || '';
		const list = (Array.isArray(names) ? names : []).filter(function (n) {
			return typeof n === 'string' && n !== '' && n !== me;
		});
		const key = list.join(' ');
		if (box.getAttribute('data-shown') === key) {
			return;
		}
		box.setAttribute('data-shown', key);
		box.textContent = '';
		if (!list.length) {
			box.hidden = true;
			return;
		}
		const icon = kbd.el('span', 'presence__icon', '✎');
		icon.setAttribute('aria-hidden', 'true');
		box.appendChild(icon);
		box.appendChild(document.createTextNode(' '));
		box.appendChild(kbd.fill(list.length === 1 ? kbd.text('live-editing-one') :
			kbd.text('live-editing-many'), { names: kbd.nameList(list) }));
		box.hidden = false;
		kbd.announce(box.textContent.replace(/^\S+\s/, ''));
	};

	/* True when a key press in `el` is text entry we must not steal. */
	kbd.isTypingTarget = function (el) {
		if (!el || el.nodeType !== 1) {
			return false;
		}
		if (el.isContentEditable) {
			return true;
		}
		const tag = el.tagName;
		if (tag === 'TEXTAREA' || tag === 'SELECT') {
			return true;
		}
		if (tag !== 'INPUT') {
			return false;
		}
		const type = (el.getAttribute('type') || 'text').toLowerCase();
		return ['button', 'checkbox', 'radio', 'reset', 'submit', 'image',
			'file', 'range', 'color', 'hidden'].indexOf(type) === -1;
	};

	/* handler(event) returns true when it handled the key. */
	kbd.onKey = function (handler) {
		if (typeof handler === 'function') {
			kbd.keyHandlers.unshift(handler);
		}
	};

	function runModule(mod) {
		try {
			mod.init(kbd);
		} catch (err) {
			if (window.console && console.error) {
				console.error('kbd: module "' + mod.name + '" failed', err);
			}
		}
	}

	kbd.module = function (name, init) {
		if (typeof init !== 'function') {
			return;
		}
		const mod = { name: String(name), init: init };
		kbd.modules.push(mod);
		if (kbd.started) {
			runModule(mod);
		}
	};

	function onKeydown(event) {
		if (event.defaultPrevented || event.isComposing) {
			return;
		}
		for (const handler of kbd.keyHandlers.slice()) {
			try {
				if (handler(event) === true) {
					return;
				}
			} catch (err) {
				if (window.console && console.error) {
					console.error('kbd: key handler failed', err);
				}
			}
		}
	}

	function start() {
		if (kbd.started) {
			return;
		}
		kbd.started = true;
		document.addEventListener('keydown', onKeydown);
		kbd.modules.forEach(runModule);
	}

	/* "/" focuses the search box (unless already typing somewhere);
	 * Escape in the search box leaves it, keeping what was typed. */
	kbd.module('search-keys', function (k) {
		k.onKey(function (event) {
			const input = k.searchInput();
			if (!input) {
				return false;
			}
			if (event.key === '/' && !event.ctrlKey && !event.metaKey &&
			    !event.altKey) {
				if (k.isTypingTarget(event.target)) {
					return false;
				}
				event.preventDefault();
				input.focus();
				if (typeof input.select === 'function') {
					input.select();
				}
				return true;
			}
			if (event.key === 'Escape' && event.target === input) {
				event.preventDefault(); /* don't clear the box */
				input.blur();
				return true;
			}
			return false;
		});
	});

	/* Sections marked data-hide-empty (e.g. "Quick answers", "Related
	 * articles", the pager) are hidden when they have no [data-item].
	 * style.css does this with :has(); this covers browsers without it. */
	kbd.module('hide-empty', function () {
		const boxes = document.querySelectorAll('[data-hide-empty]');
		for (let i = 0; i < boxes.length; i++) {
			if (!boxes[i].querySelector('[data-item]')) {
				boxes[i].hidden = true;
			}
		}
	});

	/* Code blocks and tables in an article, and wide tables of the other
	 * pages (.table-scroll), scroll sideways when too wide (style.css). A
	 * scroll box must be reachable by keyboard, so give the ones that
	 * overflow tabindex="0", and take it back when they no longer do (after
	 * a resize). kbd.scrollables() checks again, for content put in later
	 * (the editor's preview). */
	const SCROLLABLES = '.article__body pre, .article__body table, .table-scroll';
	kbd.scrollables = function () {
		const boxes = document.querySelectorAll(SCROLLABLES);
		for (let i = 0; i < boxes.length; i++) {
			const el = boxes[i];
			const wide = el.scrollWidth > el.clientWidth + 1;
			if (wide && !el.hasAttribute('tabindex')) {
				el.setAttribute('tabindex', '0');
				el.setAttribute('data-kbd-scroll', '');
			} else if (!wide && el.hasAttribute('data-kbd-scroll')) {
				el.removeAttribute('tabindex');
				el.removeAttribute('data-kbd-scroll');
			}
		}
	};

	kbd.module('scrollables', function (k) {
		if (!document.querySelector('.article__body, .table-scroll')) {
			return;
		}
		let timer = 0;
		window.addEventListener('resize', function () {
			clearTimeout(timer);
			timer = setTimeout(k.scrollables, 150);
		});
		k.scrollables();
	});

	/* Search-as-you-type: a suggest dropdown under the search box (ARIA
	 * 1.2 combobox with a listbox popup). Titles come from
	 * GET /api/v1/suggest?q=… ({"suggestions":[{"slug","title","url"}]}),
	 * fetched ~120 ms after the last key press once there are 2 characters;
	 * a newer request aborts the older one. ArrowDown/ArrowUp move through
	 * the list, Enter on a highlighted title opens it (with none highlighted
	 * it submits the search as before), Escape closes the list (a second
	 * Escape leaves the box: the "search-keys" handler), blur closes it. */
	kbd.module('suggest', function (k) {
		const input = k.searchInput();
		if (!input || !input.form || !window.fetch) {
			return;
		}
		const MIN = 2;
		const DELAY = 120;
		const MAX = 8;
		const listId = 'q-suggest';
		const list = document.createElement('ul');
		list.id = listId;
		list.className = 'suggest';
		list.setAttribute('role', 'listbox');
		list.setAttribute('aria-label', k.text('suggested'));
		list.hidden = true;
		input.form.classList.add('has-suggest');
		input.insertAdjacentElement('afterend', list);
		input.setAttribute('role', 'combobox');
		input.setAttribute('aria-autocomplete', 'list');
		input.setAttribute('aria-controls', listId);
		input.setAttribute('aria-expanded', 'false');
		input.setAttribute('autocomplete', 'off');

		let items = [];	/* [{el, url}] */
		let active = -1;
		let timer = 0;
		let controller = null;
		let seq = 0;
		let shownFor = null;	/* the text the open list answers */

		/* Same-origin paths only: never navigate to what the API did not
		 * mean as an article address. */
		function safeUrl(url) {
			return typeof url === 'string' && url.charAt(0) === '/' &&
				url.charAt(1) !== '/' && url.charAt(1) !== '\\';
		}

		function setActive(i) {
			if (active >= 0 && items[active]) {
				items[active].el.setAttribute('aria-selected', 'false');
			}
			active = i;
			if (active >= 0 && items[active]) {
				const el = items[active].el;
				el.setAttribute('aria-selected', 'true');
				input.setAttribute('aria-activedescendant', el.id);
				if (typeof el.scrollIntoView === 'function') {
					el.scrollIntoView({ block: 'nearest' });
				}
			} else {
				input.removeAttribute('aria-activedescendant');
			}
		}

		function close() {
			setActive(-1);
			list.hidden = true;
			input.setAttribute('aria-expanded', 'false');
		}

		function open() {
			if (items.length) {
				list.hidden = false;
				input.setAttribute('aria-expanded', 'true');
			}
		}

		function isOpen() {
			return !list.hidden;
		}

		function cancel() {
			clearTimeout(timer);
			if (controller) {
				controller.abort();
				controller = null;
			}
		}

		function render(text, suggestions) {
			list.textContent = '';
			items = [];
			active = -1;
			input.removeAttribute('aria-activedescendant');
			shownFor = text;
			for (let i = 0; i < suggestions.length && items.length < MAX; i++) {
				const s = suggestions[i];
				if (!s || typeof s.title !== 'string' || !safeUrl(s.url)) {
					continue;
				}
				const li = document.createElement('li');
				li.id = listId + '-' + items.length;
				li.className = 'suggest__item';
				li.setAttribute('role', 'option');
				li.setAttribute('aria-selected', 'false');
				li.setAttribute('data-index', String(items.length));
				const span = document.createElement('span');
				span.setAttribute('dir', 'auto');
				span.textContent = s.title;
				li.appendChild(span);
				list.appendChild(li);
				items.push({ el: li, url: s.url });
			}
			if (items.length && document.activeElement === input) {
				open();
			} else {
				close();
			}
		}

		function fetchSuggestions() {
			const text = input.value.trim();
			cancel();
			if (text.length < MIN) {
				close();
				shownFor = null;
				return;
			}
			const mine = ++seq;
			controller = typeof AbortController === 'function' ?
				new AbortController() : null;
			fetch('/api/v1/suggest?q=' + encodeURIComponent(text), {
				headers: { Accept: 'application/json' },
				credentials: 'same-origin',
				signal: controller ? controller.signal : undefined
			}).then(function (res) {
				return res.ok ? res.json() : null;
			}).then(function (body) {
				if (mine !== seq) {
					return;	/* a newer request is on its way */
				}
				controller = null;
				render(text, body && Array.isArray(body.suggestions) ?
					body.suggestions : []);
			}).catch(function (err) {
				if (mine === seq && (!err || err.name !== 'AbortError')) {
					close();
				}
			});
		}

		function go(i) {
			const item = items[i];
			if (!item) {
				return false;
			}
			cancel();
			close();
			window.location.assign(item.url);
			return true;
		}

		input.addEventListener('input', function () {
			clearTimeout(timer);
			setActive(-1);	/* the highlight was for what was typed before */
			if (input.value.trim().length < MIN) {
				cancel();
				close();
				shownFor = null;
				return;
			}
			timer = setTimeout(fetchSuggestions, DELAY);
		});
		input.addEventListener('blur', function () {
			cancel();
			close();
		});
		/* Keep the focus in the box while clicking a title, so blur does
		 * not close the list before the click lands. */
		list.addEventListener('mousedown', function (event) {
			event.preventDefault();
		});
		list.addEventListener('click', function (event) {
			const li = event.target.closest ? event.target.closest('[role="option"]') : null;
			if (li) {
				go(Number(li.getAttribute('data-index')));
			}
		});
		list.addEventListener('mousemove', function (event) {
			const li = event.target.closest ? event.target.closest('[role="option"]') : null;
			if (li) {
				const i = Number(li.getAttribute('data-index'));
				if (i !== active) {
					setActive(i);
				}
			}
		});

		k.onKey(function (event) {
			if (event.target !== input || event.altKey || event.ctrlKey ||
			    event.metaKey) {
				return false;
			}
			const n = items.length;
			switch (event.key) {
			case 'ArrowDown':
			case 'ArrowUp':
				if (!n || shownFor !== input.value.trim()) {
					return false;
				}
				event.preventDefault();
				if (!isOpen()) {
					open();
					setActive(event.key === 'ArrowDown' ? 0 : n - 1);
				} else if (event.key === 'ArrowDown') {
					setActive(active + 1 < n ? active + 1 : -1);
				} else {
					setActive(active < 0 ? n - 1 : active - 1);
				}
				return true;
			case 'Enter':
				if (isOpen() && active >= 0) {
					event.preventDefault();
					return go(active);
				}
				cancel();
				close();
				return false;	/* submit the search as usual */
			case 'Escape':
				if (isOpen()) {
					event.preventDefault();
					cancel();
					close();
					return true;
				}
				return false;
			default:
				return false;
			}
		});
	});

	/* "Copy answer" buttons: <button data-copy="ID" hidden> copies the text
	 * of element ID (or of the [data-copy-source] in the same
	 * [data-copy-scope]) and says "Copied" in the scope's
	 * [data-copy-status] live region. Hidden without JavaScript. */
	kbd.module('copy', function (k) {
		const buttons = document.querySelectorAll('button[data-copy]');
		if (!buttons.length) {
			return;
		}

		function fallbackCopy(text) {
			const ta = document.createElement('textarea');
			ta.value = text;
			ta.setAttribute('readonly', '');
			ta.setAttribute('aria-hidden', 'true');
			ta.tabIndex = -1;
			ta.className = 'copy-buffer';
			document.body.appendChild(ta);
			const focused = document.activeElement;
			ta.select();
			let ok = false;
			try {
				ok = document.execCommand('copy');
			} catch (err) {
				ok = false;
			}
			document.body.removeChild(ta);
			if (focused && typeof focused.focus === 'function') {
				focused.focus();
			}
			return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
		}

		function copyText(text) {
			if (navigator.clipboard && window.isSecureContext &&
			    typeof navigator.clipboard.writeText === 'function') {
				return navigator.clipboard.writeText(text).catch(function () {
					return fallbackCopy(text);
				});
			}
			return fallbackCopy(text);
		}

		for (let i = 0; i < buttons.length; i++) {
			const button = buttons[i];
			const scope = button.closest('[data-copy-scope]');
			let source = scope ? scope.querySelector('[data-copy-source]') : null;
			if (!source) {
				source = document.getElementById(button.getAttribute('data-copy'));
			}
			if (!source) {
				continue;
			}
			/* ids built from an article URL repeat when one article gives
			 * two answers: make them unique */
			source.id = 'copy-source-' + (i + 1);
			button.setAttribute('data-copy', source.id);
			const status = scope ? scope.querySelector('[data-copy-status]') : null;
			let timer = 0;
			button.addEventListener('click', function () {
				const text = (source.innerText || source.textContent || '').trim();
				copyText(text).then(function () {
					/* others may act on a copy (the FAQ counts its uses) */
					button.dispatchEvent(new CustomEvent('kbd:copied', {
						bubbles: true, detail: { text: text }
					}));
					return k.text('copied');
				}, function () {
					return k.text('copy-failed');
				}).then(function (message) {
					if (status) {
						status.textContent = message;
						clearTimeout(timer);
						timer = setTimeout(function () {
							status.textContent = '';
						}, 4000);
					}
				});
			});
			button.hidden = false;
		}
	});

	/* Facets. In the HTML every group is open and lists every value. Long
	 * groups (tags) show their first SHOWN values, plus any applied one,
	 * with a "Show all" button; on a narrow screen, where the filters sit
	 * above the results, groups with no applied filter start folded. */
	kbd.module('facets', function (k) {
		const SHOWN = 8;
		const groups = document.querySelectorAll('.facets details');
		const narrow = window.matchMedia &&
			window.matchMedia('(max-width: 47.99rem)').matches;
		for (let i = 0; i < groups.length; i++) {
			const group = groups[i];
			const list = group.querySelector('.facet__values');
			const n = list ? list.children.length : 0;
			if (narrow && !group.querySelector('[aria-current]')) {
				group.open = false;
			}
			if (n <= SHOWN + 2) {
				continue;
			}
			if (!list.id) {
				list.id = 'facet-values-' + (i + 1);
			}
			const button = document.createElement('button');
			button.type = 'button';
			button.className = 'facet__more';
			button.setAttribute('aria-controls', list.id);
			const set = function (expanded) {
				list.classList.toggle('facet__values--short', !expanded);
				button.setAttribute('aria-expanded', expanded ? 'true' : 'false');
				button.textContent = expanded ? k.text('show-fewer') :
					k.text('show-all', { n: k.number(n) });
			};
			button.addEventListener('click', function () {
				set(list.classList.contains('facet__values--short'));
			});
			set(false);
			list.insertAdjacentElement('afterend', button);
		}
	});

	/* Fields named in a form's error list ([data-error-for="ID"] items,
	 * ticket.html and ticket_new.html) get aria-invalid and the message
	 * as their description. */
	kbd.module('form-errors', function () {
		const items = document.querySelectorAll('[data-error-for]');
		for (let i = 0; i < items.length; i++) {
			const field = document.getElementById(items[i].getAttribute('data-error-for'));
			if (!field || !items[i].id) {
				continue;
			}
			field.setAttribute('aria-invalid', 'true');
			const ids = (field.getAttribute('aria-describedby') || '').split(/\s+/)
				.filter(Boolean);
			if (ids.indexOf(items[i].id) === -1) {
				ids.unshift(items[i].id);
				field.setAttribute('aria-describedby', ids.join(' '));
			}
		}
	});

	/* Ticket triage (ticket_new.html). While the agent types the title
	 * and description, ~300 ms after the last key press, the [data-triage]
	 * region lists the articles that match (GET /api/v1/search?per_page=5
	 * &q=title + description, at most 300 characters): each with a link
	 * (new tab, so the form is kept) and a checkbox name="articles"
	 * value=SLUG that attaches it to the ticket as consulted. Ticked
	 * articles stay listed when the matches change. While no category is
	 * chosen (or the one chosen was our suggestion), the category of the
	 * best match is selected and the note under the field says so. FAQ
	 * answers are listed with a "Use this answer" button that appends the
	 * answer to the reply field. Known errors come first (GET
	 * /api/v1/known-errors?q=, the same text, fetched with the search):
	 * labelled "Known error", the problem's title and a link to its
	 * workaround article. Strings: the region's data-* attributes. */
	kbd.module('triage', function () {
		const box = document.querySelector('[data-triage]');
		const form = box ? box.closest('form') : null;
		if (!form || !window.fetch) {
			return;
		}
		const DELAY = 300;
		const MIN = 3;
		const MAX_Q = 300;
		const title = form.elements.namedItem('title');
		const desc = form.elements.namedItem('description');
		const category = form.elements.namedItem('category');
		const reply = form.elements.namedItem('reply');
		const results = box.querySelector('[data-triage-results]');
		const hint = box.querySelector('[data-triage-hint]');
		const note = form.querySelector('[data-triage-category-note]');
		if (!title || !results) {
			return;
		}
		function str(name) {
			return box.getAttribute('data-' + name) || '';
		}
		if (hint) {
			hint.textContent = str('hint');
		}

		const picked = new Map();	/* slug → article: ticked ones */
		let shown = [];			/* articles of the last answer */
		let answers = [];
		let known = [];			/* known errors of the last answer */
		let timer = 0;
		let controller = null;
		let seq = 0;
		let lastQuery = '';
		let autoCategory = false;	/* the category is our suggestion */
		let uid = 0;

		function safeUrl(url) {
			return typeof url === 'string' && url.charAt(0) === '/' &&
				url.charAt(1) !== '/' && url.charAt(1) !== '\\';
		}

		function query() {
			const text = (title.value + ' ' + (desc ? desc.value : ''))
				.replace(/\s+/g, ' ').trim();
			return Array.from(text).slice(0, MAX_Q).join('').trim();
		}

		function el(tag, cls, text) {
			const e = document.createElement(tag);
			if (cls) {
				e.className = cls;
			}
			if (text !== undefined) {
				e.textContent = text;
			}
			return e;
		}

		/* An article's own text: its language and direction when the
		 * API gives them, else dir="auto". */
		function textLang(e, a) {
			if (typeof a.lang === 'string' && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(a.lang)) {
				e.setAttribute('lang', a.lang);
			}
			e.setAttribute('dir', a.dir === 'rtl' || a.dir === 'ltr' ? a.dir : 'auto');
		}

		function articleItem(a) {
			const n = ++uid;
			const li = el('li', 'triage__item');
			const link = el('a', '', a.title);
			link.href = a.url;
			link.id = 'triage-article-' + n;
			textLang(link, a);
			link.target = '_blank';
			link.rel = 'noopener';
			const tab = el('span', 'visually-hidden', ' ' + str('new-tab'));
			link.appendChild(tab);
			li.appendChild(link);
			if (a.summary) {
				const p = el('p', 'triage__summary', a.summary);
				textLang(p, a);
				li.appendChild(p);
			}
			const label = el('label', 'triage__attach');
			const check = el('input');
			check.type = 'checkbox';
			check.name = 'articles';
			check.value = a.slug;
			check.checked = picked.has(a.slug);
			check.setAttribute('aria-describedby', link.id);
			check.addEventListener('change', function () {
				if (check.checked) {
					picked.set(a.slug, a);
				} else {
					picked.delete(a.slug);
				}
			});
			label.appendChild(check);
			label.appendChild(document.createTextNode(' ' + str('attach')));
			li.appendChild(label);
			return li;
		}

		function answerItem(f, status) {
			const li = el('li', 'triage__answer');
			const q = el('p', 'triage__q', f.q);
			textLang(q, f);
			li.appendChild(q);
			const a = el('p', 'triage__a', f.a);
			textLang(a, f);
			li.appendChild(a);
			if (safeUrl(f.url) && f.title) {
				const from = el('p', 'triage__from');
				const parts = str('from').split('{link}');
				const link = el('a', '', f.title);
				link.href = f.url;
				link.target = '_blank';
				link.rel = 'noopener';
				link.setAttribute('dir', 'auto');
				link.appendChild(el('span', 'visually-hidden', ' ' + str('new-tab')));
				from.appendChild(document.createTextNode(parts[0] || ''));
				from.appendChild(link);
				from.appendChild(document.createTextNode(parts.slice(1).join('')));
				li.appendChild(from);
			}
			if (reply) {
				const use = el('button', 'triage__use', str('use-answer'));
				use.type = 'button';
				use.addEventListener('click', function () {
					const text = String(f.a).trim();
					const now = reply.value.replace(/\s+$/, '');
					reply.value = now ? now + '\n\n' + text : text;
					reply.dispatchEvent(new Event('input', { bubbles: true }));
					status.textContent = str('answer-used');
				});
				li.appendChild(use);
			}
			return li;
		}

		function suggestCategory(best) {
			if (!category || !best || typeof best.category !== 'string' ||
			    !best.category) {
				return;
			}
			if (category.value !== '' && !autoCategory) {
				return;	/* the agent chose one */
			}
			const want = best.category.toLowerCase();
			for (let i = 0; i < category.options.length; i++) {
				const opt = category.options[i];
				if (opt.value !== '' && opt.value.toLowerCase() === want) {
					if (category.value !== opt.value) {
						category.value = opt.value;
					}
					autoCategory = true;
					if (note) {
						note.textContent = str('category');
					}
					return;
				}
			}
		}

		/* A known error: the problem's title and its workaround article
		 * (GET /api/v1/known-errors: only those whose article is
		 * published), above the articles. */
		function knownItem(ke) {
			const li = el('li', 'triage__item triage__known');
			li.setAttribute('data-known-error', ke.id);
			const head = el('p', 'triage__known-head');
			head.appendChild(el('span', 'badge badge--known-error', str('known-error')));
			head.appendChild(document.createTextNode(' '));
			const title = el('span', 'triage__known-title', ke.title);
			title.setAttribute('dir', 'auto');
			head.appendChild(title);
			li.appendChild(head);
			const p = el('p', 'triage__workaround');
			const link = el('a', '', str('workaround'));
			link.href = '/articles/' + ke.article.split('/').map(encodeURIComponent).join('/');
			link.target = '_blank';
			link.rel = 'noopener';
			link.appendChild(el('span', 'visually-hidden', ' ' + str('new-tab')));
			p.appendChild(link);
			li.appendChild(p);
			return li;
		}

		function render(failed) {
			results.textContent = '';
			results.setAttribute('data-query', lastQuery);	/* what the list answers */
			if (known.length) {
				results.appendChild(el('h3', '', str('known-errors')));
				const ul = el('ul', 'triage__list triage__list--known');
				known.forEach(function (ke) {
					ul.appendChild(knownItem(ke));
				});
				results.appendChild(ul);
			}
			const list = [];
			const seen = new Set();
			picked.forEach(function (a) {
				list.push(a);
				seen.add(a.slug);
			});
			shown.forEach(function (a) {
				if (!seen.has(a.slug)) {
					list.push(a);
					seen.add(a.slug);
				}
			});
			if (list.length) {
				results.appendChild(el('h3', '', str('articles')));
				const ul = el('ul', 'triage__list');
				list.forEach(function (a) {
					ul.appendChild(articleItem(a));
				});
				results.appendChild(ul);
			}
			if (answers.length && reply) {
				results.appendChild(el('h3', '', str('answers')));
				const status = el('p', 'triage__status');
				status.setAttribute('role', 'status');
				const ul = el('ul', 'triage__list');
				answers.forEach(function (f) {
					ul.appendChild(answerItem(f, status));
				});
				results.appendChild(ul);
				results.appendChild(status);
			}
			if (!list.length && !answers.length && !known.length && lastQuery) {
				results.appendChild(el('p', 'triage__hint',
					failed ? str('failed') : str('none')));
			}
		}

		function run() {
			const q = query();
			if (q === lastQuery) {
				return;
			}
			if (controller) {
				controller.abort();
				controller = null;
			}
			lastQuery = q;
			if (Array.from(q).length < MIN) {
				shown = [];
				answers = [];
				known = [];
				lastQuery = '';
				render(false);
				return;
			}
			const mine = ++seq;
			controller = typeof AbortController === 'function' ?
				new AbortController() : null;
			const signal = controller ? controller.signal : undefined;
			/* known errors first: a failure there leaves just the articles */
			const knownErrors = fetch('/api/v1/known-errors?q=' + encodeURIComponent(q), {
				headers: { Accept: 'application/json' },
				credentials: 'same-origin',
				signal: signal
			}).then(function (res) {
				return res.ok ? res.json() : null;
			}).catch(function (err) {
				if (err && err.name === 'AbortError') {
					throw err;
				}
				return null;
			});
			Promise.all([fetch('/api/v1/search?per_page=5&q=' + encodeURIComponent(q), {
				headers: { Accept: 'application/json' },
				credentials: 'same-origin',
				signal: signal
			}).then(function (res) {
				if (!res.ok) {
					throw new Error('HTTP ' + res.status);
				}
				return res.json();
			}), knownErrors]).then(function (both) {
				const body = both[0];
				const ke = both[1];
				if (mine !== seq) {
					return;
				}
				controller = null;
				known = (ke && Array.isArray(ke.known_errors) ? ke.known_errors : [])
					.filter(function (x) {
						return x && typeof x.id === 'string' && typeof x.title === 'string' &&
							typeof x.article === 'string' &&
							/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/.test(x.article);
					}).slice(0, 3);
				const list = body && Array.isArray(body.results) ? body.results : [];
				shown = list.filter(function (a) {
					return a && typeof a.slug === 'string' && a.slug &&
						typeof a.title === 'string' && safeUrl(a.url);
				}).slice(0, 5);
				answers = (body && Array.isArray(body.faq_answers) ?
					body.faq_answers : []).filter(function (f) {
					return f && typeof f.q === 'string' && typeof f.a === 'string';
				}).slice(0, 3);
				suggestCategory(shown[0]);
				render(false);
			}).catch(function (err) {
				if (mine === seq && (!err || err.name !== 'AbortError')) {
					controller = null;
					shown = [];
					answers = [];
					known = [];
					render(true);
				}
			});
		}

		function schedule() {
			clearTimeout(timer);
			timer = setTimeout(run, DELAY);
		}

		title.addEventListener('input', schedule);
		if (desc) {
			desc.addEventListener('input', schedule);
		}
		if (category) {
			category.addEventListener('change', function () {
				autoCategory = false;
				if (note) {
					note.textContent = '';
				}
			});
		}
		if (query()) {
			run();	/* the form came back after an error */
		}
	});

	/* The article editor (editor.html). The live preview: ~300 ms after
	 * the last change to the title, language or body, POST
	 * /api/v1/preview {"title","lang","body"} and show the answer's html
	 * (cmark output the server sanitised) in #preview, in the direction it
	 * gives; a newer request aborts the older one. The pane is hidden
	 * without JavaScript. Relative links and images in it (media/x.png)
	 * are written for the article's page: they are resolved against its
	 * address (data-article-url, /articles/{slug}), not /write/{slug}.
	 * "Attach an image or file" ([data-attach], editing only): the chosen
	 * file, checked here first (type, at most data-max bytes) under a name
	 * of letters, digits, '.', '-' and '_', is POSTed as it is to data-url
	 * ?name=…; the answer's Markdown goes into the text at the cursor (at
	 * the end when the text was never focused). A 409 (a file of that name
	 * is attached already) asks before sending it again with &replace=1.
	 * "Add another question" appends an empty FAQ row numbered after the
	 * last (faq_q_N / faq_a_N, at most data-max). */
	kbd.module('editor', function (k) {
		const form = document.querySelector('form.editor');
		if (!form) {
			return;
		}
		const body = form.elements.namedItem('body');
		const title = form.elements.namedItem('title');
		const lang = form.elements.namedItem('lang');
		const pane = form.querySelector('[data-preview]');
		const target = document.getElementById('preview');
		const status = pane ? pane.querySelector('[data-preview-status]') : null;

		if (pane && target && body && window.fetch) {
			const DELAY = 300;
			let timer = 0;
			let controller = null;
			let seq = 0;
			let last = null;
			const say = function (text) {
				if (status) {
					status.textContent = text || '';
				}
			};
			const articleUrl = pane.getAttribute('data-article-url');
			/* a URL the article's page would resolve against its own
			 * address: not /…, #…, or with a scheme (http:, mailto:, data:) */
			const relative = function (v) {
				const s = v.trim();
				return s !== '' && !/^(\/|#|[a-z][a-z0-9+.-]*:)/i.test(s);
			};
			/* the preview's HTML, its relative src/href made relative to
			 * the article's address (in an inert <template>, so that no
			 * image is fetched from the wrong place first) */
			const rebased = function (html) {
				const tpl = document.createElement('template');
				tpl.innerHTML = html;
				let base = null;
				try {
					base = articleUrl ? new URL(articleUrl, window.location.href) : null;
				} catch (err) {
					base = null;
				}
				if (base) {
					tpl.content.querySelectorAll('[src], [href]').forEach(function (el) {
						['src', 'href'].forEach(function (a) {
							const v = el.getAttribute(a);
							if (v === null || !relative(v)) {
								return;
							}
							try {
								const u = new URL(v.trim(), base);
								el.setAttribute(a, u.origin === window.location.origin ?
									u.pathname + u.search + u.hash : u.href);
							} catch (err) {
								/* left as it was */
							}
						});
					});
				}
				return tpl.content;
			};
			const update = function () {
				const req = {
					title: title ? title.value : '',
					lang: lang ? lang.value : 'en',
					body: body.value
				};
				const key = JSON.stringify(req);
				if (key === last) {
					return;
				}
				last = key;
				if (controller) {
					controller.abort();
				}
				if (!req.body.trim()) {
					controller = null;
					seq++;
					target.textContent = '';
					say(pane.getAttribute('data-empty'));
					return;
				}
				const mine = ++seq;
				controller = typeof AbortController === 'function' ?
					new AbortController() : null;
				k.api('POST', '/api/v1/preview', req,
					controller ? controller.signal : undefined).then(function (res) {
					if (mine !== seq) {
						return;
					}
					controller = null;
					target.textContent = '';
					target.appendChild(rebased(typeof res.html === 'string' ? res.html : ''));
					target.setAttribute('dir', res.dir === 'rtl' ? 'rtl' : 'ltr');
					if (/^[a-z]{2,3}$/.test(req.lang)) {
						target.setAttribute('lang', req.lang);
					}
					const notes = res.errors || res.warnings;
					say(typeof notes === 'string' ? notes :
						Array.isArray(notes) ? notes.join('\n') : '');
					k.scrollables();
					pane.setAttribute('data-rendered', String(mine));
				}).catch(function (err) {
					if (mine === seq && (!err || err.name !== 'AbortError')) {
						controller = null;
						last = null;	/* try again on the next change */
						say(pane.getAttribute('data-failed'));
					}
				});
			};
			const schedule = function () {
				clearTimeout(timer);
				timer = setTimeout(update, DELAY);
			};
			pane.hidden = false;
			form.classList.add('editor--preview');
			body.addEventListener('input', schedule);
			if (title) {
				title.addEventListener('input', schedule);
			}
			if (lang) {
				lang.addEventListener('change', schedule);
			}
			update();
		}

		const attach = form.querySelector('[data-attach]');
		const attachNote = form.querySelector('[data-attach-note]');
		if (attachNote && window.fetch) {
			attachNote.hidden = false;	/* a new article: save it first */
		}
		const file = attach ? attach.querySelector('input[type="file"]') : null;
		const attachStatus = attach ? attach.querySelector('[data-attach-status]') : null;
		const ask = attach ? attach.querySelector('[data-attach-confirm]') : null;
		const replace = ask ? ask.querySelector('[data-attach-replace]') : null;
		const cancel = ask ? ask.querySelector('[data-attach-cancel]') : null;
		if (attach && file && attachStatus && ask && replace && cancel && body &&
		    window.fetch && typeof body.setRangeText === 'function') {
			const url = attach.getAttribute('data-url');
			const max = Number(attach.getAttribute('data-max')) || 1048576;
			/* what the server takes, by extension (kbd/attachments.c) */
			const TYPES = {
				png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
				gif: 'image/gif', webp: 'image/webp', pdf: 'application/pdf',
				txt: 'text/plain'
			};
			const EXTS = {
				'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif',
				'image/webp': 'webp', 'application/pdf': 'pdf', 'text/plain': 'txt'
			};
			const NAME_MAX = 100;
			let touched = false;
			let pending = null;	/* {file, name, type} waiting for "Replace it" */
			let seq = 0;
			body.addEventListener('focus', function () {
				touched = true;
			});
			const say = function (key, vars, error) {
				attachStatus.textContent = '';
				attachStatus.appendChild(k.fill(attach.getAttribute('data-msg-' + key) || key, vars));
				attachStatus.classList.toggle('editor__attach-status--error', !!error);
			};
			const ext = function (name) {
				const dot = name.lastIndexOf('.');
				return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
			};
			const mime = function (f) {
				return String(f.type || '').split(';')[0].trim().toLowerCase();
			};
			/* the chosen file's name as the server takes it: other
			 * characters become '-', no leading '.', an extension from
			 * the file's type when it has none of its own, at most
			 * NAME_MAX bytes (the extension kept) */
			const cleanName = function (f) {
				let name = String(f.name || '').replace(/[^A-Za-z0-9._-]/g, '-')
					.replace(/^\./, '-');
				if (!TYPES[ext(name)] && EXTS[mime(f)]) {
					name = (name || 'file') + '.' + EXTS[mime(f)];
				}
				if (name.length > NAME_MAX) {
					const e = ext(name);
					name = name.slice(0, NAME_MAX - e.length - 1) + '.' + e;
				}
				return name;
			};
			const insert = function (md) {
				let text = md;
				let start = body.value.length;
				let end = start;
				if (touched) {
					start = body.selectionStart;
					end = body.selectionEnd;
				} else if (body.value.trim()) {
					text = (/\n\s*$/.test(body.value) ? '\n' : '\n\n') + text + '\n';
				}
				body.setRangeText(text, start, end, 'end');
				body.dispatchEvent(new Event('input', { bubbles: true }));	/* the preview */
			};
			const send = function (f, name, type, again) {
				const mine = ++seq;
				say('sending', { name: k.bdi(name) });
				fetch(url + '?name=' + encodeURIComponent(name) + (again ? '&replace=1' : ''), {
					method: 'POST',
					headers: {
						Accept: 'application/json',
						'Content-Type': type,
						'X-CSRF-Token': k.csrf()
					},
					credentials: 'same-origin',
					body: f
				}).then(function (res) {
					return res.json().catch(function () {
						return null;
					}).then(function (data) {
						return { status: res.status, data: data };
					});
				}).then(function (ans) {
					const data = ans.data || {};
					if (ans.status === 201 && typeof data.markdown === 'string') {
						insert(data.markdown);
						if (mine === seq) {
							say('done', { name: k.bdi(data.name || name) });
						}
					} else if (mine !== seq) {
						return;
					} else if (ans.status === 409) {
						pending = { file: f, name: name, type: type };
						say('exists', { name: k.bdi(name) });
						ask.hidden = false;
					} else {
						const err = data.error || {};
						say('failed', {
							name: k.bdi(name),
							message: typeof err.message === 'string' && err.message ?
								err.message : 'HTTP ' + ans.status
						}, true);
					}
				}).catch(function () {
					if (mine === seq) {
						say('offline', { name: k.bdi(name) }, true);
					}
				});
			};
			const settle = function () {
				pending = null;
				if (ask.contains(document.activeElement)) {
					file.focus();
				}
				ask.hidden = true;
			};
			attach.hidden = false;
			file.addEventListener('change', function () {
				const f = file.files && file.files[0];
				settle();
				if (!f) {
					return;
				}
				file.value = '';	/* the same file can be chosen again */
				const name = cleanName(f);
				const type = TYPES[ext(name)];
				const chosen = { name: k.bdi(f.name) };
				seq++;	/* an answer still on its way no longer speaks */
				if (!type) {
					say('type', chosen, true);
				} else if (f.size > max) {
					say('large', chosen, true);
				} else if (f.size === 0) {
					say('empty', chosen, true);
				} else {
					send(f, name, mime(f) || type, false);
				}
			});
			replace.addEventListener('click', function () {
				const p = pending;
				settle();
				if (p) {
					send(p.file, p.name, p.type, true);
				}
			});
			cancel.addEventListener('click', function () {
				const p = pending;
				settle();
				if (p) {
					say('cancelled', { name: k.bdi(p.name) });
				}
			});
		}

		const rows = form.querySelector('[data-faq-rows]');
		const add = rows ? rows.querySelector('[data-faq-add]') : null;
		if (rows && add) {
			const max = Number(rows.getAttribute('data-max')) || 50;
			const label = rows.getAttribute('data-row-label') || '{n}';
			const all = function () {
				return rows.querySelectorAll('[data-faq-row]');
			};
			const refresh = function () {
				const list = all();
				const n = list.length ?
					Number(list[list.length - 1].getAttribute('data-faq-row')) : 0;
				add.disabled = n >= max;
			};
			add.hidden = false;
			add.addEventListener('click', function () {
				const list = all();
				if (!list.length) {
					return;
				}
				const lastRow = list[list.length - 1];
				const n = Number(lastRow.getAttribute('data-faq-row')) + 1;
				if (!(n <= max)) {
					return;
				}
				const row = lastRow.cloneNode(true);
				row.setAttribute('data-faq-row', String(n));
				const renumber = function (v) {
					return v.replace(/faq_([qa])_\d+/, 'faq_$1_' + n);
				};
				row.querySelectorAll('[id], [name], label[for]').forEach(function (el) {
					['id', 'name', 'for'].forEach(function (a) {
						if (el.hasAttribute(a)) {
							el.setAttribute(a, renumber(el.getAttribute(a)));
						}
					});
				});
				row.querySelectorAll('input, textarea').forEach(function (el) {
					el.value = '';
					if (el.tagName === 'TEXTAREA') {
						el.textContent = '';
					} else {
						el.setAttribute('value', '');
					}
				});
				const legend = row.querySelector('legend');
				if (legend) {
					legend.textContent = label.replace('{n}', k.number(n));
				}
				lastRow.insertAdjacentElement('afterend', row);
				refresh();
				const first = row.querySelector('input');
				if (first) {
					first.focus();
				}
			});
			refresh();
		}
	});

	/* FAQ (faq.html): an answer copied with its button is counted as used,
	 * POST /api/v1/faq/use {"slug","q"} (data-faq-slug / data-faq-q of the
	 * entry), and the count shown next to it goes up. */
	kbd.module('faq-use', function (k) {
		if (!document.querySelector('[data-faq-slug]') || !window.fetch) {
			return;
		}
		document.addEventListener('kbd:copied', function (event) {
			const entry = event.target.closest ? event.target.closest('[data-faq-slug]') : null;
			if (!entry) {
				return;
			}
			k.api('POST', '/api/v1/faq/use', {
				slug: entry.getAttribute('data-faq-slug'),
				q: entry.getAttribute('data-faq-q')
			}).then(function () {
				entry.setAttribute('data-faq-counted', '');
				const uses = entry.querySelector('[data-faq-uses]');
				const n = uses ? Number(uses.getAttribute('data-faq-uses')) : NaN;
				if (!isNaN(n)) {
					uses.setAttribute('data-faq-uses', String(n + 1));
					uses.textContent = k.number(n + 1);
				}
			}).catch(function () {
				/* counting is best effort: the answer is copied anyway */
			});
		});
	});

	/* Canned replies on a ticket (ticket.html): the chosen reply, filled in
	 * for this ticket by GET /api/v1/canned/ID?ticket=T-…, goes into the
	 * comment box at the cursor (at the end when the box was never
	 * focused). Hidden without JavaScript or without replies. */
	kbd.module('canned', function (k) {
		const box = document.querySelector('[data-canned-pick]');
		if (!box || !window.fetch) {
			return;
		}
		const select = box.querySelector('select');
		const button = box.querySelector('[data-canned-insert]');
		const status = box.querySelector('[data-canned-status]');
		const area = document.getElementById(box.getAttribute('data-target'));
		if (!select || !button || !area || !select.querySelector('option[value]:not([value=""])')) {
			return;
		}
		let touched = false;
		area.addEventListener('focus', function () {
			touched = true;
		});
		const say = function (name) {
			if (status) {
				status.textContent = box.getAttribute('data-' + name) || '';
			}
		};
		box.hidden = false;
		button.addEventListener('click', function () {
			const id = select.value;
			if (!/^\d+$/.test(id)) {
				select.focus();
				return;
			}
			const ticket = box.getAttribute('data-ticket') || '';
			k.api('GET', '/api/v1/canned/' + id +
				(ticket ? '?ticket=' + encodeURIComponent(ticket) : '')).then(function (res) {
				let text = res && typeof res.text === 'string' ? res.text : '';
				let start = area.value.length;
				let end = start;
				if (touched) {
					start = area.selectionStart;
					end = area.selectionEnd;
				} else if (area.value.trim()) {
					text = (/\n\s*$/.test(area.value) ? '\n' : '\n\n') + text;
				}
				area.setRangeText(text, start, end, 'end');
				area.dispatchEvent(new Event('input', { bubbles: true }));
				area.focus();
				select.value = '';
				say('inserted');
			}).catch(function () {
				say('failed');
			});
		});
	});

	/* Filter links ([data-filter-param] nav, problems.html): the one that
	 * matches the address gets aria-current="page". */
	kbd.module('filter-current', function () {
		const navs = document.querySelectorAll('nav[data-filter-param]');
		for (let i = 0; i < navs.length; i++) {
			const param = navs[i].getAttribute('data-filter-param');
			let value = '';
			try {
				value = new URLSearchParams(window.location.search).get(param) || '';
			} catch (err) {
				value = '';
			}
			const links = navs[i].querySelectorAll('a[data-filter-value]');
			for (let j = 0; j < links.length; j++) {
				if (links[j].getAttribute('data-filter-value') === value) {
					links[j].setAttribute('aria-current', 'page');
				}
			}
		}
	});

	/* "Mark all read" on /notifications ([data-notif-read], hidden
	 * without JavaScript): POST /api/v1/notifications/read {"up_to": the
	 * newest shown}, so what arrived after the page loaded stays unread;
	 * then the header's count is asked for again. */
	kbd.module('notifications', function (k) {
		const button = document.querySelector('[data-notif-read]');
		if (!button || !window.fetch) {
			return;
		}
		const items = document.querySelectorAll('[data-notification]');
		let upTo = 0;
		for (let i = 0; i < items.length; i++) {
			upTo = Math.max(upTo, Number(items[i].getAttribute('data-notification')) || 0);
		}
		button.hidden = false;
		button.addEventListener('click', function () {
			button.disabled = true;
			k.api('POST', '/api/v1/notifications/read', upTo ? { up_to: upTo } : undefined)
				.then(function () {
					const unread = document.querySelectorAll('.notif--unread');
					for (let i = 0; i < unread.length; i++) {
						unread[i].classList.remove('notif--unread');
					}
					const marks = document.querySelectorAll('[data-notif-new]');
					for (let i = 0; i < marks.length; i++) {
						marks[i].remove();
					}
					const status = document.querySelector('[data-notif-status]');
					if (status) {
						status.textContent = button.getAttribute('data-done') || '';
					}
					k.announce(button.getAttribute('data-done'));
					button.hidden = true;
					return k.api('GET', '/api/v1/notifications').then(function (res) {
						k.setUnread(res && res.unread);
					}, function () {
						k.setUnread(0);
					});
				}).catch(function () {
					button.disabled = false;
					k.announce(button.getAttribute('data-failed'), true);
				});
		});
	});

	/* Editing together (ticket.html): while this user types in one of the
	 * ticket's change forms (those posting to /tickets/ID), POST
	 * /api/v1/tickets/ID/editing {"editing": true}, again every 30 s while
	 * the typing goes on (the server forgets an editor after 45 s), and
	 * {"editing": false} when a form is sent or the page is left (fetch
	 * with keepalive: sendBeacon cannot carry the X-CSRF-Token header).
	 * The answer names the others editing: "Sara is editing". */
	kbd.module('presence', function (k) {
		const page = document.querySelector('[data-ticket]');
		if (!page || !window.fetch || !document.body.hasAttribute('data-live')) {
			return;
		}
		const id = page.getAttribute('data-ticket') || '';
		if (!/^T-\d+$/.test(id)) {
			return;
		}
		const box = document.querySelector('[data-presence]');
		if (box) {
			k.showEditing((box.getAttribute('data-editing') || '').split(/\s+/));
		}
		const url = '/api/v1/tickets/' + id + '/editing';
		const action = '/tickets/' + id;
		const RENEW = 30000;
		let active = false;
		let typed = false;
		let lastSent = 0;
		let timer = 0;

		function ours(form) {
			return !!form && form.tagName === 'FORM' &&
				form.getAttribute('action') === action &&
				(form.getAttribute('method') || '').toLowerCase() === 'post';
		}

		function send(editing, keepalive) {
			active = editing;
			typed = false;
			lastSent = Date.now();
			return fetch(url, {
				method: 'POST',
				credentials: 'same-origin',
				keepalive: !!keepalive,
				headers: {
					Accept: 'application/json',
					'Content-Type': 'application/json',
					'X-CSRF-Token': k.csrf()
				},
				body: JSON.stringify({ editing: editing })
			}).then(function (res) {
				return res.ok ? res.json() : null;
			}).then(function (res) {
				if (res && Array.isArray(res.editing) && !keepalive) {
					k.showEditing(res.editing);
				}
			}).catch(function () {
				/* best effort: the others just do not see us */
			});
		}

		document.addEventListener('input', function (event) {
			const form = event.target && event.target.form;
			if (!ours(form)) {
				return;
			}
			typed = true;
			if (!active || Date.now() - lastSent >= RENEW) {
				send(true);
			}
			if (!timer) {
				timer = setInterval(function () {
					if (active && typed) {
						send(true);
					}
				}, RENEW);
			}
		});
		document.addEventListener('submit', function (event) {
			if (active && ours(event.target)) {
				send(false, true);
			}
		});
		window.addEventListener('pagehide', function () {
			if (active) {
				send(false, true);
			}
		});
	});

	/* Live updates: one EventSource on GET /api/v1/events/stream per page
	 * of a signed-in agent (<body data-live>, header.html); the browser
	 * reconnects by itself, sending Last-Event-ID. Nothing polls, and
	 * nothing reloads by itself (that would lose what is being typed):
	 *   escalation    on the queue (/tickets): "T-… escalated to L2: title"
	 *   ticket,       on that ticket's page, by someone else: "This ticket
	 *   comment       changed: … — reload"
	 *   presence      on that ticket's page: "Sara is editing"
	 *   incident      the banner of every page (header.html): added,
	 *                 updated, removed when resolved; on the incident's
	 *                 own page a notice too
	 *   notification  the header's unread count goes up
	 *   hello         the unread count as the stream starts
	 *   reset         the stream fell behind: "reload"
	 * Notices go in [data-live-notices] (made under the page heading where
	 * the page has none) and are announced in footer.html's live regions. */
	kbd.module('live', function (k) {
		const body = document.body;
		if (!body || !body.hasAttribute('data-live') ||
		    typeof window.EventSource !== 'function') {
			return;
		}
		const me = body.getAttribute('data-user') || '';
		const ticketPage = document.querySelector('[data-ticket]');
		const ticketId = ticketPage ? ticketPage.getAttribute('data-ticket') : '';
		const lastEvent = ticketPage ?
			Number(ticketPage.getAttribute('data-last-event')) || 0 : 0;
		const incidentPage = document.querySelector('[data-incident-page]');
		const incidentId = incidentPage ?
			incidentPage.getAttribute('data-incident-page') : '';
		const onQueue = window.location.pathname === '/tickets';
		const onNotifications = window.location.pathname === '/notifications';
		const el = k.el;

		function here() {
			return window.location.pathname + window.location.search;
		}

		function noticesBox() {
			let box = document.querySelector('[data-live-notices]');
			if (!box) {
				box = el('div', 'live-notices');
				box.setAttribute('data-live-notices', '');
				const main = document.getElementById('main');
				const head = main ? main.querySelector('.page-head, .ticket-head, h1') : null;
				if (head) {
					head.insertAdjacentElement('afterend', box);
				} else if (main) {
					main.insertBefore(box, main.firstChild);
				}
			}
			return box;
		}

		/* One notice per topic, a line per event (the newest 20), with a
		 * reload link and a "Dismiss" button. */
		function addLine(topic, reloadText, content) {
			const box = noticesBox();
			let notice = box.querySelector('[data-live-topic="' + topic + '"]');
			if (!notice) {
				notice = el('div', 'notice live-notice live-notice--' + topic);
				notice.setAttribute('data-live-topic', topic);
				notice.appendChild(el('ul', 'live-notice__list'));
				const actions = el('p', 'live-notice__actions');
				const reload = el('a', 'live-notice__reload', reloadText);
				reload.href = here();
				actions.appendChild(reload);
				actions.appendChild(document.createTextNode(' '));
				const dismiss = el('button', 'button--small button--secondary live-notice__dismiss',
					k.text('live-dismiss'));
				dismiss.type = 'button';
				dismiss.addEventListener('click', function () {
					notice.remove();
				});
				actions.appendChild(dismiss);
				notice.appendChild(actions);
				box.appendChild(notice);
			}
			const list = notice.querySelector('.live-notice__list');
			const li = el('li', 'live-notice__item');
			li.appendChild(content);
			list.appendChild(li);
			while (list.children.length > 20) {
				list.removeChild(list.firstChild);
			}
			return li;
		}

		function ticketLink(id) {
			const a = el('a', 'ticket-id', id);
			a.href = '/tickets/' + encodeURIComponent(id);
			return a;
		}

		function autoText(text) {
			const span = el('span', '', text);
			span.setAttribute('dir', 'auto');
			return span;
		}

		/* ---- the incident banner ---- */

		/* "2026-11-27T14:05:00Z" → "2026-11-27 14:05 UTC" (as the pages
		 * write times) */
		function timeText(iso) {
			return typeof iso === 'string' && iso.length >= 16 ?
				iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC' : '';
		}

		function bannerItem(d, since, sinceText, update) {
			const li = el('li', 'mi-banner');
			li.setAttribute('data-incident', d.id);
			li.setAttribute('data-since', since || '');
			const head = el('p', 'mi-banner__summary');
			const tag = el('span', 'mi-banner__tag');
			const icon = el('span', '', '⚠');
			icon.setAttribute('aria-hidden', 'true');
			tag.appendChild(icon);
			tag.appendChild(document.createTextNode(' ' + k.text('mi-label')));
			head.appendChild(tag);
			head.appendChild(document.createTextNode(' '));
			const summary = autoText(d.summary || '');
			summary.setAttribute('data-mi-summary', '');
			head.appendChild(summary);
			li.appendChild(head);
			if (d.advice) {
				const p = el('p', 'mi-banner__advice');
				p.appendChild(el('strong', '', k.text('mi-tell')));
				p.appendChild(document.createTextNode(' '));
				const advice = autoText(d.advice);
				advice.setAttribute('data-mi-advice', '');
				p.appendChild(advice);
				li.appendChild(p);
			}
			if (update) {
				const p = el('p', 'mi-banner__update');
				p.appendChild(el('strong', '', k.text('mi-update')));
				p.appendChild(document.createTextNode(' '));
				const u = autoText(update);
				u.setAttribute('data-mi-update', '');
				p.appendChild(u);
				li.appendChild(p);
			}
			const meta = el('p', 'mi-banner__meta');
			const when = k.bdi(sinceText || '');
			when.setAttribute('data-mi-since', '');
			meta.appendChild(k.fill(k.text('mi-since'), { time: when }));
			meta.appendChild(document.createTextNode(' · '));
			const link = el('a', '', k.text('mi-details'));
			link.href = '/incidents/' + encodeURIComponent(d.id);
			const hidden = el('span', 'visually-hidden', ' ');
			hidden.appendChild(el('span', 'ticket-id', d.id));
			link.appendChild(hidden);
			meta.appendChild(link);
			li.appendChild(meta);
			return li;
		}

		function onIncident(d) {
			if (!d || typeof d.id !== 'string' || !/^MI-\d+$/.test(d.id)) {
				return;
			}
			const section = document.querySelector('[data-mi-banners]');
			const list = section ? section.querySelector('[data-mi-list]') : null;
			const item = list ? list.querySelector('[data-incident="' + d.id + '"]') : null;
			const summary = typeof d.summary === 'string' ? d.summary : '';
			if (d.status !== 'active') {
				if (item) {
					item.remove();
				}
				if (section && list && !list.querySelector('[data-incident]')) {
					section.hidden = true;
				}
				k.announce(k.text('live-incident-closed', { summary: summary }));
			} else if (list) {
				const old = item ? item.querySelector('[data-mi-update]') : null;
				const update = typeof d.update === 'string' && d.update ? d.update :
					old ? old.textContent : '';
				const since = item ? item.getAttribute('data-since') : '';
				const sinceEl = item ? item.querySelector('[data-mi-since]') : null;
				const fresh = bannerItem(d, since, sinceEl ? sinceEl.textContent : '', update);
				if (item) {
					item.replaceWith(fresh);
					k.announce(k.text('live-incident-update', { summary: summary }) +
						(d.update ? ' ' + d.update : ''));
				} else {
					list.insertBefore(fresh, list.firstChild);
					k.announce(k.text('live-incident-new', { summary: summary }) +
						(d.advice ? ' ' + k.text('mi-tell') + ' ' + d.advice : ''), true);
					/* the event has no start time: ask for it */
					k.api('GET', '/api/v1/incidents/' + encodeURIComponent(d.id)).then(function (inc) {
						const t = fresh.querySelector('[data-mi-since]');
						if (inc && typeof inc.since === 'string' && t) {
							fresh.setAttribute('data-since', inc.since);
							t.textContent = timeText(inc.since);
						}
					}).catch(function () {
						/* the banner stands without it */
					});
				}
				if (section) {
					section.hidden = false;
				}
			}
			if (incidentId && d.id === incidentId) {
				addLine('incident', k.text('live-reload'), k.fill(k.text('live-incident-page'),
					{ text: autoText(d.update || summary) }));
			}
		}

		/* ---- the stream ---- */

		function parse(event) {
			try {
				return JSON.parse(event.data);
			} catch (err) {
				return null;
			}
		}

		const handlers = {
			hello: function (d) {
				if (d && typeof d.unread === 'number') {
					k.setUnread(d.unread);
				}
			},
			escalation: function (d) {
				if (!onQueue || !d || typeof d.ticket !== 'string') {
					return;
				}
				const tier = typeof d.to_tier === 'string' ? d.to_tier : '';
				const title = typeof d.title === 'string' ? d.title : '';
				const li = addLine('escalation', k.text('live-reload-list'),
					k.fill(k.text('live-escalation'), {
						ticket: ticketLink(d.ticket), tier: tier, title: autoText(title)
					}));
				li.setAttribute('data-escalated', d.ticket);
				k.announce(k.text('live-escalation', { ticket: d.ticket, tier: tier, title: title }));
			},
			ticket: function (d) {
				if (!ticketId || !d || d.ticket !== ticketId || d.actor === me ||
				    d.kind === 'comment' || (d.event && d.event <= lastEvent)) {
					return;	/* a comment has its own event, below */
				}
				const box = noticesBox();
				const label = function (prefix, value) {
					const name = 'data-' + prefix + '-' + String(value || '').replace(/[^a-z_]/g, '');
					return box.getAttribute(name) || String(value || '');
				};
				let kind = label('ev', d.kind);
				if (d.kind === 'field' && d.field) {
					kind += ' ' + label('field', d.field);
				} else if ((d.kind === 'status' || d.kind === 'reopened') && d.to) {
					kind += ' → ' + label('st', d.to);
				}
				addLine('ticket', k.text('live-reload'), k.fill(k.text('live-changed'),
					{ kind: kind, actor: k.bdi(d.actor || '') }));
				k.announce(k.text('live-changed', { kind: kind, actor: d.actor || '' }));
			},
			comment: function (d) {
				if (!ticketId || !d || d.ticket !== ticketId || d.actor === me) {
					return;
				}
				const text = d.internal ? k.text('live-note') : k.text('live-comment');
				addLine('ticket', k.text('live-reload'), k.fill(text, { actor: k.bdi(d.actor || '') }));
				k.announce(k.text(d.internal ? 'live-note' : 'live-comment', { actor: d.actor || '' }));
			},
			presence: function (d) {
				if (ticketId && d && d.ticket === ticketId) {
					k.showEditing(d.editing);
				}
			},
			incident: onIncident,
			notification: function (d) {
				if (!d) {
					return;
				}
				k.setUnread(k.unread() + 1);
				const kind = d.kind === 'mention' ? k.text('nt-mention') :
					d.kind === 'escalation' ? k.text('nt-escalation') : '';
				k.announce(k.text('live-notification', {
					actor: d.actor || '', kind: kind, ticket: d.ticket || ''
				}));
				if (onNotifications) {
					addLine('notifications', k.text('live-reload'), k.fill(
						k.text('live-notification'), {
							actor: k.bdi(d.actor || ''), kind: kind,
							ticket: typeof d.ticket === 'string' ? ticketLink(d.ticket) : ''
						}));
				}
			},
			reset: function () {
				addLine('reset', k.text('live-reload'), document.createTextNode(k.text('live-reset')));
			}
		};

		function connect() {
			const source = new EventSource('/api/v1/events/stream');
			Object.keys(handlers).forEach(function (name) {
				source.addEventListener(name, function (event) {
					const d = parse(event);
					try {
						handlers[name](d);
					} catch (err) {
						if (window.console && console.error) {
							console.error('kbd: live "' + name + '" failed', err);
						}
					}
				});
			});
			k.events = source;	/* one per page: others may listen to it */
		}

		connect();
		/* a page kept in the back/forward cache gets a new stream */
		window.addEventListener('pagehide', function () {
			if (k.events) {
				k.events.close();
				k.events = null;
			}
		});
		window.addEventListener('pageshow', function (event) {
			if (event.persisted && !k.events) {
				connect();
			}
		});
	});

	window.kbd = kbd;

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', start);
	} else {
		start();
	}
})();
