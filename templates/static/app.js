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

	/* Code blocks and tables in an article scroll sideways when too wide
	 * (style.css). A scroll box must be reachable by keyboard, so give the
	 * ones that overflow tabindex="0", and take it back when they no longer
	 * do (after a resize). */
	kbd.module('scrollables', function () {
		const boxes = document.querySelectorAll('.article__body pre, .article__body table');
		if (!boxes.length) {
			return;
		}
		function update() {
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
		}
		let timer = 0;
		window.addEventListener('resize', function () {
			clearTimeout(timer);
			timer = setTimeout(update, 150);
		});
		update();
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
		list.setAttribute('aria-label', 'Suggested articles');
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
	kbd.module('copy', function () {
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
					return 'Copied';
				}, function () {
					return 'Could not copy: select the text and press Ctrl+C';
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
	kbd.module('facets', function () {
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
				button.textContent = expanded ? 'Show fewer' : 'Show all ' + n;
			};
			button.addEventListener('click', function () {
				set(list.classList.contains('facet__values--short'));
			});
			set(false);
			list.insertAdjacentElement('afterend', button);
		}
	});

	window.kbd = kbd;

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', start);
	} else {
		start();
	}
})();
