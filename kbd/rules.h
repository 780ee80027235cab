/*
 * rules.h - the background runner of the automatic escalation rules
 * (tickets_apply_rules()): every interval seconds, on its own database
 * connection, so no request waits for it.
 */
#ifndef KB_RULES_H
#define KB_RULES_H

struct rules;
struct workflow_config;

int rules_start(const char *db_path, const struct workflow_config *cfg,
    unsigned interval, struct rules **out, char **errmsg);
void rules_stop(struct rules *r);

#endif
