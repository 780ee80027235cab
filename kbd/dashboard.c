/*
 * dashboard.c - the metrics of metrics.h on a page (/dashboard: tables,
 * charts drawn on the server as SVG, the definition beside each figure),
 * as JSON (/api/v1/metrics) and as CSV (/api/v1/metrics/{table}.csv).
 *
 * Range arguments: from=YYYY-MM-DD and to=YYYY-MM-DD (both days included,
 * UTC; default the last 30 days), tier=L1|L2|L3 (default all).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "err.h"
#include "html.h"
#include "http.h"
#include "kbd.h"
#include "metrics.h"
#include "pages.h"
#include "store.h"
#include "ui_lang.h"
#include "util.h"
#include "view.h"
#include "widgets.h"
#include "banned.h"

#define DAY 86400
#define RANGE_DAYS_MAX 3660
#define CHART_W 640
#define CHART_H 240
#define CHART_PAD 32	/* room for the axis labels */

/* "2026-11-27" → its midnight UTC; -1 if not a real date. */
static int64_t
parse_day(const char *s)
{
	struct tm tm = { 0 }, back;
	char extra;
	time_t t;

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &extra) != 3)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	back = tm;
	t = timegm(&tm);
	/* timegm normalises 2026-02-31: refuse what it had to change */
	if (t == (time_t)-1 || tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon)
		return -1;
	return (int64_t)t;
}

static void
day_text(int64_t t, char out[16])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* The range of the request, or false with a 400 in resp. */
static bool
parse_range(struct kbd *kbd, const struct req *r, struct response *resp,
    struct metrics_range *mr)
{
	const char *from = req_arg(r, "from"), *to = req_arg(r, "to");
	const char *tier = req_arg(r, "tier");
	int64_t today = (int64_t)time(NULL) / DAY * DAY;

	mr->to = to && *to ? parse_day(to) : today;
	mr->from = from && *from ? parse_day(from) : mr->to - 29 * DAY;
	mr->tier = 0;
	if (mr->from < 0 || mr->to < 0) {
		resp_error(kbd, r, resp, 400, "bad_parameter", "'from' and 'to' are "
		    "dates written YYYY-MM-DD.");
		return false;
	}
	mr->to += DAY;	/* the whole of the last day */
	if (mr->to <= mr->from || mr->to - mr->from > (int64_t)RANGE_DAYS_MAX * DAY) {
		resp_error(kbd, r, resp, 400, "bad_parameter", "'from' must come "
		    "before 'to', at most ten years apart.");
		return false;
	}
	if (tier && *tier && strcmp(tier, "all") != 0) {
		if ((tier[0] == 'L' || tier[0] == 'l') && tier[1] >= '1' &&
		    tier[1] <= '3' && !tier[2])
			mr->tier = tier[1] - '0';
		else if (tier[0] >= '1' && tier[0] <= '3' && !tier[1])
			mr->tier = tier[0] - '0';
		else {
			resp_error(kbd, r, resp, 400, "bad_parameter", "'tier' is L1, L2, "
			    "L3 or all.");
			return false;
		}
	}
	return true;
}

static json_t *
compute(struct kbd *kbd, const struct req *r, struct response *resp,
    struct metrics_range *mr)
{
	json_t *m;

	if (!parse_range(kbd, r, resp, mr))
		return NULL;
	if (!r->store || metrics_compute(r->store, mr, time(NULL), &m)) {
		resp_error(kbd, r, resp, 503, "store_unavailable", "The metrics cannot "
		    "be computed right now.");
		return NULL;
	}
	return m;
}

void
api_metrics(struct kbd *kbd, const struct req *r, struct response *resp)
{
	struct metrics_range mr;
	json_t *m = compute(kbd, r, resp, &mr);

	if (!m)
		return;
	json_object_set_new(m, "definitions", metrics_definitions());
	resp_json(resp, 200, m);
}

/* ---- CSV ---- */

/*
 * One CSV field: quoted when it holds a comma, quote or line break; a
 * leading = + - @ gets a ' so a spreadsheet never runs it as a formula.
 */
static void
csv_field(struct buf *b, json_t *v)
{
	char num[64];
	const char *s;
	bool quote;

	if (json_is_null(v) || !v)
		return;
	if (json_is_integer(v)) {
		buf_printf(b, "%lld", (long long)json_integer_value(v));
		return;
	}
	if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%.4f", json_real_value(v));
		buf_puts(b, num);
		return;
	}
	s = json_string_value(v);
	if (!s)
		return;
	quote = strpbrk(s, ",\"\r\n") || strchr("=+-@\t", s[0]) != NULL;
	if (quote)
		buf_putc(b, '"');
	if (s[0] && strchr("=+-@\t", s[0]))
		buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	if (quote)
		buf_putc(b, '"');
}

static void
csv_rows(struct buf *b, json_t *rows, const char *const *cols)
{
	json_t *row;
	size_t i, c;

	for (c = 0; cols[c]; c++)
		buf_printf(b, "%s%s", c ? "," : "", cols[c]);
	buf_puts(b, "\r\n");
	json_array_foreach(rows, i, row) {
		for (c = 0; cols[c]; c++) {
			if (c)
				buf_putc(b, ',');
			csv_field(b, json_object_get(row, cols[c]));
		}
		buf_puts(b, "\r\n");
	}
}

void
api_metrics_csv(struct kbd *kbd, const struct req *r, struct response *resp)
{
	static const char *const tier_cols[] = { "tier", "entered", "resolved",
		"first_contact_resolution", "escalated", "escalation_rate",
		"deescalated", "deescalation_rate", "first_response_mean_seconds",
		"first_response_median_seconds", "mttr_seconds",
		"resolution_median_seconds", "sla_met", "reopen_rate", "backlog",
		"backlog_mean_age_seconds", "backlog_oldest_seconds", NULL };
	static const char *const queue_cols[] = { "queue", "resolved",
		"mttr_seconds", "sla_met", "reopen_rate", "backlog", NULL };
	static const char *const agent_cols[] = { "agent", "resolved",
		"mttr_seconds", "sla_met", "reopen_rate", "backlog", "escalations",
		NULL };
	static const char *const reason_cols[] = { "tier", "reason", "count", NULL };
	static const char *const article_cols[] = { "slug", "tickets", NULL };
	static const char *const gap_cols[] = { "query", "count", NULL };
	struct metrics_range mr;
	json_t *m, *rows = NULL, *t, *reason;
	const char *table = r->rest;
	char name[16];
	size_t i;
	int tier;

	if (!str_ends_with(table, ".csv")) {
		resp_error(kbd, r, resp, 404, "not_found", "Tables: tiers.csv, "
		    "queues.csv, agents.csv, reasons.csv, articles.csv, gaps.csv.");
		return;
	}
	if (!(m = compute(kbd, r, resp, &mr)))
		return;
	buf_reset(&resp->body);
	if (strcmp(table, "tiers.csv") == 0 || strcmp(table, "reasons.csv") == 0) {
		rows = json_array();
		for (tier = 1; tier <= 3; tier++) {
			snprintf(name, sizeof(name), "L%d", tier);
			if (!(t = json_object_get(m, name)))
				continue;
			if (table[0] == 't') {
				json_array_append(rows, t);
				continue;
			}
			json_array_foreach(json_object_get(t, "escalation_reasons"), i, reason)
				json_array_append_new(rows, json_pack("{s:s, s:O, s:O}", "tier",
				    name, "reason", json_object_get(reason, "reason"), "count",
				    json_object_get(reason, "count")));
		}
		csv_rows(&resp->body, rows, table[0] == 't' ? tier_cols : reason_cols);
	} else if (strcmp(table, "queues.csv") == 0) {
		csv_rows(&resp->body, json_object_get(m, "queues"), queue_cols);
	} else if (strcmp(table, "agents.csv") == 0) {
		csv_rows(&resp->body, json_object_get(m, "agents"), agent_cols);
	} else if (strcmp(table, "articles.csv") == 0) {
		csv_rows(&resp->body, json_object_get(json_object_get(m, "knowledge"),
		    "top_articles"), article_cols);
	} else if (strcmp(table, "gaps.csv") == 0) {
		csv_rows(&resp->body, json_object_get(json_object_get(m, "knowledge"),
		    "gaps"), gap_cols);
	} else {
		json_decref(m);
		resp_error(kbd, r, resp, 404, "not_found", "Tables: tiers.csv, "
		    "queues.csv, agents.csv, reasons.csv, articles.csv, gaps.csv.");
		return;
	}
	json_decref(rows);
	json_decref(m);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp->download = true;
}

/* ---- the page ---- */

/* A criterion's name in the interface language (crit_<id>_label), else its id. */
static json_t *
reason_label(struct kbd *kbd, const struct req *r, const char *id)
{
	struct buf key;
	const char *text, *p;
	json_t *out;

	buf_init(&key, 256);
	buf_puts(&key, "crit_");
	for (p = id; p && *p; p++)
		buf_putc(&key, *p == '-' ? '_' : *p);
	buf_puts(&key, "_label");
	text = req_text(kbd, r, buf_str(&key));
	out = json_string(strcmp(text, buf_str(&key)) ? text : id ? id : "");
	buf_release(&key);
	return out;
}


static double
num(json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : 0;
}

/* 0.8123 → 81 (percent, for text and bar heights); null stays null. */
static json_t *
percent(json_t *v)
{
	return json_is_number(v) ? json_integer((json_int_t)llround(
	    json_number_value(v) * 100)) : json_null();
}

/* o[key] as obj[name + "_pct"] (a number or null) and "_pct_text" ("81%", "–"). */
static void
set_percent(json_t *o, const char *name, json_t *v)
{
	char key[64], text[16];

	snprintf(key, sizeof(key), "%s_pct", name);
	json_object_set_new(o, key, percent(v));
	snprintf(key, sizeof(key), "%s_pct_text", name);
	if (json_is_number(v))
		snprintf(text, sizeof(text), "%lld%%", (long long)llround(
		    json_number_value(v) * 100));
	else
		snprintf(text, sizeof(text), "–");
	json_object_set_new(o, key, json_string(text));
}

/*
 * A vertical bar chart: groups of bars (one per series) with values 0..max,
 * as rectangles in a CHART_W × CHART_H box: {"width","height","groups":
 * [{label, x}], "bars":[{x,y,w,h,series,series_label,value,label}],
 * "ticks":[{y,label}]}; series_keys name each series in the catalogue.
 */
static json_t *
bar_chart(struct kbd *kbd, const struct req *r, json_t *groups,
    const char *const *series, const char *const *series_keys, double max,
    const char *unit)
{
	json_t *bars = json_array(), *g_out = json_array(), *ticks = json_array();
	size_t ng = json_array_size(groups), ns = 0, g, s;
	double gw, bw, plot_h = CHART_H - CHART_PAD, x, h, v;
	json_t *grp, *val;
	char text[32];
	int i;

	while (series[ns])
		ns++;
	if (max <= 0)
		max = 1;
	gw = ng ? (double)(CHART_W - CHART_PAD) / (double)ng : 0;
	bw = ns ? gw * 0.8 / (double)ns : 0;
	for (g = 0; g < ng; g++) {
		grp = json_array_get(groups, g);
		x = CHART_PAD + (double)g * gw + gw * 0.1;
		json_array_append_new(g_out, json_pack("{s:O, s:i}", "label",
		    json_object_get(grp, "label"), "x", (int)(x + bw * (double)ns / 2)));
		for (s = 0; s < ns; s++) {
			val = json_object_get(grp, series[s]);
			v = num(val);
			h = fmin(v, max) / max * (plot_h - 8);
			if (json_is_null(val) || !val)
				snprintf(text, sizeof(text), "–");
			else
				snprintf(text, sizeof(text), "%g%s", round(v * 10) / 10, unit);
			json_array_append_new(bars, json_pack("{s:i, s:i, s:i, s:i, s:s,"
			    " s:s, s:s, s:O}", "x", (int)(x + bw * (double)s), "y",
			    (int)(plot_h - h), "w", (int)fmax(bw - 2, 1), "h", (int)h,
			    "series", series[s], "series_label", req_text(kbd, r,
			    series_keys[s]), "value", text, "label",
			    json_object_get(grp, "label")));
		}
	}
	for (i = 0; i <= 4; i++) {
		snprintf(text, sizeof(text), "%g%s", max * i / 4, unit);
		json_array_append_new(ticks, json_pack("{s:i, s:s}", "y",
		    (int)(plot_h - (plot_h - 8) * i / 4), "label", text));
	}
	return json_pack("{s:i, s:i, s:i, s:o, s:o, s:o}", "width", CHART_W,
	    "height", CHART_H, "base", (int)plot_h, "groups", g_out, "bars", bars,
	    "ticks", ticks);
}

void
page_dashboard(struct kbd *kbd, const struct req *r, struct response *resp)
{
	static const char *const rate_series[] = { "fcr", "sla", "esc", NULL };
	static const char *const rate_keys[] = { "dash_series_fcr",
		"dash_series_sla", "dash_series_esc" };
	static const char *const backlog_series[] = { "under_1d", "1d_3d", "3d_7d",
		"over_7d", NULL };
	static const char *const backlog_keys[] = { "dash_series_under_1d",
		"dash_series_1d_3d", "dash_series_3d_7d", "dash_series_over_7d" };
	static const char *const count_series[] = { "count", NULL };
	static const char *const count_keys[] = { "dash_col_escalations" };
	static const char *const tier_values[] = { "all", "L1", "L2", "L3", NULL };
	static const char *const tier_keys[] = { "dash_tier_all", "dash_tier_l1",
		"dash_tier_l2", "dash_tier_l3" };
	static const char *const csv_tables[] = { "tiers", "reasons", "queues",
		"agents", "articles", "gaps", NULL };
	struct metrics_range mr;
	json_t *m = compute(kbd, r, resp, &mr), *data, *tiers, *t, *k, *g;
	json_t *rate_groups, *backlog_groups, *reason_groups, *reason;
	double backlog_max = 0, reason_max = 0;
	char name[16], from[16], to[16], url[160];
	const char *table;
	size_t i;
	int tier;

	if (!m)
		return;
	tiers = json_array();
	rate_groups = json_array();
	backlog_groups = json_array();
	reason_groups = json_array();
	for (tier = 1; tier <= 3; tier++) {
		snprintf(name, sizeof(name), "L%d", tier);
		if (!(t = json_object_get(m, name)))
			continue;
		json_array_append(tiers, t);
		set_percent(t, "fcr", json_object_get(t, "first_contact_resolution"));
		set_percent(t, "escalation", json_object_get(t, "escalation_rate"));
		set_percent(t, "deescalation", json_object_get(t, "deescalation_rate"));
		set_percent(t, "sla", json_object_get(t, "sla_met"));
		set_percent(t, "reopen", json_object_get(t, "reopen_rate"));
		json_object_set_new(t, "mttr_text", widget_elapsed(kbd, r, json_object_get(t,
		    "mttr_seconds")));
		json_object_set_new(t, "resolution_median_text", widget_elapsed(kbd, r,
		    json_object_get(t, "resolution_median_seconds")));
		json_object_set_new(t, "first_response_text", widget_elapsed(kbd, r,
		    json_object_get(t, "first_response_mean_seconds")));
		json_object_set_new(t, "first_response_median_text", widget_elapsed(kbd, r,
		    json_object_get(t, "first_response_median_seconds")));
		json_object_set_new(t, "backlog_age_text", widget_elapsed(kbd, r, json_object_get(t,
		    "backlog_mean_age_seconds")));
		json_array_append_new(rate_groups, json_pack("{s:s, s:o, s:o, s:o}",
		    "label", name, "fcr", percent(json_object_get(t,
		    "first_contact_resolution")), "sla", percent(json_object_get(t,
		    "sla_met")), "esc", percent(json_object_get(t, "escalation_rate"))));
		g = json_deep_copy(json_object_get(t, "backlog_age"));
		json_object_set_new(g, "label", json_string(name));
		json_array_append_new(backlog_groups, g);
		for (i = 0; i < 4; i++)
			backlog_max = fmax(backlog_max, num(json_object_get(g,
			    backlog_series[i])));
		json_array_foreach(json_object_get(t, "escalation_reasons"), i, reason) {
			json_object_set_new(reason, "label", reason_label(kbd, r,
			    json_string_value(json_object_get(reason, "reason"))));
			json_array_append_new(reason_groups, json_pack("{s:s++, s:O}",
			    "label", name, " ", json_string_value(json_object_get(reason,
			    "label")), "count", json_object_get(reason, "count")));
			reason_max = fmax(reason_max, num(json_object_get(reason, "count")));
		}
	}
	data = page_data(kbd, r, req_text(kbd, r, "title_dashboard"), "");
	json_object_set_new(data, "tiers", tiers);
	json_object_set_new(data, "rate_chart", bar_chart(kbd, r, rate_groups,
	    rate_series, rate_keys, 100, "%"));
	json_object_set_new(data, "backlog_chart", bar_chart(kbd, r,
	    backlog_groups, backlog_series, backlog_keys, ceil(backlog_max / 4) * 4,
	    ""));
	json_object_set_new(data, "reason_chart", bar_chart(kbd, r,
	    reason_groups, count_series, count_keys, ceil(reason_max / 4) * 4, ""));
	json_decref(rate_groups);
	json_decref(backlog_groups);
	json_decref(reason_groups);
	k = json_object_get(m, "knowledge");
	set_percent(k, "link", json_object_get(k, "link_rate"));
	set_percent(k, "helpfulness", json_object_get(k, "helpfulness"));
	set_percent(k, "search_success", json_object_get(k, "search_success"));
	set_percent(k, "missed_deflection", json_object_get(k,
	    "missed_deflection_rate"));
	/* the searches that found nothing, one click from searching again */
	json_array_foreach(json_object_get(k, "gaps"), i, g) {
		const char *gq = json_string_value(json_object_get(g, "query"));
		struct buf u;
		buf_init(&u, 8192);
		buf_puts(&u, "/search?q=");
		url_encode_buf(&u, gq ? gq : "", gq ? strlen(gq) : 0, 0);
		json_object_set_new(g, "url", json_string(buf_str(&u)));
		buf_release(&u);
	}
	json_object_set_new(k, "flags_oldest_text", widget_elapsed(kbd, r, json_object_get(k,
	    "flags_oldest_age_seconds")));
	json_array_foreach(json_object_get(k, "top_articles"), i, g) {
		char *u = view_article_url(json_string_value(json_object_get(g, "slug")));
		json_object_set_new(g, "url", json_string(u));
		free(u);
	}
	json_array_foreach(json_object_get(m, "queues"), i, g) {
		json_object_set_new(g, "mttr_text", widget_elapsed(kbd, r, json_object_get(g,
		    "mttr_seconds")));
		set_percent(g, "sla", json_object_get(g, "sla_met"));
		set_percent(g, "reopen", json_object_get(g, "reopen_rate"));
	}
	json_array_foreach(json_object_get(m, "agents"), i, g) {
		json_object_set_new(g, "mttr_text", widget_elapsed(kbd, r, json_object_get(g,
		    "mttr_seconds")));
		set_percent(g, "sla", json_object_get(g, "sla_met"));
		set_percent(g, "reopen", json_object_get(g, "reopen_rate"));
	}
	json_object_set(data, "knowledge", k);
	json_object_set(data, "queues", json_object_get(m, "queues"));
	json_object_set(data, "agents", json_object_get(m, "agents"));
	json_object_set_new(data, "definitions", metrics_definitions());
	day_text(mr.from, from);
	day_text(mr.to - DAY, to);
	json_object_set_new(data, "range", json_pack("{s:s, s:s, s:s}", "from",
	    from, "to", to, "tier", mr.tier ? (mr.tier == 1 ? "L1" : mr.tier == 2 ?
	    "L2" : "L3") : "all"));
	/* the CSV of each table, for the same range */
	g = json_object();
	for (i = 0; (table = csv_tables[i]); i++) {
		snprintf(url, sizeof(url), "/api/v1/metrics/%s.csv?from=%s&to=%s&tier=%s",
		    table, from, to, mr.tier ? (mr.tier == 1 ? "L1" : mr.tier == 2 ?
		    "L2" : "L3") : "all");
		json_object_set_new(g, table, json_string(url));
	}
	json_object_set_new(data, "csv", g);
	/* values as the API takes them (L1), labels from dash_tier_<l1> */
	g = json_array();
	for (i = 0; tier_values[i]; i++)
		json_array_append_new(g, json_pack("{s:s, s:s, s:b}", "value",
		    tier_values[i], "label", req_text(kbd, r, tier_keys[i]), "selected",
		    (int)i == mr.tier));
	json_object_set_new(data, "tier_options", g);
	json_decref(m);
	resp_page(kbd, resp, 200, "dashboard", data);
}
