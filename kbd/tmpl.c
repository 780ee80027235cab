/*
 * tmpl.c - see tmpl.h. Templates are parsed into a tree of nodes; rendering
 * walks the tree with a stack of contexts for name lookup.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "html.h"
#include "tmpl.h"
#include "util.h"
#include "banned.h"

#define TMPL_MAX_DEPTH 32	/* nested sections and partials */

enum node_type { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL };

struct filter {
	char *name;
	tmpl_filter_fn *fn;
	void *ctx;
	struct filter *next;
};

struct node {
	enum node_type type;
	char *text;		/* N_TEXT: the text; others: the name */
	size_t len;
	const struct filter *filter;	/* N_VAR, N_RAW: {{name|filter}}, or NULL */
	struct node *child;	/* first node inside a section */
	struct node *next;
};

struct tmpl {
	char *name;
	struct node *root;
	struct tmpl *next;
};

struct tmpl_set {
	struct tmpl *head;
	struct filter *filters;
};

struct tmpl_set *
tmpl_set_new(void)
{
	return xcalloc(1, sizeof(struct tmpl_set));
}

static void
node_free(struct node *n)
{
	struct node *next;

	for (; n; n = next) {
		next = n->next;
		node_free(n->child);
		free(n->text);
		free(n);
	}
}

void
tmpl_set_free(struct tmpl_set *set)
{
	struct tmpl *t, *next;
	struct filter *f, *fnext;

	if (!set)
		return;
	for (t = set->head; t; t = next) {
		next = t->next;
		node_free(t->root);
		free(t->name);
		free(t);
	}
	for (f = set->filters; f; f = fnext) {
		fnext = f->next;
		free(f->name);
		free(f);
	}
	free(set);
}

void
tmpl_set_filter(struct tmpl_set *set, const char *name, tmpl_filter_fn *fn,
    void *ctx)
{
	struct filter *f = xcalloc(1, sizeof(*f));

	f->name = xstrdup(name);
	f->fn = fn;
	f->ctx = ctx;
	f->next = set->filters;
	set->filters = f;
}

static const struct filter *
find_filter(const struct tmpl_set *set, const char *name, size_t len)
{
	const struct filter *f;

	for (f = set->filters; f; f = f->next)
		if (strlen(f->name) == len && memcmp(f->name, name, len) == 0)
			return f;
	return NULL;
}

struct parser {
	const struct tmpl_set *set;
	const char *name;
	const char *src, *p, *end;
	char *err;
};

static size_t
line_of(const struct parser *ps, const char *at)
{
	size_t line = 1;
	const char *c;

	for (c = ps->src; c < at; c++)
		line += *c == '\n';
	return line;
}

static int
parse_error(struct parser *ps, const char *at, const char *msg)
{
	struct buf b;

	if (!ps->err) {
		buf_init(&b, 1024);
		buf_printf(&b, "%s:%zu: %s", ps->name, line_of(ps, at), msg);
		ps->err = buf_detach(&b, NULL);
	}
	return KB_EINVAL;
}

static struct node *
node_new(enum node_type type, const char *text, size_t len)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->type = type;
	n->text = xstrndup(text, len);
	n->len = len;
	return n;
}

/* Trim spaces around a tag's name. */
static void
trim(const char **s, const char **e)
{
	while (*s < *e && (**s == ' ' || **s == '\t'))
		(*s)++;
	while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t'))
		(*e)--;
}

/*
 * Split "name|filter" (already trimmed) at the bar: *ne ends the name and
 * *filter is set, or NULL without a bar. An unknown filter, or one on a
 * section, partial or empty name, is an error.
 */
static int
parse_filter(struct parser *ps, const char *tag_start, enum node_type type,
    const char *ns, const char **ne, const struct filter **filter)
{
	const char *bar = memchr(ns, '|', (size_t)(*ne - ns)), *fs, *fe, *end;

	*filter = NULL;
	if (!bar)
		return KB_OK;
	if (type != N_VAR && type != N_RAW)
		return parse_error(ps, tag_start, "filters apply to values only");
	fs = bar + 1;
	fe = *ne;
	end = bar;
	trim(&fs, &fe);
	trim(&ns, &end);
	if (end == ns || fe == fs)
		return parse_error(ps, tag_start, "empty name or filter");
	*filter = find_filter(ps->set, fs, (size_t)(fe - fs));
	if (!*filter)
		return parse_error(ps, tag_start, "unknown filter");
	*ne = end;
	return KB_OK;
}

/*
 * Parse nodes until end of input or "{{/closing}}". Appends to *out.
 */
static int
parse_nodes(struct parser *ps, const char *closing, size_t closing_len,
    struct node **out, int depth)
{
	struct node **tail = out, *n;
	const char *open, *close, *ns, *ne, *tag_start;
	const struct filter *filter;
	enum node_type type;
	int rc;

	if (depth > TMPL_MAX_DEPTH)
		return parse_error(ps, ps->p, "sections nested too deeply");
	while (ps->p < ps->end) {
		open = memmem(ps->p, (size_t)(ps->end - ps->p), "{{", 2);
		if (!open)
			open = ps->end;
		if (open > ps->p) {
			*tail = node_new(N_TEXT, ps->p, (size_t)(open - ps->p));
			tail = &(*tail)->next;
		}
		if (open == ps->end) {
			ps->p = open;
			break;
		}
		tag_start = open;
		if (open + 2 < ps->end && open[2] == '{') {
			close = memmem(open + 3, (size_t)(ps->end - open - 3), "}}}", 3);
			if (!close)
				return parse_error(ps, open, "'{{{' without '}}}'");
			ns = open + 3;
			ne = close;
			trim(&ns, &ne);
			rc = parse_filter(ps, open, N_RAW, ns, &ne, &filter);
			if (rc)
				return rc;
			*tail = node_new(N_RAW, ns, (size_t)(ne - ns));
			(*tail)->filter = filter;
			tail = &(*tail)->next;
			ps->p = close + 3;
			continue;
		}
		close = memmem(open + 2, (size_t)(ps->end - open - 2), "}}", 2);
		if (!close)
			return parse_error(ps, open, "'{{' without '}}'");
		ns = open + 2;
		ne = close;
		ps->p = close + 2;
		type = N_VAR;
		switch (*ns) {
		case '!':
			continue;
		case '#': type = N_SECTION; ns++; break;
		case '^': type = N_INVERTED; ns++; break;
		case '>': type = N_PARTIAL; ns++; break;
		case '/':
			ns++;
			trim(&ns, &ne);
			if (!closing || (size_t)(ne - ns) != closing_len ||
			    memcmp(ns, closing, closing_len) != 0)
				return parse_error(ps, tag_start,
				    "closing tag does not match the open section");
			return KB_OK;
		}
		trim(&ns, &ne);
		if (ne == ns)
			return parse_error(ps, tag_start, "empty tag");
		rc = parse_filter(ps, tag_start, type, ns, &ne, &filter);
		if (rc)
			return rc;
		n = node_new(type, ns, (size_t)(ne - ns));
		n->filter = filter;
		*tail = n;
		tail = &n->next;
		if (type == N_SECTION || type == N_INVERTED) {
			rc = parse_nodes(ps, n->text, n->len, &n->child, depth + 1);
			if (rc)
				return rc;
		}
	}
	if (closing)
		return parse_error(ps, ps->end, "section is never closed");
	return KB_OK;
}

int
tmpl_set_add(struct tmpl_set *set, const char *name, const char *src,
    size_t len, char **err)
{
	struct parser ps = { set, name, src, src, src + len, NULL };
	struct tmpl *t;
	struct node *root = NULL;
	int rc;

	if (err)
		*err = NULL;
	rc = parse_nodes(&ps, NULL, 0, &root, 0);
	if (rc) {
		node_free(root);
		if (err)
			*err = ps.err;
		else
			free(ps.err);
		return rc;
	}
	t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name);
	t->root = root;
	t->next = set->head;
	set->head = t;
	return KB_OK;
}

int
tmpl_set_load_dir(struct tmpl_set *set, const char *dir,
    const char *const *names, char **err)
{
	struct buf path, src;
	int rc = KB_OK;

	buf_init(&path, 4096);
	buf_init(&src, 1 << 20);
	for (; *names && !rc; names++) {
		buf_reset(&path);
		buf_reset(&src);
		buf_printf(&path, "%s/%s.html", dir, *names);
		rc = file_read(buf_str(&path), &src);
		if (rc) {
			buf_reset(&path);
			buf_printf(&path, "%s/%s.html: %s", dir, *names,
			    kb_strerror(rc));
			if (err)
				*err = xstrdup(buf_str(&path));
			break;
		}
		rc = tmpl_set_add(set, *names, buf_str(&src), src.len, err);
	}
	buf_release(&path);
	buf_release(&src);
	return rc;
}

static const struct tmpl *
find(const struct tmpl_set *set, const char *name, size_t len)
{
	const struct tmpl *t;

	for (t = set->head; t; t = t->next)
		if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
			return t;
	return NULL;
}

/* ---- rendering ---- */

struct render {
	const struct tmpl_set *set;
	json_t *stack[TMPL_MAX_DEPTH * 2];
	int top;		/* index of the innermost context */
	struct buf *out;
	int rc;
};

static json_t *
lookup(const struct render *r, const char *name, size_t len)
{
	const char *dot, *end = name + len;
	json_t *v = NULL;
	int i;

	if (len == 1 && name[0] == '.')
		return r->stack[r->top];
	dot = memchr(name, '.', len);
	if (!dot)
		dot = end;
	for (i = r->top; i >= 0 && !v; i--)
		if (json_is_object(r->stack[i]))
			v = json_object_getn(r->stack[i], name, (size_t)(dot - name));
	while (v && dot < end) {
		name = dot + 1;
		dot = memchr(name, '.', (size_t)(end - name));
		if (!dot)
			dot = end;
		v = json_object_getn(v, name, (size_t)(dot - name));
	}
	return v;
}

static bool
truthy(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return true;
	case JSON_ARRAY:
		return json_array_size(v) > 0;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0;
	case JSON_TRUE:
		return true;
	default:
		return false;
	}
}

static void
emit_value(struct render *r, const json_t *v, bool escape)
{
	char num[64];
	int n;

	if (!v)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape)
			html_escape_buf(r->out, json_string_value(v),
			    json_string_length(v));
		else
			buf_append(r->out, json_string_value(v),
			    json_string_length(v));
		break;
	case JSON_INTEGER:
		n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		buf_append(r->out, num, (size_t)n);
		break;
	case JSON_REAL:
		n = snprintf(num, sizeof(num), "%g", json_real_value(v));
		buf_append(r->out, num, (size_t)n);
		break;
	default:
		break;	/* objects, arrays, booleans and null print nothing */
	}
}

/* The value through the node's filter, escaped unless raw. */
static void
emit_filtered(struct render *r, const struct node *n, const json_t *v)
{
	struct buf tmp;

	if (!v)
		return;
	buf_init(&tmp, r->out->cap);
	n->filter->fn(n->filter->ctx, r->stack[0], v, &tmp);
	if (tmp.err)
		r->rc = tmp.err;
	else if (n->type == N_VAR)
		html_escape_buf(r->out, buf_str(&tmp), tmp.len);
	else
		buf_append(r->out, buf_str(&tmp), tmp.len);
	buf_release(&tmp);
}

static void render_nodes(struct render *r, const struct node *n);

static void
push_and_render(struct render *r, json_t *ctx, const struct node *child)
{
	if (r->top + 1 >= (int)(sizeof(r->stack) / sizeof(r->stack[0]))) {
		r->rc = KB_ETOOBIG;
		return;
	}
	r->stack[++r->top] = ctx;
	render_nodes(r, child);
	r->top--;
}

static void
render_nodes(struct render *r, const struct node *n)
{
	const struct tmpl *t;
	json_t *v, *el;
	size_t i;

	for (; n && !r->rc && !r->out->err; n = n->next) {
		switch (n->type) {
		case N_TEXT:
			buf_append(r->out, n->text, n->len);
			break;
		case N_VAR:
		case N_RAW:
			if (n->filter)
				emit_filtered(r, n, lookup(r, n->text, n->len));
			else
				emit_value(r, lookup(r, n->text, n->len),
				    n->type == N_VAR);
			break;
		case N_SECTION:
			v = lookup(r, n->text, n->len);
			if (!v || !truthy(v))
				break;
			if (json_is_array(v)) {
				json_array_foreach(v, i, el)
					push_and_render(r, el, n->child);
			} else {
				push_and_render(r, v, n->child);
			}
			break;
		case N_INVERTED:
			v = lookup(r, n->text, n->len);
			if (!v || !truthy(v))
				render_nodes(r, n->child);
			break;
		case N_PARTIAL:
			t = find(r->set, n->text, n->len);
			if (!t) {
				r->rc = KB_ENOTFOUND;
				break;
			}
			push_and_render(r, r->stack[r->top], t->root);
			break;
		}
	}
}

int
tmpl_render(const struct tmpl_set *set, const char *name, json_t *data,
    struct buf *out)
{
	struct render r = { 0 };
	const struct tmpl *t = find(set, name, strlen(name));

	if (!t)
		return KB_ENOTFOUND;
	r.set = set;
	r.stack[0] = data;
	r.top = 0;
	r.out = out;
	render_nodes(&r, t->root);
	return r.rc ? r.rc : out->err;
}
