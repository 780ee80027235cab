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
 * (most recently added first) until one returns true. A future suggest
 * dropdown is one more module: it can find the box with kbd.searchInput() and
 * register its own key handler to take ArrowUp/ArrowDown/Escape before the
 * default "Escape blurs the search box" handler below.
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

	window.kbd = kbd;

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', start);
	} else {
		start();
	}
})();
