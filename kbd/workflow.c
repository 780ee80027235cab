/*
 * workflow.c - see workflow.h.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "util.h"
#include "workflow.h"
#include "banned.h"

static const char *const status_names[ST_COUNT] = {
	"new", "open", "pending", "escalated", "resolved", "closed",
};

static const char *const level_names[LEVEL_COUNT] = { "low", "medium", "high" };

/* allowed[from] is a bit set of the statuses `from` may move to. */
#define B(s) (1u << (s))
static const unsigned allowed[ST_COUNT] = {
	[ST_NEW] = B(ST_OPEN) | B(ST_PENDING) | B(ST_ESCALATED) | B(ST_RESOLVED),
	[ST_OPEN] = B(ST_PENDING) | B(ST_ESCALATED) | B(ST_RESOLVED),
	[ST_PENDING] = B(ST_OPEN) | B(ST_ESCALATED) | B(ST_RESOLVED),
	[ST_ESCALATED] = B(ST_OPEN) | B(ST_PENDING) | B(ST_RESOLVED),
	[ST_RESOLVED] = B(ST_CLOSED) | B(ST_OPEN),
	[ST_CLOSED] = B(ST_OPEN),
};
#undef B

int
status_parse(const char *s)
{
	int i;

	for (i = 0; s && i < ST_COUNT; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

const char *
status_name(enum status s)
{
	return (unsigned)s < ST_COUNT ? status_names[s] : "";
}

int
level_parse(const char *s)
{
	int i;

	for (i = 0; s && i < LEVEL_COUNT; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

const char *
level_name(enum level l)
{
	return (unsigned)l < LEVEL_COUNT ? level_names[l] : "";
}

bool
workflow_can_move(enum status from, enum status to)
{
	return (unsigned)from < ST_COUNT && (unsigned)to < ST_COUNT &&
	    (allowed[from] & (1u << to));
}

const char *
workflow_allowed(enum status from)
{
	static const char *const lists[ST_COUNT] = {
		[ST_NEW] = "open, pending, escalated, resolved",
		[ST_OPEN] = "pending, escalated, resolved",
		[ST_PENDING] = "open, escalated, resolved",
		[ST_ESCALATED] = "open, pending, resolved",
		[ST_RESOLVED] = "closed, open (reopen)",
		[ST_CLOSED] = "open (reopen)",
	};

	return (unsigned)from < ST_COUNT ? lists[from] : "";
}

int
workflow_priority(enum level impact, enum level urgency)
{
	/* P1 = 2 + 2 … P4: the sum of the two levels, high = 2 */
	int sum = (int)impact + (int)urgency;	/* 0..4 */

	return sum >= 4 ? 1 : sum == 3 ? 2 : sum == 2 ? 3 : 4;
}

static void
criterion_add(struct workflow_config *cfg, const char *id, const char *label,
    const char *description)
{
	cfg->criteria = xrealloc(cfg->criteria,
	    (cfg->ncriteria + 1) * sizeof(*cfg->criteria));
	cfg->criteria[cfg->ncriteria].id = xstrdup(id);
	cfg->criteria[cfg->ncriteria].label = xstrdup(label);
	cfg->criteria[cfg->ncriteria].description = xstrdup(description);
	cfg->ncriteria++;
}

static void
defaults(struct workflow_config *cfg)
{
	static const unsigned response[5] = { 0, 15, 60, 240, 480 };
	static const unsigned resolution[5] = { 0, 240, 480, 3 * 1440, 5 * 1440 };

	memset(cfg, 0, sizeof(*cfg));
	memcpy(cfg->response_minutes, response, sizeof(response));
	memcpy(cfg->resolution_minutes, resolution, sizeof(resolution));
	cfg->due_soon_percent = 75;
	cfg->reopen_limit = 2;
}

static void
default_criteria(struct workflow_config *cfg)
{
	cfg->builtin_criteria = true;
	criterion_add(cfg, "no-article", "No article solves it",
	    "The knowledge base has no article for this problem, or the article's "
	    "steps were followed and did not work.");
	criterion_add(cfg, "needs-privileges", "Needs rights L1 does not have",
	    "The fix needs administrator rights, server access or a change L1 is "
	    "not allowed to make.");
	criterion_add(cfg, "many-users", "Several users affected",
	    "More than one user or a whole site, team or service is affected: a "
	    "possible incident.");
	criterion_add(cfg, "security", "Security concern",
	    "Suspected compromise, phishing that was acted on, malware, or data "
	    "exposure.");
	criterion_add(cfg, "time-limit", "L1 time limit reached",
	    "L1 has spent the agreed time (30 minutes) without a fix.");
	criterion_add(cfg, "needs-root-cause", "Root cause or code change needed",
	    "The problem keeps coming back, or needs analysis, a vendor case or a "
	    "change by the development team (L2 to L3).");
}

void
workflow_config_release(struct workflow_config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->ncriteria; i++) {
		free(cfg->criteria[i].id);
		free(cfg->criteria[i].label);
		free(cfg->criteria[i].description);
	}
	free(cfg->criteria);
	memset(cfg, 0, sizeof(*cfg));
}

static int
config_error(struct workflow_config *cfg, char **err, const char *path,
    const char *what)
{
	struct buf b;

	buf_init(&b, 1024);
	buf_printf(&b, "%s: %s", path, what);
	if (err)
		*err = buf_detach(&b, NULL);
	else
		buf_release(&b);
	workflow_config_release(cfg);
	return KB_EINVAL;
}

int
workflow_config_load(const char *path, struct workflow_config *cfg, char **err)
{
	static const char *const prio[5] = { "", "P1", "P2", "P3", "P4" };
	json_error_t jerr;
	json_t *root, *sla, *p, *crit, *c;
	const char *id, *label, *desc;
	size_t i;
	int k;

	if (err)
		*err = NULL;
	defaults(cfg);
	if (!path) {
		default_criteria(cfg);
		return KB_OK;
	}
	root = json_load_file(path, 0, &jerr);
	if (!json_is_object(root)) {
		json_decref(root);
		return config_error(cfg, err, path, jerr.text[0] ? jerr.text :
		    "not a JSON object");
	}
	sla = json_object_get(root, "sla");
	for (k = 1; k <= 4 && sla; k++) {
		p = json_object_get(sla, prio[k]);
		if (!p)
			continue;
		if (!json_is_integer(json_object_get(p, "response_minutes")) ||
		    !json_is_integer(json_object_get(p, "resolution_minutes")) ||
		    json_integer_value(json_object_get(p, "response_minutes")) < 1 ||
		    json_integer_value(json_object_get(p, "resolution_minutes")) < 1) {
			json_decref(root);
			return config_error(cfg, err, path, "each sla.Pn needs positive "
			    "response_minutes and resolution_minutes");
		}
		cfg->response_minutes[k] = (unsigned)json_integer_value(
		    json_object_get(p, "response_minutes"));
		cfg->resolution_minutes[k] = (unsigned)json_integer_value(
		    json_object_get(p, "resolution_minutes"));
	}
	if (json_is_integer(json_object_get(root, "due_soon_percent")))
		cfg->due_soon_percent = (unsigned)json_integer_value(
		    json_object_get(root, "due_soon_percent"));
	if (json_is_integer(json_object_get(root, "reopen_limit")))
		cfg->reopen_limit = (unsigned)json_integer_value(
		    json_object_get(root, "reopen_limit"));
	crit = json_object_get(root, "criteria");
	if (crit && !json_is_array(crit)) {
		json_decref(root);
		return config_error(cfg, err, path, "criteria must be a list");
	}
	json_array_foreach(crit, i, c) {
		id = json_string_value(json_object_get(c, "id"));
		label = json_string_value(json_object_get(c, "label"));
		desc = json_string_value(json_object_get(c, "description"));
		if (!id || !*id || !label || !*label) {
			json_decref(root);
			return config_error(cfg, err, path,
			    "each criterion needs an id and a label");
		}
		criterion_add(cfg, id, label, desc ? desc : "");
	}
	if (!cfg->ncriteria)
		default_criteria(cfg);
	json_decref(root);
	return KB_OK;
}

const struct criterion *
workflow_criterion(const struct workflow_config *cfg, const char *id)
{
	size_t i;

	for (i = 0; id && i < cfg->ncriteria; i++)
		if (strcmp(cfg->criteria[i].id, id) == 0)
			return &cfg->criteria[i];
	return NULL;
}

json_t *
workflow_criteria_json(const struct workflow_config *cfg)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < cfg->ncriteria; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "id",
		    cfg->criteria[i].id, "label", cfg->criteria[i].label,
		    "description", cfg->criteria[i].description));
	return a;
}

json_t *
workflow_sla_json(const struct workflow_config *cfg)
{
	static const char *const prio[5] = { "", "P1", "P2", "P3", "P4" };
	json_t *a = json_array();
	int k;

	for (k = 1; k <= 4; k++)
		json_array_append_new(a, json_pack("{s:s, s:i, s:i}", "priority",
		    prio[k], "response_minutes", (int)cfg->response_minutes[k],
		    "resolution_minutes", (int)cfg->resolution_minutes[k]));
	return a;
}

time_t
workflow_response_due(const struct workflow_config *cfg, int priority,
    time_t created)
{
	if (priority < 1 || priority > 4)
		priority = 4;
	return created + (time_t)cfg->response_minutes[priority] * 60;
}

time_t
workflow_resolution_due(const struct workflow_config *cfg, int priority,
    time_t created)
{
	if (priority < 1 || priority > 4)
		priority = 4;
	return created + (time_t)cfg->resolution_minutes[priority] * 60;
}
