/* Unit tests for the ticket workflow rules and the incident log's hash chain. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "events.h"
#include "store.h"
#include "ticket_view.h"
#include "tickets.h"
#include "users.h"
#include "workflow.h"

Test(workflow, state_machine)
{
	/* new is only ever the first status */
	for (int s = 0; s < ST_COUNT; s++)
		cr_assert_not(workflow_can_move((enum status)s, ST_NEW), "%d → new", s);
	/* closed only from resolved */
	for (int s = 0; s < ST_COUNT; s++)
		cr_assert_eq(workflow_can_move((enum status)s, ST_CLOSED), s == ST_RESOLVED);
	cr_assert(workflow_can_move(ST_NEW, ST_OPEN));
	cr_assert(workflow_can_move(ST_OPEN, ST_PENDING));
	cr_assert(workflow_can_move(ST_PENDING, ST_ESCALATED));
	cr_assert(workflow_can_move(ST_ESCALATED, ST_RESOLVED));
	cr_assert(workflow_can_move(ST_RESOLVED, ST_OPEN), "reopen");
	cr_assert(workflow_can_move(ST_CLOSED, ST_OPEN), "reopen");
	cr_assert_not(workflow_can_move(ST_CLOSED, ST_RESOLVED));
	cr_assert_not(workflow_can_move(ST_OPEN, ST_OPEN));
	cr_assert(strstr(workflow_allowed(ST_NEW), "resolved") != NULL);
	cr_assert_eq(status_parse("pending"), ST_PENDING);
	cr_assert_eq(status_parse("Pending"), -1);
}

Test(workflow, priority_matrix)
{
	cr_assert_eq(workflow_priority(LEVEL_HIGH, LEVEL_HIGH), 1);
	cr_assert_eq(workflow_priority(LEVEL_HIGH, LEVEL_MEDIUM), 2);
	cr_assert_eq(workflow_priority(LEVEL_MEDIUM, LEVEL_HIGH), 2);
	cr_assert_eq(workflow_priority(LEVEL_HIGH, LEVEL_LOW), 3);
	cr_assert_eq(workflow_priority(LEVEL_MEDIUM, LEVEL_MEDIUM), 3);
	cr_assert_eq(workflow_priority(LEVEL_LOW, LEVEL_HIGH), 3);
	cr_assert_eq(workflow_priority(LEVEL_MEDIUM, LEVEL_LOW), 4);
	cr_assert_eq(workflow_priority(LEVEL_LOW, LEVEL_MEDIUM), 4);
	cr_assert_eq(workflow_priority(LEVEL_LOW, LEVEL_LOW), 4);
}

Test(workflow, sla_deadlines_and_config)
{
	struct workflow_config cfg;
	char *err = NULL;
	char path[] = "/tmp/kbd-wf-XXXXXX";
	int fd;
	FILE *f;

	cr_assert_eq(workflow_config_load(NULL, &cfg, &err), KB_OK);
	cr_assert_eq(workflow_response_due(&cfg, 1, 1000), 1000 + 15 * 60);
	cr_assert_eq(workflow_resolution_due(&cfg, 4, 0), 5 * 86400);
	cr_assert_not_null(workflow_criterion(&cfg, "no-article"));
	cr_assert_null(workflow_criterion(&cfg, "nope"));
	workflow_config_release(&cfg);

	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs("{\"sla\": {\"P1\": {\"response_minutes\": 5, \"resolution_minutes\": 60}},"
	    " \"criteria\": [{\"id\": \"vip\", \"label\": \"VIP caller\"}]}", f);
	fclose(f);
	cr_assert_eq(workflow_config_load(path, &cfg, &err), KB_OK, "%s", err ? err : "");
	cr_assert_eq(workflow_response_due(&cfg, 1, 0), 300);
	cr_assert_eq(workflow_resolution_due(&cfg, 2, 0), 480 * 60, "defaults kept");
	cr_assert_eq(cfg.ncriteria, 1);
	cr_assert_str_eq(cfg.criteria[0].id, "vip");
	workflow_config_release(&cfg);
	f = fopen(path, "w");
	fputs("{\"criteria\": [{\"label\": \"no id\"}]}", f);
	fclose(f);
	cr_assert_eq(workflow_config_load(path, &cfg, &err), KB_EINVAL);
	cr_assert(strstr(err, "id") != NULL);
	free(err);
	unlink(path);
}

Test(workflow, ticket_ids)
{
	char out[16];

	cr_assert_eq(tickets_parse_id("T-000123"), 123);
	cr_assert_eq(tickets_parse_id("123"), 123);
	cr_assert_eq(tickets_parse_id("T-"), 0);
	cr_assert_eq(tickets_parse_id("T-12x"), 0);
	cr_assert_eq(tickets_parse_id("T-0"), 0);
	cr_assert_eq(tickets_parse_id("T-99999999999"), 0);
	tickets_format_id(42, out);
	cr_assert_str_eq(out, "T-000042");
}

Test(workflow, hash_chain_detects_tampering)
{
	char dir[] = "/tmp/kbd-ev-XXXXXX", path[256], cmd[512];
	struct store *st;
	int64_t bad, count;
	struct event e = { 1, "sara", "created", "", "", "new", "first" };

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/kbd.db", dir);
	cr_assert_eq(store_open(path, &st, NULL), KB_OK);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(events_append(st, &e), KB_OK);
	cr_assert_eq(events_verify(st, &bad, &count), KB_OK);
	cr_assert_eq(count, 5);
	/* the store refuses edits */
	cr_assert_neq(sqlite3_exec(store_db(st), "UPDATE events SET note = 'x'", NULL,
	    NULL, NULL), SQLITE_OK);
	cr_assert_neq(sqlite3_exec(store_db(st), "DELETE FROM events", NULL, NULL,
	    NULL), SQLITE_OK);
	/* someone with the file drops the guard and edits event 3 */
	cr_assert_eq(sqlite3_exec(store_db(st), "DROP TRIGGER events_no_update;"
	    "UPDATE events SET note = 'edited' WHERE id = 3", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(events_verify(st, &bad, &count), KB_EINVAL);
	cr_assert_eq(bad, 3);
	cr_assert_eq(count, 2);
	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

Test(workflow, tickets_move_and_escalate_in_the_store)
{
	char dir[] = "/tmp/kbd-tk-XXXXXX", path[256], cmd[512];
	struct store *st;
	struct workflow_config cfg;
	struct refusal e = { 0 };
	struct actor l1 = { "sara", ROLE_L1 }, l2 = { "omar", ROLE_L2 };
	json_error_t jerr;
	json_t *in, *t;
	int64_t id, bad, count;
	unsigned fired;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/kbd.db", dir);
	cr_assert_eq(store_open(path, &st, NULL), KB_OK);
	cr_assert_eq(workflow_config_load(NULL, &cfg, NULL), KB_OK);
	in = json_loads("{\"title\": \"VPN 809\", \"requester\": {\"name\": \"Ali\"},"
	    " \"impact\": \"medium\", \"urgency\": \"high\"}", 0, &jerr);
	cr_assert_eq(tickets_create(st, &cfg, &l1, in, &id, &e), KB_OK, "%s", e.message);
	json_decref(in);
	cr_assert_eq(ticket_view_get(st, &cfg, id, &t), KB_OK);
	cr_assert_str_eq(json_string_value(json_object_get(t, "priority")), "P2");
	cr_assert_str_eq(json_string_value(json_object_get(t, "status")), "new");
	json_decref(t);

	in = json_loads("{\"status\": \"closed\"}", 0, &jerr);
	cr_assert_eq(tickets_update(st, &cfg, &l1, id, in, &e), KB_EINVAL);
	cr_assert_eq(e.status, 409);
	json_decref(in);

	in = json_loads("{\"reason\": \"no-article\", \"tried\": \"x\", \"steps\": \"\"}", 0, &jerr);
	cr_assert_eq(tickets_escalate(st, &cfg, &l1, id, in, &e), KB_EINVAL);
	cr_assert_eq(e.status, 422);
	cr_assert_eq(json_array_size(e.fields), 2, "steps and articles");
	refusal_release(&e);
	json_decref(in);

	in = json_loads("{\"reason\": \"no-article\", \"tried\": \"cleared cache\", "
	    "\"steps\": \"connect\", \"articles\": [\"network/vpn\"]}", 0, &jerr);
	cr_assert_eq(tickets_escalate(st, &cfg, &l1, id, in, &e), KB_OK, "%s", e.message);
	json_decref(in);
	/* L1 can no longer change it; L2 takes it */
	in = json_loads("{\"status\": \"resolved\"}", 0, &jerr);
	cr_assert_eq(tickets_update(st, &cfg, &l1, id, in, &e), KB_EINVAL);
	cr_assert_eq(e.status, 403);
	cr_assert_eq(tickets_take(st, &l2, id, &e), KB_OK);
	cr_assert_eq(tickets_update(st, &cfg, &l2, id, in, &e), KB_OK);
	json_decref(in);
	cr_assert_eq(ticket_view_get(st, &cfg, id, &t), KB_OK);
	cr_assert_str_eq(json_string_value(json_object_get(t, "tier")), "L2");
	cr_assert_str_eq(json_string_value(json_object_get(t, "status")), "resolved");
	cr_assert_str_eq(json_string_value(json_object_get(t, "assignee")), "omar");
	json_decref(t);

	/* the rules: a P1 at L1 is escalated automatically, once */
	in = json_loads("{\"title\": \"All down\", \"requester\": {\"name\": \"CEO\"},"
	    " \"impact\": \"high\", \"urgency\": \"high\"}", 0, &jerr);
	cr_assert_eq(tickets_create(st, &cfg, &l1, in, &id, &e), KB_OK);
	json_decref(in);
	cr_assert_eq(tickets_apply_rules(st, &cfg, time(NULL), &fired), KB_OK);
	cr_assert_eq(fired, 1);
	cr_assert_eq(tickets_apply_rules(st, &cfg, time(NULL), &fired), KB_OK);
	cr_assert_eq(fired, 0);
	/* an overdue L1 ticket is escalated by the SLA rule */
	in = json_loads("{\"title\": \"Slow\", \"requester\": {\"name\": \"B\"},"
	    " \"impact\": \"low\", \"urgency\": \"low\"}", 0, &jerr);
	cr_assert_eq(tickets_create(st, &cfg, &l1, in, &id, &e), KB_OK);
	json_decref(in);
	cr_assert_eq(tickets_apply_rules(st, &cfg, time(NULL) + 6 * 86400, &fired), KB_OK);
	cr_assert_eq(fired, 1);
	cr_assert_eq(events_verify(st, &bad, &count), KB_OK);
	cr_assert_gt(count, 6);
	workflow_config_release(&cfg);
	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
