/*
 * Unit tests for kbd/standing.c: the Wilson lower bound an article's votes
 * give it, and the table read from a real store, read again after a vote.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

#include "err.h"
#include "feedback.h"
#include "standing.h"
#include "store.h"

/* Values worked out with Python: (p + z²/2n − z√(p(1−p)/n + z²/4n²)) / (1 + z²/n), z = 1.96. */
Test(standing, wilson_lower_bound)
{
	cr_expect_float_eq(standing_score(1, 0), 0.2065, 1e-4);
	cr_expect_float_eq(standing_score(10, 0), 0.7225, 1e-4);
	cr_expect_float_eq(standing_score(5, 5), 0.2366, 1e-4);
	cr_expect_float_eq(standing_score(1, 1), 0.0945, 1e-4);
	cr_expect_eq(standing_score(0, 7), 0);
	cr_expect_eq(standing_score(0, 0), 0);
	/* more helpful votes, higher; a not-helpful one lowers it */
	cr_expect_gt(standing_score(2, 0), standing_score(1, 0));
	cr_expect_lt(standing_score(3, 1), standing_score(3, 0));
	cr_expect_lt(standing_score(1000, 0), 1);
}

Test(standing, read_from_votes_and_again_after_a_vote)
{
	char dir[] = "/tmp/kbd-standing-XXXXXX", path[128], cmd[160];
	char *err = NULL;
	struct standing_cache *c = standing_cache_new();
	struct search_prior prior;
	struct standing *t;
	struct refusal e;
	struct store *st;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/kbd.db", dir);
	cr_assert_eq(store_open(path, &st, &err), KB_OK, "%s", err ? err : "");

	/* no votes: nothing to nudge with */
	t = standing_prior(c, st, &prior);
	cr_expect_null(t);
	cr_expect_null(prior.standing);

	/* only not-helpful votes: still nothing */
	cr_assert_eq(feedback_vote(st, 1, "vpn/reset", false, &e), KB_OK);
	t = standing_prior(c, st, &prior);
	cr_expect_null(t);

	cr_assert_eq(feedback_vote(st, 2, "vpn/reset", true, &e), KB_OK);
	cr_assert_eq(feedback_vote(st, 1, "mail/quota", true, &e), KB_OK);
	cr_assert_eq(feedback_vote(st, 2, "mail/quota", true, &e), KB_OK);
	t = standing_prior(c, st, &prior);
	cr_assert_not_null(t);
	cr_assert_not_null(prior.standing);
	cr_expect_float_eq(prior.standing(prior.ctx, "mail/quota"),
	    standing_score(2, 0), 1e-12);
	cr_expect_float_eq(prior.standing(prior.ctx, "vpn/reset"),
	    standing_score(1, 1), 1e-12);
	cr_expect_eq(prior.standing(prior.ctx, "no/such"), 0);
	cr_expect_eq(prior.standing(prior.ctx, "mail"), 0);
	{
		int64_t yes, all;

		standing_votes(t, "vpn/reset", &yes, &all);
		cr_expect(yes == 1 && all == 2, "vpn/reset: %lld of %lld",
		    (long long)yes, (long long)all);
		standing_votes(t, "mail/quota", &yes, &all);
		cr_expect(yes == 2 && all == 2);
		standing_votes(t, "no/such", &yes, &all);
		cr_expect(yes == 0 && all == 0);
		standing_votes(NULL, "mail/quota", &yes, &all);
		cr_expect(yes == 0 && all == 0);
	}

	/* a changed vote is read again; the table held before stays whole */
	cr_assert_eq(feedback_vote(st, 2, "mail/quota", false, &e), KB_OK);
	{
		struct search_prior now;
		struct standing *t2 = standing_prior(c, st, &now);

		cr_assert_not_null(t2);
		cr_expect_float_eq(now.standing(now.ctx, "mail/quota"),
		    standing_score(1, 1), 1e-12);
		cr_expect_float_eq(prior.standing(prior.ctx, "mail/quota"),
		    standing_score(2, 0), 1e-12);
		standing_unref(t2);
	}
	standing_unref(t);
	standing_cache_free(c);
	store_close(st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}
