/*
 * demo.c - kbd-demo: fill an empty kbd database with a generated year of
 * help-desk history, so that the metrics dashboard (/dashboard,
 * /api/v1/metrics) has something to show and can be timed.
 *
 *   kbd-demo DATA_DIR [TICKETS] [--seed N]
 *
 * DATA_DIR/kbd.db is opened with store_open() (created and migrated like
 * kbd does); a database that already has tickets or events is refused.
 * TICKETS defaults to 50000, the seed to a fixed value. The history ends
 * at the start of the current hour (UTC): the same seed and ticket count
 * give the same database when run within the same hour, and the same
 * shape at any time.
 *
 * What is written, a year ending now:
 *   - users: the 'admin' account exactly as kbd's first start makes it
 *     (cli_initial_admin: DATA_DIR/initial-admin-password), and the agents
 *     named in the tickets (l1, l2, l3) with random passwords (set one with
 *     `kbd --data DATA_DIR user passwd NAME` to sign in as that agent);
 *   - tickets created over the year, weekday daytime peaks, a slow growth
 *     and a few incidents (bursts of one problem), each played through the
 *     workflow of kbd/tickets.c: take, comments, pending, escalation with a
 *     handoff, de-escalation, resolution, closing, reopening. The automatic
 *     rules of tickets_apply_rules() are played too (p1-at-l1,
 *     sla-breached, reopened, every 30 s), so a kbd started on the result
 *     finds nothing left to escalate. Whatever would happen after now does
 *     not happen: the recent tickets are still new, open, pending or
 *     escalated;
 *   - escalations, comments, ticket links (consulted, resolved-by,
 *     sent-to-requester, created-from: slugs of the shipped articles),
 *     and the incident log: every change as an event, hash-chained exactly
 *     as kbd/events.c does (`kbd --data DATA_DIR verify-log` passes);
 *   - article votes and flags (a few still open, with their article
 *     events), the search log with page ids, some searches finding nothing
 *     (knowledge gaps), and the opened results of about 60 % of them.
 *
 * Rows are inserted in transactions of 50,000 with synchronous=OFF (the
 * generator only; kbd itself keeps FULL). Progress goes to stderr, the
 * summary to stdout (50,000 tickets: about 10 s, a 130 MB database).
 * Exit: 0 done, 1 refused or failed, 2 usage.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "audit.h"
#include "buf.h"
#include "cli.h"
#include "err.h"
#include "log.h"
#include "store.h"
#include "users.h"
#include "util.h"
#include "workflow.h"
#include "banned.h"

#define DAY 86400
#define HOUR 3600
#define MINUTE 60
#define DEFAULT_TICKETS 50000
#define DEFAULT_SEED 20261127
#define TICKETS_MAX 5000000L
#define RULES_INTERVAL 30	/* kbd's default --rules-interval */
#define BATCH 50000		/* rows per transaction */
#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* ---- random numbers: xoshiro256**, seeded by splitmix64 ---- */

static uint64_t rs[4];

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
seed_rng(uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rs[i] = splitmix(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rnd(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

/* [0, 1) */
static double
unif(void)
{
	return (double)(rnd() >> 11) * 0x1.0p-53;
}

static bool
chance(double p)
{
	return unif() < p;
}

/* [0, n) */
static size_t
pick(size_t n)
{
	return n ? (size_t)(unif() * (double)n) : 0;
}

/* [lo, hi] */
static int64_t
between(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(unif() * (double)(hi - lo + 1));
}

static double
gauss(void)
{
	double u = unif(), v = unif();

	return sqrt(-2.0 * log(1.0 - u)) * cos(2.0 * M_PI * v);
}

/* Log-normal: half below median; sigma is the spread of the logarithm. */
static int64_t
lognorm(double median, double sigma)
{
	double x = median * exp(sigma * gauss());

	return x < 1 ? 1 : x > 200.0 * DAY ? 200 * DAY : (int64_t)x;
}

static int64_t
expo(double mean)
{
	return (int64_t)(-mean * log(1.0 - unif()));
}

/* ---- strings made at run time live until exit ---- */

static struct {
	char **blocks;
	size_t n;
	char *cur;
	size_t used, cap;
} arena;

static char *
arena_alloc(size_t len)
{
	char *p;

	if (!arena.cur || arena.used + len > arena.cap) {
		arena.cap = len > (1 << 20) ? len : (1 << 20);
		arena.cur = xmalloc(arena.cap);
		arena.used = 0;
		arena.blocks = xrealloc(arena.blocks, (arena.n + 1) * sizeof(*arena.blocks));
		arena.blocks[arena.n++] = arena.cur;
	}
	p = arena.cur + arena.used;
	arena.used += len;
	return p;
}

static const char *aprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *
aprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	char *p;
	int n;

	va_start(ap, fmt);
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	p = arena_alloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

static void
arena_release(void)
{
	size_t i;

	for (i = 0; i < arena.n; i++)
		free(arena.blocks[i]);
	free(arena.blocks);
}

/* A growing array of T: VEC_PUSH(v) returns a pointer to a new zeroed slot. */
#define VEC(T) struct { T *v; size_t n, cap; }
#define VEC_PUSH(vec) \
	((vec).n == (vec).cap ? ((vec).cap = (vec).cap ? (vec).cap * 2 : 1024, \
	    (vec).v = xrealloc((vec).v, (vec).cap * sizeof(*(vec).v))) : 0, \
	    memset(&(vec).v[(vec).n], 0, sizeof(*(vec).v)), &(vec).v[(vec).n++])

/* ---- the desk ---- */

struct agent {
	const char *name;
	enum role role;
	const char *team;	/* L2/L3 queue it mostly works, NULL at L1 */
	int since, until;	/* days from the start of the year it works */
	int64_t user_id;
};

static struct agent agents[] = {
	{ "amira.k", ROLE_L1, NULL, 0, 366, 0 },
	{ "ben.walsh", ROLE_L1, NULL, 0, 262, 0 },
	{ "chen.li", ROLE_L1, NULL, 0, 366, 0 },
	{ "dina.saleh", ROLE_L1, NULL, 0, 366, 0 },
	{ "ehab.m", ROLE_L1, NULL, 0, 366, 0 },
	{ "fatima.z", ROLE_L1, NULL, 0, 366, 0 },
	{ "george.p", ROLE_L1, NULL, 0, 366, 0 },
	{ "hana.y", ROLE_L1, NULL, 0, 366, 0 },
	{ "ivan.r", ROLE_L1, NULL, 0, 366, 0 },
	{ "jana.h", ROLE_L1, NULL, 40, 366, 0 },
	{ "karim.a", ROLE_L1, NULL, 0, 366, 0 },
	{ "lucy.o", ROLE_L1, NULL, 245, 366, 0 },
	{ "maya.n", ROLE_L1, NULL, 305, 366, 0 },
	{ "omar.f", ROLE_L1, NULL, 0, 366, 0 },
	{ "nadia.s", ROLE_L2, "L2 Identity", 0, 366, 0 },
	{ "paul.d", ROLE_L2, "L2 Network", 0, 366, 0 },
	{ "rania.t", ROLE_L2, "L2 Messaging", 0, 366, 0 },
	{ "sami.b", ROLE_L2, "L2 Desktop", 0, 366, 0 },
	{ "tariq.h", ROLE_L2, "L2 Endpoint", 0, 366, 0 },
	{ "vera.m", ROLE_L2, "L2 Files", 0, 366, 0 },
	{ "yusuf.e", ROLE_L2, "L2 Security", 0, 366, 0 },
	{ "zoe.c", ROLE_L2, "L2 Collaboration", 120, 366, 0 },
	{ "adel.q", ROLE_L3, "L3 Infrastructure", 0, 366, 0 },
	{ "irene.w", ROLE_L3, "L3 Applications", 0, 366, 0 },
	{ "khalid.r", ROLE_L3, "L3 Security", 0, 366, 0 },
	{ "sofia.l", ROLE_L3, "L3 Applications", 0, 366, 0 },
};
#define NAGENTS (sizeof(agents) / sizeof(agents[0]))

/*
 * One kind of problem. slug: the shipped article that fixes it (NULL: none
 * does, a knowledge gap). esc: how often L1 escalates it by hand; reason:
 * the criterion it is usually escalated for.
 */
struct problem {
	const char *slug;
	const char *category;
	unsigned weight;
	double esc;
	const char *reason;
	const char *team;
	const char *titles[4];
	const char *title_ar;
	const char *desc;
	const char *queries[4];
	const char *query_ar;
	const char *fix;
	const char *slug_ar;	/* its Arabic article, for tickets in Arabic */
};

static const struct problem problems[] = {
	{ "accounts/password-reset", "Accounts", 90, 0.03, "needs-privileges", "L2 Identity",
	  { "Forgot password", "Password expired, cannot sign in", "Needs a password reset", NULL },
	  "نسيت كلمة المرور",
	  "The user cannot sign in to Windows or Microsoft 365: the password was forgotten or has expired.",
	  { "password reset", "forgot password", "reset password self service", "sspr" },
	  "إعادة تعيين كلمة المرور",
	  "Identity checked; password reset, user signed in and chose a new one.",
	  "ar/accounts/password-reset" },
	{ "accounts/account-locked-out", "Accounts", 60, 0.07, "needs-privileges", "L2 Identity",
	  { "Account locked out", "Locked out after password change", "Account keeps locking", NULL },
	  "الحساب مقفل",
	  "The account is locked after several failed sign-ins, often right after a password change.",
	  { "account locked", "locked out", "account lockout keeps happening", NULL },
	  "الحساب مقفل",
	  "Unlocked; old password removed from the phone's mail app.",
	  "ar/accounts/account-locked-out" },
	{ "accounts/mfa-new-or-lost-phone", "Accounts", 35, 0.14, "needs-privileges", "L2 Identity",
	  { "New phone, MFA not working", "Lost phone, cannot approve sign-in", NULL, NULL },
	  NULL,
	  "The user changed or lost the phone that holds Microsoft Authenticator and cannot complete MFA.",
	  { "mfa new phone", "lost phone authenticator", "authenticator new phone", NULL },
	  NULL,
	  "MFA methods reset after identity check; Authenticator registered on the new phone.", NULL },
	{ "accounts/mfa-prompt-errors", "Accounts", 20, 0.18, "no-article", "L2 Identity",
	  { "AADSTS50076 when signing in", "MFA error AADSTS53003", "Sign-in blocked with AADSTS50079", NULL },
	  NULL,
	  "Sign-in to Microsoft 365 fails with an AADSTS error about MFA or conditional access.",
	  { "AADSTS50076", "AADSTS53003", "mfa error", "AADSTS50079" },
	  NULL,
	  "Device compliance fixed; sign-in works again.", NULL },
	{ "accounts/mfa-enrolment", "Accounts", 25, 0.03, "needs-privileges", "L2 Identity",
	  { "Set up MFA for a new starter", "MFA registration prompt", NULL, NULL },
	  "إعداد المصادقة متعددة العوامل",
	  "The user is asked to register for MFA and needs help with Microsoft Authenticator.",
	  { "mfa setup", "authenticator enrol", "register mfa", NULL },
	  "المصادقة متعددة العوامل",
	  "Walked the user through enrolment; test sign-in approved.",
	  "ar/accounts/mfa-enrolment" },
	{ "accounts/passkey-sign-in-pilot", "Accounts", 3, 0.30, "no-article", "L2 Identity",
	  { "Passkey sign-in fails (pilot)", NULL, NULL, NULL },
	  NULL,
	  "A pilot user cannot sign in with a passkey from Microsoft Authenticator.",
	  { "passkey", "passkey sign in", NULL, NULL },
	  NULL,
	  "Passkey re-registered; the user is in the pilot group again.", NULL },
	{ "email/outlook-keeps-asking-password", "Email", 45, 0.09, "time-limit", "L2 Messaging",
	  { "Outlook keeps asking for password", "Outlook credential prompt loop", NULL, NULL },
	  "Outlook يطلب كلمة المرور",
	  "Outlook shows the password prompt again and again and does not connect.",
	  { "outlook password prompt", "outlook keeps asking password", "outlook credentials", NULL },
	  "Outlook كلمة المرور",
	  "Cached credentials cleared and profile repaired; Outlook connects.",
	  "ar/email/outlook-keeps-asking-password" },
	{ "email/outlook-send-receive-errors", "Email", 30, 0.18, "time-limit", "L2 Messaging",
	  { "Outlook error 0x800CCC0E", "Cannot send email 0x8004010F", "Outlook send/receive fails", NULL },
	  NULL,
	  "Outlook cannot send or receive; the error dialog shows a 0x800 code.",
	  { "0x800CCC0E", "0x8004010F", "outlook send receive error", NULL },
	  NULL,
	  "New Outlook profile created; send/receive works.", NULL },
	{ "email/shared-mailbox-not-showing", "Email", 30, 0.30, "needs-privileges", "L2 Messaging",
	  { "Shared mailbox not showing", "Need access to the team mailbox", NULL, NULL },
	  NULL,
	  "A shared mailbox the user should have does not appear in Outlook.",
	  { "shared mailbox", "shared mailbox not showing", "team mailbox access", NULL },
	  NULL,
	  "Full access granted by the mailbox owner's approval; mailbox appears after restart.", NULL },
	{ "email/outlook-ost-large-search", "Email", 15, 0.14, "time-limit", "L2 Messaging",
	  { "Outlook search not finding emails", "Mailbox data file too large", NULL, NULL },
	  NULL,
	  "Outlook search misses recent mail, or Outlook warns that the data file is too large.",
	  { "outlook search not working", "ost file large", "outlook search", NULL },
	  NULL,
	  "Search index rebuilt and cached mode set to 12 months.", NULL },
	{ "network/vpn-cannot-connect", "Network", 55, 0.18, "time-limit", "L2 Network",
	  { "VPN will not connect", "VPN error when working from home", "Cannot connect to VPN", NULL },
	  "VPN لا يتصل",
	  "The VPN client fails to connect from home; the user cannot reach internal systems.",
	  { "vpn cannot connect", "vpn error", "globalprotect", "vpn not connecting" },
	  "VPN لا يتصل",
	  "VPN client reinstalled and certificate renewed; connected.",
	  "ar/network/vpn-cannot-connect" },
	{ "network/vpn-connected-no-internal-sites", "Network", 20, 0.28, "time-limit", "L2 Network",
	  { "VPN connected but intranet not loading", "Internal sites fail on VPN", NULL, NULL },
	  NULL,
	  "The VPN shows connected but internal web sites and shares do not open.",
	  { "vpn connected no internal sites", "intranet not loading vpn", "vpn dns", NULL },
	  NULL,
	  "DNS suffix fixed on the adapter; internal sites load.", NULL },
	{ "network/wifi-cannot-connect", "Network", 35, 0.20, "time-limit", "L2 Network",
	  { "Corporate Wi-Fi keeps dropping", "Cannot join the office Wi-Fi", NULL, NULL },
	  "الواي فاي لا يتصل",
	  "The laptop will not join the corporate Wi-Fi or drops it every few minutes.",
	  { "wifi not connecting", "wifi drops", "802.1x", "wifi keeps disconnecting" },
	  "شبكة Wi-Fi",
	  "Wi-Fi profile and certificate reinstalled; connection stable.",
	  "ar/network/wifi-cannot-connect" },
	{ "network/wifi-guest-access", "Network", 15, 0.02, "needs-privileges", "L2 Network",
	  { "Guest Wi-Fi for visitors", "Visitor needs Wi-Fi access", NULL, NULL },
	  NULL,
	  "A meeting host asks for Wi-Fi access for visitors.",
	  { "guest wifi", "visitor wifi", NULL, NULL },
	  NULL,
	  "Guest vouchers issued for the day.", NULL },
	{ "network/browser-connection-reset-cert-date", "Network", 10, 0.20, "no-article", "L2 Network",
	  { "ERR_CONNECTION_RESET on an internal site", "Certificate date invalid error", NULL, NULL },
	  NULL,
	  "The browser shows ERR_CONNECTION_RESET or ERR_CERT_DATE_INVALID for a site that worked before.",
	  { "ERR_CONNECTION_RESET", "ERR_CERT_DATE_INVALID", "certificate error browser", NULL },
	  NULL,
	  "Clock resynchronised and proxy exception added; site opens.", NULL },
	{ "printing/printer-offline-queue-stuck", "Printing", 50, 0.16, "time-limit", "L2 Desktop",
	  { "Printer offline", "Print jobs stuck in the queue", "Cannot print to the 3rd floor printer", NULL },
	  "الطابعة غير متصلة",
	  "The printer shows offline, or jobs sit in the queue and nothing prints.",
	  { "printer offline", "print queue stuck", "cannot print", NULL },
	  "الطابعة لا تطبع",
	  "Print spooler restarted and queue cleared; test page printed.",
	  "ar/printing/printer-offline" },
	{ "printing/add-network-printer", "Printing", 25, 0.05, "needs-privileges", "L2 Desktop",
	  { "Add the printer on a new floor", "Install a network printer", NULL, NULL },
	  NULL,
	  "The user moved desks and needs the nearest network printer added.",
	  { "add printer", "install network printer", NULL, NULL },
	  NULL,
	  "Printer added from the print server; test page printed.", NULL },
	{ "hardware/laptop-slow", "Hardware", 35, 0.18, "time-limit", "L2 Endpoint",
	  { "Laptop very slow", "Computer freezing", "Laptop takes ages to start", NULL },
	  "الحاسوب بطيء",
	  "The laptop is very slow, freezes for seconds at a time, or takes long to start.",
	  { "laptop slow", "computer slow", "high cpu", "laptop freezing" },
	  "الحاسوب المحمول بطيء",
	  "Startup apps trimmed, updates finished, disk cleaned; performance normal.",
	  "ar/hardware/laptop-slow" },
	{ "hardware/second-monitor-not-detected", "Hardware", 25, 0.11, "time-limit", "L2 Desktop",
	  { "Second monitor not detected", "External screen black on the dock", NULL, NULL },
	  NULL,
	  "The second screen stays black or is not detected through the docking station.",
	  { "second monitor", "monitor not detected", "dock screen", NULL },
	  NULL,
	  "Display driver updated and cable replaced; both screens work.", NULL },
	{ "devices/disk-full", "Devices", 20, 0.07, "needs-privileges", "L2 Endpoint",
	  { "Disk full warning", "C: drive out of space", NULL, NULL },
	  NULL,
	  "Windows warns that the disk is almost full; updates and Outlook fail.",
	  { "disk full", "low disk space", NULL, NULL },
	  NULL,
	  "Temporary files and old OneDrive copies removed; 40 GB free.", NULL },
	{ "devices/new-starter-laptop-setup", "Devices", 20, 0.14, "needs-privileges", "L2 Endpoint",
	  { "New starter laptop setup", "Laptop for a new joiner", NULL, NULL },
	  NULL,
	  "A new member of staff starts on Monday and needs a laptop ready.",
	  { "new starter laptop", "new laptop setup", "onboarding laptop", NULL },
	  NULL,
	  "Laptop enrolled, apps installed, handed over with the checklist.", NULL },
	{ "files/onedrive-sync-problems", "Files", 30, 0.11, "time-limit", "L2 Files",
	  { "OneDrive not syncing", "OneDrive sync pending for days", NULL, NULL },
	  NULL,
	  "OneDrive shows sync pending or errors, and files are not up to date on other devices.",
	  { "onedrive not syncing", "onedrive sync error", "onedrive", NULL },
	  NULL,
	  "OneDrive reset and long paths shortened; sync complete.", NULL },
	{ "files/mapped-drive-missing", "Files", 25, 0.09, "needs-privileges", "L2 Files",
	  { "Mapped drive missing", "H: drive disappeared", NULL, NULL },
	  NULL,
	  "A mapped network drive is missing or shows a red cross.",
	  { "mapped drive missing", "network drive", "h drive missing", NULL },
	  NULL,
	  "Drive mapping restored by group policy refresh.", NULL },
	{ "files/shared-drive-access-denied", "Files", 30, 0.42, "needs-privileges", "L2 Files",
	  { "Access denied to a shared folder", "0x80070005 on the team share", NULL, NULL },
	  NULL,
	  "The user gets access denied (0x80070005) on a team share they need.",
	  { "access denied shared folder", "0x80070005", "share permission", NULL },
	  NULL,
	  "Added to the share's access group after the owner approved.", NULL },
	{ "collaboration/teams-sign-in-problems", "Collaboration", 25, 0.11, "time-limit", "L2 Collaboration",
	  { "Teams will not sign in", "Teams stuck on loading", NULL, NULL },
	  NULL,
	  "Microsoft Teams does not sign in, or loads forever.",
	  { "teams sign in", "teams not loading", "teams login", NULL },
	  NULL,
	  "Teams cache cleared and app updated; signed in.", NULL },
	{ "collaboration/teams-camera-microphone", "Collaboration", 25, 0.07, "time-limit", "L2 Collaboration",
	  { "Teams camera not working", "Microphone not working in Teams", NULL, NULL },
	  NULL,
	  "Others cannot see or hear the user in Teams meetings.",
	  { "teams camera", "teams microphone", "camera not working", NULL },
	  NULL,
	  "Device privacy settings fixed; camera and microphone work.", NULL },
	{ "collaboration/meeting-audio-echo", "Collaboration", 12, 0.09, "time-limit", "L2 Collaboration",
	  { "Echo in meetings", "Meeting room audio feedback", NULL, NULL },
	  NULL,
	  "Participants hear an echo or feedback in Teams or Zoom meetings.",
	  { "echo in meeting", "audio feedback teams", NULL, NULL },
	  NULL,
	  "Speakerphone settings corrected; no more echo.", NULL },
	{ "security/report-phishing-email", "Security", 30, 0.24, "security", "L2 Security",
	  { "Suspicious email received", "Clicked a link in a phishing email", "Possible phishing", NULL },
	  "رسالة تصيد",
	  "The user received a suspicious email; in some cases they clicked the link or entered a password.",
	  { "phishing", "report phishing", "suspicious email", NULL },
	  "تصيد",
	  "Message reported and purged; password reset as a precaution.",
	  "ar/security/report-phishing-email" },
	{ "security/antivirus-quarantined-file", "Security", 15, 0.30, "security", "L2 Security",
	  { "Antivirus blocked a file", "File quarantined by Defender", NULL, NULL },
	  NULL,
	  "Defender quarantined a file the user needs for work.",
	  { "quarantined file", "antivirus blocked", "defender quarantine", NULL },
	  NULL,
	  "File checked by security; false positive released.", NULL },
	{ "security/bitlocker-recovery-key", "Security", 20, 0.09, "needs-privileges", "L2 Endpoint",
	  { "BitLocker recovery key asked at startup", "Laptop asks for a recovery key", NULL, NULL },
	  NULL,
	  "The laptop shows the BitLocker recovery screen at startup.",
	  { "bitlocker recovery key", "bitlocker", "recovery key", NULL },
	  NULL,
	  "Identity checked; recovery key read out; laptop started.", NULL },
	{ "software/software-install-request", "Software", 45, 0.18, "needs-privileges", "L2 Desktop",
	  { "Install request: Visio", "Needs Power BI Desktop", "Software install request", NULL },
	  NULL,
	  "The user needs an application that is not installed.",
	  { "install software", "company portal", "software request", NULL },
	  NULL,
	  "Installed from Company Portal after the manager's approval.", NULL },
	{ "software/windows-update-failing", "Software", 20, 0.24, "time-limit", "L2 Endpoint",
	  { "Windows Update fails with 0x80070643", "Updates keep failing", NULL, NULL },
	  NULL,
	  "Windows Update fails to install the monthly update and retries every day.",
	  { "windows update failing", "0x80070643", "update error", NULL },
	  NULL,
	  "Update components reset; the update installed.", NULL },
	{ "software/winre-partition-resize-kb5034441", "Software", 8, 0.50, "needs-privileges", "L2 Endpoint",
	  { "KB5034441 fails to install", NULL, NULL, NULL },
	  NULL,
	  "The KB5034441 update fails because the recovery partition is too small.",
	  { "KB5034441", "winre partition", NULL, NULL },
	  NULL,
	  "Recovery partition resized; KB5034441 installed.", NULL },
	{ "software/legacy-lotus-notes-client", "Software", 3, 0.50, "no-article", "L2 Desktop",
	  { "Lotus Notes client will not open", NULL, NULL, NULL },
	  NULL,
	  "The old Notes client crashes at start; the user needs an archived database.",
	  { "lotus notes", "hcl notes", NULL, NULL },
	  NULL,
	  "Archive exported to PDF for the user.", NULL },
	/* no article covers these: the knowledge gaps */
	{ NULL, "Hardware", 15, 0.45, "no-article", "L2 Desktop",
	  { "Docking station not charging the laptop", "Dock firmware update needed", NULL, NULL },
	  NULL,
	  "The laptop does not charge on the docking station; screens flicker.",
	  { "docking station firmware", "dock not charging", "docking station", NULL },
	  NULL,
	  "Dock firmware updated; charging works.", NULL },
	{ NULL, "Software", 12, 0.60, "no-article", "L2 Desktop",
	  { "SAP GUI crashes on start", "SAP GUI will not open", NULL, NULL },
	  NULL,
	  "SAP GUI closes as soon as it starts.",
	  { "sap gui crash", "SAP GUI", "sap not opening", NULL },
	  NULL,
	  "SAP GUI reinstalled with the current patch level.", NULL },
	{ NULL, "Access", 8, 0.50, "needs-privileges", "L2 Identity",
	  { "Building badge does not open doors", NULL, NULL, NULL },
	  NULL,
	  "The user's badge no longer opens the office doors.",
	  { "badge reader", "door badge not working", NULL, NULL },
	  NULL,
	  "Badge re-enabled in the access system.", NULL },
	{ NULL, "Email", 15, 0.35, "no-article", "L2 Messaging",
	  { "Company email on iPhone not syncing", "Mail app on phone stopped working", NULL, NULL },
	  NULL,
	  "Work mail stopped syncing on the user's phone.",
	  { "iphone mail setup", "mobile email not syncing", "outlook mobile", NULL },
	  NULL,
	  "Account removed and added again in Outlook mobile.", NULL },
	{ NULL, "Software", 10, 0.40, "needs-privileges", "L2 Desktop",
	  { "Adobe Acrobat asks for a licence", NULL, NULL, NULL },
	  NULL,
	  "Acrobat Pro shows a licence prompt and opens in reader mode.",
	  { "adobe acrobat licence", "acrobat sign in", NULL, NULL },
	  NULL,
	  "Licence assigned in the Adobe admin console.", NULL },
	{ NULL, "Collaboration", 6, 0.50, "no-article", "L2 Collaboration",
	  { "Zoom recording missing", NULL, NULL, NULL },
	  NULL,
	  "A cloud recording of a Zoom meeting cannot be found.",
	  { "zoom recording missing", "zoom recording", NULL, NULL },
	  NULL,
	  "Recording found in the host's account and shared.", NULL },
	{ NULL, "Software", 10, 0.50, "no-article", "L2 Desktop",
	  { "Citrix Workspace will not launch the app", "Citrix app stuck on starting", NULL, NULL },
	  NULL,
	  "Citrix Workspace hangs when starting a published application.",
	  { "citrix workspace", "citrix", "citrix app not starting", NULL },
	  NULL,
	  "Workspace app updated and store re-added.", NULL },
};
#define NPROBLEMS (sizeof(problems) / sizeof(problems[0]))

/* What agents search for that the knowledge base does not answer. */
static const char *const gap_queries[] = {
	"sap gui crash", "docking station firmware", "badge reader", "zoom recording",
	"iphone mail setup", "adobe acrobat licence", "citrix workspace",
	"expense portal login", "jira access request", "mac keyboard layout",
	"visio licence", "esim setup", "salesforce login", "power bi gateway",
	"screen recording mac", "proxy pac", "teams phone number", "SAP GUI crash",
	"Docking Station firmware", "تفعيل الشهادة الرقمية", "dual monitor mac",
	"printer scan to email", "scan to email", "laptop battery swollen",
};
#define NGAPS (sizeof(gap_queries) / sizeof(gap_queries[0]))

static const char *const first_names[] = {
	"Layla", "Omar", "Sarah", "James", "Noor", "Ahmed", "Emma", "Youssef",
	"Hannah", "Karim", "Mariam", "David", "Aisha", "Lucas", "Rana", "Tom",
	"Salma", "Ali", "Grace", "Hassan", "Olivia", "Mona", "Daniel", "Reem",
	"Peter", "Huda", "Nadia", "Sam", "Fatima", "Jack", "Khaled", "Laura",
};
static const char *const last_names[] = {
	"Haddad", "Smith", "Nasser", "Brown", "Khalil", "Wilson", "Mansour",
	"Taylor", "Aziz", "Evans", "Saleh", "Hughes", "Farouk", "Clarke",
	"Barakat", "Walker", "Rahman", "Wright", "Hamdan", "Green", "Issa", "Moore",
};
static const char *const sites[] = { "Head office", "North site", "Warehouse",
	"Remote", "Branch 2" };

static const char *const public_replies[] = {
	"Hello, we are looking into this and will update you shortly.",
	"Could you restart the laptop and tell us if it still happens?",
	"Please try again now and confirm that it works.",
	"We applied a fix on our side; can you check?",
	"Thank you for the screenshot, we are investigating.",
	"Can you send a photo of the error message?",
};
static const char *const internal_notes[] = {
	"Checked the sign-in logs, nothing unusual.",
	"Reproduced on a test laptop.",
	"Remote session done, logs attached.",
	"Same as last month's tickets; watching for more.",
	"Waiting for the vendor's answer on the case.",
	"Asked the manager for the approval.",
};
static const char *const deescalate_notes[] = {
	"Fixed on the server side; ask the user to restart and confirm, then resolve.",
	"Permission granted; have the user sign out and in again, then resolve.",
	"Not an L2 matter: follow the article with the user and resolve.",
	"Configuration pushed; confirm with the user and close.",
};
static const char *const flag_comments[][3] = {
	{ "The screenshots show the old version of the app.",
	  "Menu names changed in the last update.",
	  "Step 3 refers to the old portal address." },
	{ "Step 2 gives the wrong path.",
	  "The error code in the title is not the one users see.",
	  "The reset link in the article is wrong." },
	{ "Missing: what to do when the user has no phone.",
	  "Add the step for Macs.",
	  "Nothing about users on the guest network." },
};
static const char *const flag_kinds[] = { "outdated", "incorrect", "missing_step" };

/* ---- what is generated ---- */

struct ticket {
	int64_t created, updated, first_response, resolved, response_due,
	    resolution_due;
	const char *title, *description, *rname, *rcontact, *category, *impact,
	    *urgency, *queue, *assignee, *status, *created_by;
	int priority, tier, reopened;
	/* for the summary */
	int max_tier;
	bool escalated, deescalated;
};

struct event {
	int64_t at, ticket;
	uint32_t seq;
	const char *actor, *kind, *field, *from, *to, *note;
};

struct escalation {
	int64_t at, ticket;
	uint32_t seq;
	const char *actor, *kind, *reason, *tried, *steps;
	int from_tier, to_tier;
};

struct comment {
	int64_t at, ticket;
	uint32_t seq;
	const char *author, *body;
	int internal;
};

struct link {
	int64_t at, ticket;
	const char *article, *relation, *actor;
};

struct search {
	int64_t at, sid, opened;
	uint32_t seq;
	const char *query;
	int results;
};

struct vote {
	const char *slug;
	int64_t user_id, at;
	int helpful;
};

struct flag {
	const char *slug, *kind, *comment, *created_by, *resolved_by, *resolution;
	int64_t created_at, resolved_at;
};

struct article_event {
	int64_t at;
	uint32_t seq;
	const char *slug, *actor, *kind, *note;
};

static struct ticket *tickets;
static size_t ntickets;
static VEC(struct event) events;
static VEC(struct escalation) escalations;
static VEC(struct comment) comments;
static VEC(struct link) links;
static VEC(struct search) searches;
static VEC(struct vote) votes;
static VEC(struct flag) flags;
static VEC(struct article_event) article_events;
static uint32_t seq;

static int64_t now, year_start;
static struct workflow_config wf;

/* ---- time of day ---- */

static void
tm_of(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;

	gmtime_r(&tt, tm);
}

static bool
open_hours(int64_t t)
{
	struct tm tm;

	tm_of(t, &tm);
	return tm.tm_wday >= 1 && tm.tm_wday <= 5 && tm.tm_hour >= 7 && tm.tm_hour < 19;
}

/* The next opening of the desk (weekdays 07:00 UTC) after t, plus a little. */
static int64_t
next_opening(int64_t t)
{
	struct tm tm;
	int64_t day = t / DAY * DAY;

	tm_of(t, &tm);
	if (tm.tm_hour >= 7)
		day += DAY;
	for (;;) {
		tm_of(day, &tm);
		if (tm.tm_wday >= 1 && tm.tm_wday <= 5)
			break;
		day += DAY;
	}
	return day + 7 * HOUR + expo(40 * MINUTE);
}

/*
 * When work planned for t is done: at t in opening hours; outside them
 * at the next opening, unless on call (P1, often P2) or someone stayed late.
 */
static int64_t
work_time(int64_t t, int priority)
{
	if (open_hours(t) || priority == 1 || (priority == 2 && chance(0.4)) ||
	    chance(0.05))
		return t;
	return next_opening(t);
}

/* How busy the desk is at t, relative (creation times are drawn by it). */
static double
load_at(int64_t t)
{
	static const double hour_w[24] = {
		0.04, 0.03, 0.03, 0.03, 0.04, 0.06, 0.15, 0.45, 1.00, 1.55, 1.50, 1.30,
		0.90, 1.15, 1.25, 1.10, 0.85, 0.50, 0.30, 0.20, 0.15, 0.10, 0.07, 0.05 };
	static const double day_w[7] = { 0.10, 1.25, 1.05, 1.00, 1.00, 0.85, 0.12 };
	struct tm tm;
	double w, growth;

	tm_of(t, &tm);
	w = hour_w[tm.tm_hour] * day_w[tm.tm_wday];
	/* quiet weeks: the end of December, mid-August */
	if ((tm.tm_mon == 11 && tm.tm_mday >= 23) || (tm.tm_mon == 0 && tm.tm_mday <= 2))
		w *= 0.35;
	else if (tm.tm_mon == 7 && tm.tm_mday >= 5 && tm.tm_mday <= 25)
		w *= 0.75;
	growth = 0.9 + 0.2 * (double)(t - year_start) / (365.0 * DAY);
	return w * growth;
}

/* ---- agents ---- */

static bool
active(const struct agent *a, int64_t t)
{
	int64_t d = (t - year_start) / DAY;

	return d >= a->since && d < a->until;
}

/* An agent of role working at t, preferring team (if given). */
static const struct agent *
agent_for(enum role role, const char *team, int64_t t)
{
	const struct agent *c[NAGENTS];
	size_t i, n = 0;

	if (team && chance(0.8))
		for (i = 0; i < NAGENTS; i++)
			if (agents[i].role == role && agents[i].team &&
			    strcmp(agents[i].team, team) == 0 && active(&agents[i], t))
				c[n++] = &agents[i];
	if (!n)
		for (i = 0; i < NAGENTS; i++)
			if (agents[i].role == role && active(&agents[i], t))
				c[n++] = &agents[i];
	return n ? c[pick(n)] : &agents[0];
}

static const char *
l3_team(const char *l2team)
{
	if (strcmp(l2team, "L2 Security") == 0)
		return "L3 Security";
	if (strcmp(l2team, "L2 Messaging") == 0 || strcmp(l2team, "L2 Collaboration") == 0 ||
	    strcmp(l2team, "L2 Desktop") == 0)
		return "L3 Applications";
	return "L3 Infrastructure";
}

/* ---- recording ---- */

static void
add_event(int64_t ticket, int64_t at, const char *actor, const char *kind,
    const char *field, const char *from, const char *to, const char *note)
{
	struct event *e = VEC_PUSH(events);

	e->at = at;
	e->ticket = ticket;
	e->seq = seq++;
	e->actor = actor;
	e->kind = kind;
	e->field = field;
	e->from = from ? from : "";
	e->to = to ? to : "";
	e->note = note ? note : "";
}

/* ---- one ticket through the workflow ---- */

enum outcome { OUT_STOP, OUT_RESOLVED, OUT_UP, OUT_DOWN, OUT_DONE, OUT_REOPENED };

struct sim {
	struct ticket *t;
	int64_t id, at;		/* time of the last step */
	const struct problem *p;
	int64_t fix_at;		/* incident: fixed for everyone then (0: no incident) */
	bool lead;		/* incident: one of the first reports, escalated */
	const char *team;	/* L2 queue, L3 queue */
	const char *query;	/* what L1 searched for */
	const char *slug;	/* the article that fixes it, in the ticket's language */
	bool resolved_by, created_from, sent;
	bool back;		/* came back down: finish it, no escalating again */
	int loops;
};

static bool
active_status(const struct ticket *t)
{
	return strcmp(t->status, "new") == 0 || strcmp(t->status, "open") == 0 ||
	    strcmp(t->status, "pending") == 0;
}

static const char *
tier_name(int tier)
{
	return tier == 1 ? "L1" : tier == 2 ? "L2" : "L3";
}

/* Escalate (escalate, auto) or de-escalate, as do_escalate() does. */
static void
move_tier(struct sim *s, const char *actor, const char *kind, int to,
    const char *reason, const char *tried, const char *steps)
{
	struct ticket *t = s->t;
	struct escalation *e = VEC_PUSH(escalations);
	bool down = strcmp(kind, "deescalate") == 0;

	e->at = s->at;
	e->ticket = s->id;
	e->seq = seq++;
	e->actor = actor;
	e->kind = kind;
	e->from_tier = t->tier;
	e->to_tier = to;
	e->reason = reason;
	e->tried = tried;
	e->steps = steps;
	add_event(s->id, s->at, actor, down ? "deescalated" : "escalated", "tier",
	    tier_name(t->tier), tier_name(to), down ? tried : reason);
	if (down) {
		struct comment *c = VEC_PUSH(comments);

		c->at = s->at;
		c->ticket = s->id;
		c->seq = seq++;
		c->author = actor;
		c->body = tried;
		c->internal = 1;
		t->deescalated = true;
	} else {
		t->escalated = true;
	}
	t->tier = to;
	t->queue = tier_name(to);
	t->assignee = NULL;
	t->status = down ? "open" : "escalated";
	if (strcmp(kind, "auto") != 0 && !t->first_response)
		t->first_response = s->at;
	if (to > t->max_tier)
		t->max_tier = to;
}

/*
 * Advance to time when, as kbd would see it: if an automatic rule fires
 * first (the ticket is active at L1 and is a P1, past its deadline, or
 * reopened too often), escalate then and say so. 0: at when; 1: a rule
 * fired; -1: when is after now (nothing more happens).
 */
static int
advance(struct sim *s, int64_t when)
{
	struct ticket *t = s->t;
	const char *rule = NULL;
	int64_t fire = 0;

	if (when < s->at)
		when = s->at;
	/* the rules in kbd's order; the first to come due fires */
	if (t->tier == 1 && active_status(t)) {
		int64_t due = (t->resolution_due > s->at ? t->resolution_due : s->at) +
		    between(1, RULES_INTERVAL);
		int64_t soon = s->at + between(1, RULES_INTERVAL);

		if (t->priority == 1) {
			rule = "p1-at-l1";
			fire = soon;
		}
		if (!rule || due < fire) {
			rule = "sla-breached";
			fire = due;
		}
		if (t->reopened >= (int)wf.reopen_limit && soon < fire) {
			rule = "reopened";
			fire = soon;
		}
		if (fire <= when && fire <= now) {
			s->at = fire;
			move_tier(s, "system", "auto", 2, rule, "automatic escalation", "");
			return 1;
		}
	}
	if (when > now)
		return -1;
	s->at = when;
	return 0;
}

static void
set_status(struct sim *s, const char *actor, const char *to, const char *note)
{
	struct ticket *t = s->t;
	bool reopen = strcmp(to, "open") == 0 && (strcmp(t->status, "resolved") == 0 ||
	    strcmp(t->status, "closed") == 0);

	add_event(s->id, s->at, actor, reopen ? "reopened" : "status", "status",
	    t->status, to, note);
	if (strcmp(to, "resolved") == 0) {
		t->resolved = s->at;
	} else if (reopen) {
		t->resolved = 0;
		t->reopened++;
	}
	t->status = to;
	if (!t->first_response)
		t->first_response = s->at;
}

static void
add_comment(struct sim *s, const char *author, const char *body, bool internal)
{
	struct comment *c = VEC_PUSH(comments);

	c->at = s->at;
	c->ticket = s->id;
	c->seq = seq++;
	c->author = author;
	c->body = body;
	c->internal = internal;
	add_event(s->id, s->at, author, "comment", internal ? "internal" : "public",
	    "", "", "");
	if (!internal && !s->t->first_response)
		s->t->first_response = s->at;
}

static void
add_link(struct sim *s, const char *article, const char *relation,
    const char *actor)
{
	struct link *l = VEC_PUSH(links);

	l->at = s->at;
	l->ticket = s->id;
	l->article = article;
	l->relation = relation;
	l->actor = actor;
	add_event(s->id, s->at, actor, "link", relation, "", article, "");
}

/* Take the ticket: it becomes the agent's (and open if new or escalated). */
static void
take(struct sim *s, const char *who)
{
	struct ticket *t = s->t;

	add_event(s->id, s->at, who, "field", "assignee", t->assignee ? t->assignee : "",
	    who, "");
	t->assignee = who;
	if (strcmp(t->status, "new") == 0 || strcmp(t->status, "escalated") == 0)
		set_status(s, who, "open", "taken");
}

static void
resolve(struct sim *s, const char *who)
{
	const struct problem *p = s->p;
	struct ticket *t = s->t;
	double link_p;

	/* a resolved-by link: often at L1, seldom after an escalation */
	link_p = t->escalated ? (t->tier == 1 ? 0.30 : 0.16) : 0.60;
	if (s->slug && !s->resolved_by && chance(link_p)) {
		add_link(s, s->slug, "resolved-by", who);
		s->resolved_by = true;
	}
	if (s->slug && !s->sent && chance(0.08)) {
		add_link(s, s->slug, "sent-to-requester", who);
		s->sent = true;
	}
	set_status(s, who, "resolved", s->fix_at ? "Service restored (incident); "
	    "user confirmed." : p->fix);
	/* now and then L2/L3 writes the fix down as an article */
	if (p->slug && t->tier > 1 && !s->created_from && chance(0.006)) {
		add_link(s, p->slug, "created-from", who);
		s->created_from = true;
	}
}

static const char *
handoff_tried(const struct sim *s, const char *reason)
{
	if (strcmp(reason, "no-article") == 0)
		return aprintf("Searched the knowledge base for \"%s\": no article "
		    "covers it. Restarted the application and the laptop.", s->query);
	if (strcmp(reason, "needs-privileges") == 0)
		return "Confirmed the request and the manager's approval; L1 has no "
		    "rights to make the change.";
	if (strcmp(reason, "many-users") == 0)
		return "Several users on the same site report it; checked the service "
		    "status page, nothing posted.";
	if (strcmp(reason, "security") == 0)
		return "Disconnected the laptop from the network, reset the password, "
		    "kept the message as evidence.";
	if (strcmp(reason, "needs-root-cause") == 0)
		return "The workaround holds for a day and the problem comes back; "
		    "logs collected and attached.";
	return s->slug ? aprintf("Followed %s step by step for 30 minutes; "
	    "still failing.", s->slug) : "Spent 30 minutes: restarted, "
	    "reinstalled, still failing.";
}

static const char *
handoff_steps(const struct sim *s)
{
	return aprintf("1. Sign in as the user.\n2. %s.\n3. The error appears every "
	    "time.", s->t->title);
}

/* L1 works the ticket until it is resolved or leaves L1. */
static enum outcome
work_l1(struct sim *s)
{
	struct ticket *t = s->t;
	const char *who;
	int64_t when;
	double esc;
	int r;

	if (!t->assignee) {
		if (!t->deescalated && s->at == t->created && chance(0.6))
			when = t->created + between(10, 180);	/* on the phone */
		else
			when = work_time(s->at + lognorm(t->priority <= 2 ? 8 * MINUTE :
			    t->priority == 3 ? 20 * MINUTE : 40 * MINUTE, 1.0),
			    t->priority);
		if ((r = advance(s, when)))
			return r > 0 ? OUT_UP : OUT_STOP;
		who = s->at - t->created < 200 && !t->deescalated ? t->created_by :
		    agent_for(ROLE_L1, NULL, s->at)->name;
		take(s, who);
	}
	who = t->assignee;
	esc = s->back ? 0 : t->reopened ? 0.35 : s->p->esc * 1.2;
	if (s->fix_at)
		esc = s->lead ? 1 : 0;
	if (chance(0.45)) {
		if ((r = advance(s, work_time(s->at + lognorm(10 * MINUTE, 0.8),
		    t->priority))))
			return r > 0 ? OUT_UP : OUT_STOP;
		add_comment(s, who, public_replies[pick(6)], false);
	}
	if (!s->fix_at && chance(0.17)) {
		if ((r = advance(s, work_time(s->at + lognorm(25 * MINUTE, 0.8),
		    t->priority))))
			return r > 0 ? OUT_UP : OUT_STOP;
		set_status(s, who, "pending", "waiting for the requester");
		if ((r = advance(s, work_time(s->at + lognorm(14 * HOUR, 1.1),
		    t->priority))))
			return r > 0 ? OUT_UP : OUT_STOP;
		set_status(s, who, "open", "the requester replied");
	}
	if (chance(0.2)) {
		if ((r = advance(s, work_time(s->at + lognorm(15 * MINUTE, 0.8),
		    t->priority))))
			return r > 0 ? OUT_UP : OUT_STOP;
		add_comment(s, who, internal_notes[pick(4)], true);
	}
	if (chance(esc)) {
		const char *reason = s->fix_at ? "many-users" : chance(0.7) ?
		    s->p->reason : chance(0.5) ? "time-limit" : "no-article";

		if ((r = advance(s, work_time(s->at + lognorm(s->fix_at ? 5 * MINUTE :
		    25 * MINUTE, 0.8), t->priority))))
			return r > 0 ? OUT_UP : OUT_STOP;
		move_tier(s, who, "escalate", 2, reason, handoff_tried(s, reason),
		    handoff_steps(s));
		return OUT_UP;
	}
	when = s->fix_at ? s->fix_at + lognorm(20 * MINUTE, 0.6) :
	    work_time(s->at + lognorm(35 * MINUTE, 1.2), t->priority);
	if ((r = advance(s, when)))
		return r > 0 ? OUT_UP : OUT_STOP;
	resolve(s, who);
	return OUT_RESOLVED;
}

/* L2 or L3 works the ticket until it is resolved or changes tier. */
static enum outcome
work_upper(struct sim *s)
{
	struct ticket *t = s->t;
	int tier = t->tier;
	enum role role = tier == 2 ? ROLE_L2 : ROLE_L3;
	const char *who, *team;
	double up, down;
	int64_t when;

	team = tier == 2 ? s->p->team : l3_team(s->p->team);
	if (!t->assignee) {
		when = s->at + (t->priority == 1 ? lognorm(8 * MINUTE, 0.6) :
		    t->priority == 2 ? lognorm(25 * MINUTE, 0.9) :
		    lognorm(tier == 2 ? 70 * MINUTE : 2 * HOUR, 1.0));
		if (advance(s, work_time(when, t->priority)))
			return OUT_STOP;
		who = agent_for(role, team, s->at)->name;
		if (strcmp(t->queue, team) != 0 && chance(0.7)) {
			add_event(s->id, s->at, who, "field", "queue", t->queue, team, "");
			t->queue = team;
		}
		take(s, who);
	}
	who = t->assignee;
	if (chance(tier == 2 ? 0.5 : 0.7)) {
		if (advance(s, work_time(s->at + lognorm(40 * MINUTE, 1.0), t->priority)))
			return OUT_STOP;
		add_comment(s, who, internal_notes[pick(6)], true);
	}
	if (chance(0.55)) {
		if (advance(s, work_time(s->at + lognorm(30 * MINUTE, 1.0), t->priority)))
			return OUT_STOP;
		add_comment(s, who, public_replies[pick(6)], false);
	}
	if (!s->fix_at && chance(tier == 2 ? 0.18 : 0.3)) {
		/* waiting for the user, or for a vendor (long) */
		bool vendor = chance(tier == 2 ? 0.06 : 0.15);

		if (advance(s, work_time(s->at + lognorm(2 * HOUR, 1.0), t->priority)))
			return OUT_STOP;
		set_status(s, who, "pending", vendor ? "waiting for the vendor" :
		    "waiting for the requester");
		if (advance(s, work_time(s->at + (vendor ? lognorm(12 * DAY, 0.7) :
		    lognorm(20 * HOUR, 1.0)), t->priority)))
			return OUT_STOP;
		set_status(s, who, "open", vendor ? "the vendor answered" :
		    "the requester replied");
	}
	up = tier == 2 && !s->back && !s->fix_at ? (strcmp(s->p->reason,
	    "no-article") == 0 ? 0.26 : 0.19) : 0;
	down = !s->fix_at && t->priority > 1 && !t->reopened &&
	    s->at < t->resolution_due - 6 * HOUR ? (tier == 2 ? 0.07 : 0.05) : 0;
	if (s->back)
		down = 0;
	if (chance(up)) {
		const char *reason = chance(0.55) ? "needs-root-cause" :
		    strcmp(s->p->reason, "security") == 0 ? "security" :
		    chance(0.5) ? "needs-privileges" : chance(0.6) ? "many-users" :
		    "time-limit";

		if (advance(s, work_time(s->at + lognorm(3 * HOUR, 1.0), t->priority)))
			return OUT_STOP;
		move_tier(s, who, "escalate", 3, reason, handoff_tried(s, reason),
		    handoff_steps(s));
		return OUT_UP;
	}
	if (chance(down)) {
		if (advance(s, work_time(s->at + lognorm(45 * MINUTE, 0.8), t->priority)))
			return OUT_STOP;
		move_tier(s, who, "deescalate", tier - 1, "deescalate",
		    deescalate_notes[pick(4)], "");
		s->back = true;
		return OUT_DOWN;
	}
	when = s->fix_at ? (s->fix_at > s->at ? s->fix_at : s->at) +
	    lognorm(10 * MINUTE, 0.5) : work_time(s->at + lognorm(tier == 2 ?
	    10 * HOUR : 30 * HOUR, 1.2), t->priority);
	if (advance(s, when))
		return OUT_STOP;
	resolve(s, who);
	return OUT_RESOLVED;
}

/* After a resolution: closed some days later, or reopened by the requester. */
static enum outcome
after_resolved(struct sim *s)
{
	struct ticket *t = s->t;
	int64_t close_at = 0, reopen_at = 0;
	const char *who = t->assignee ? t->assignee : agent_for(ROLE_L1, NULL, s->at)->name;

	if (chance(t->reopened ? 0.12 : t->escalated ? 0.06 : 0.03))
		reopen_at = s->at + lognorm(30 * HOUR, 0.9);
	if (chance(0.75))
		close_at = s->at + lognorm(3 * DAY, 0.5);
	if (close_at && (!reopen_at || close_at < reopen_at)) {
		if (advance(s, close_at))
			return OUT_STOP;
		set_status(s, who, "closed", "");
	}
	if (!reopen_at)
		return OUT_DONE;
	if (advance(s, work_time(reopen_at, t->priority)))
		return OUT_STOP;
	/* the requester calls the desk: whoever answers reopens it */
	set_status(s, t->tier == 1 ? agent_for(ROLE_L1, NULL, s->at)->name : who,
	    "open", "the problem is back");
	return OUT_REOPENED;
}

/* Searches an agent made while taking the call, before creating the ticket. */
static void
ticket_searches(struct sim *s, bool arabic)
{
	const struct problem *p = s->p;
	int i, n = 1 + chance(0.35) + chance(0.12);
	int64_t at = s->t->created - between(30, 400);

	for (i = 0; i < n; i++) {
		struct search *q = VEC_PUSH(searches);
		const char *qtext = arabic && p->query_ar ? p->query_ar : NULL;
		size_t k;

		if (!qtext) {
			do
				k = pick(4);
			while (!p->queries[k]);
			qtext = p->queries[k];
		}
		if (i == 0)
			s->query = qtext;
		q->at = at;
		q->seq = seq++;
		q->query = qtext;
		/* a results page's id: its time << 20 | 20 random bits (pages.c) */
		q->sid = chance(0.08) ? 0 : at << 20 | (int64_t)(rnd() & 0xfffff);
		if (p->slug)
			q->results = (int)(2 + lognorm(7, 0.7));
		else
			q->results = chance(0.7) ? 0 : (int)between(1, 3);
		if (q->results > 80)
			q->results = 80;
		if (q->sid && q->results && chance(p->slug ? (i == n - 1 ? 0.82 : 0.45) : 0.2))
			q->opened = at + between(3, 90);
		at += between(15, 120);
	}
}

static const char *
requester_name(const char **contact)
{
	/* a few thousand people, some of whom call often */
	size_t f, l;
	unsigned who = (unsigned)(pow(unif(), 1.6) * 3000.0);

	f = (who * 7919u) % (sizeof(first_names) / sizeof(first_names[0]));
	l = (who * 104729u) % (sizeof(last_names) / sizeof(last_names[0]));
	if (chance(0.8)) {
		struct buf b;
		const char *p;

		buf_init(&b, 64);
		for (p = first_names[f]; *p; p++)
			buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
		buf_putc(&b, '.');
		for (p = last_names[l]; *p; p++)
			buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
		*contact = aprintf("%s@example.org", buf_str(&b));
		buf_release(&b);
	} else {
		*contact = aprintf("ext. %u", 2000 + who % 7000);
	}
	return aprintf("%s %s", first_names[f], last_names[l]);
}

static void
simulate(struct sim *s, const struct problem *p)
{
	static const char *const levels[3] = { "low", "medium", "high" };
	struct ticket *t = s->t;
	bool arabic = p->title_ar && chance(0.12);
	int impact, urgency;
	enum outcome o;
	size_t k;

	s->p = p;
	s->slug = arabic && p->slug_ar ? p->slug_ar : p->slug;
	s->team = p->team;
	if (s->fix_at) {
		impact = 1;
		urgency = 2;
	} else {
		impact = chance(0.1) ? 2 : chance(0.45) ? 1 : 0;
		urgency = chance(strcmp(p->reason, "security") == 0 ? 0.45 : 0.2) ? 2 :
		    chance(0.6) ? 1 : 0;
	}
	t->impact = levels[impact];
	t->urgency = levels[urgency];
	t->priority = workflow_priority((enum level)impact, (enum level)urgency);
	t->response_due = (int64_t)workflow_response_due(&wf, t->priority,
	    (time_t)t->created);
	t->resolution_due = (int64_t)workflow_resolution_due(&wf, t->priority,
	    (time_t)t->created);
	do
		k = pick(4);
	while (!p->titles[k]);
	t->title = arabic ? p->title_ar : p->titles[k];
	t->category = p->category;
	t->rname = requester_name(&t->rcontact);
	t->description = arabic ? aprintf("أبلغ المستخدم عن المشكلة عبر الهاتف (%s).\n\n%s",
	    sites[pick(5)], p->desc) : aprintf("%s\n\nReported by %s (%s), %s.",
	    p->desc, chance(0.6) ? "phone" : "email", sites[pick(5)],
	    t->rname);
	t->created_by = agent_for(ROLE_L1, NULL, t->created)->name;
	t->tier = 1;
	t->max_tier = 1;
	t->queue = "L1";
	t->status = "new";
	s->at = t->created;
	ticket_searches(s, arabic);
	add_event(s->id, t->created, t->created_by, "created", "", "", "new", t->title);
	/* articles looked at while on the call, recorded with the ticket */
	if (s->slug && chance(0.3))
		add_link(s, s->slug, "consulted", t->created_by);
	if (chance(0.08))
		add_comment(s, t->created_by, "Hello, thank you for calling the service "
		    "desk; we are on it.", false);
	for (s->loops = 0; s->loops < 16; s->loops++) {
		if (t->tier == 1 && active_status(t))
			o = work_l1(s);
		else if (strcmp(t->status, "resolved") == 0 ||
		    strcmp(t->status, "closed") == 0)
			o = after_resolved(s);
		else
			o = work_upper(s);
		if (o == OUT_STOP || o == OUT_DONE)
			break;
	}
	t->updated = s->at;
}

/* ---- creation times ---- */

struct birth {
	int64_t at;
	int problem;
	int incident;		/* 1-based, 0: none */
	bool lead;
};

struct incident {
	int64_t start, end;
	int problem;
};

static int
cmp_birth(const void *a, const void *b)
{
	const struct birth *x = a, *y = b;

	return x->at < y->at ? -1 : x->at > y->at;
}

static size_t
pick_problem(unsigned total)
{
	double r = unif() * total;
	size_t i;

	for (i = 0; i < NPROBLEMS - 1; i++) {
		if (r < problems[i].weight)
			return i;
		r -= problems[i].weight;
	}
	return NPROBLEMS - 1;
}

static struct birth *
births(size_t n, struct incident **incs, size_t *nincs)
{
	static const char *const incident_slugs[] = { "network/vpn-cannot-connect",
		"email/outlook-send-receive-errors", "network/wifi-cannot-connect",
		"printing/printer-offline-queue-stuck",
		"collaboration/teams-sign-in-problems",
		"files/shared-drive-access-denied", "security/report-phishing-email",
		"files/onedrive-sync-problems" };
	struct birth *b = xcalloc(n, sizeof(*b));
	unsigned total = 0;
	size_t i, j, k = 0, ninc = n >= 2000 ? n / 6000 + 2 : 0;
	double peak = 0;
	int64_t t;

	for (i = 0; i < NPROBLEMS; i++)
		total += problems[i].weight;
	*incs = xcalloc(ninc ? ninc : 1, sizeof(**incs));
	*nincs = ninc;
	/* incidents: one problem for many users on a weekday, fixed hours later */
	for (i = 0; i < ninc && k < n; i++) {
		struct incident *in = &(*incs)[i];
		size_t reports = n / 350 + (size_t)between(0, (int64_t)(n / 350));
		const char *slug = incident_slugs[i % (sizeof(incident_slugs) /
		    sizeof(incident_slugs[0]))];

		do
			t = year_start + between(7, 355) * DAY;
		while (!open_hours(t / DAY * DAY + 10 * HOUR));
		in->start = t / DAY * DAY + between(8 * HOUR, 13 * HOUR);
		in->end = in->start + lognorm(2.5 * HOUR, 0.35);
		for (in->problem = 0; (size_t)in->problem < NPROBLEMS - 1; in->problem++)
			if (problems[in->problem].slug &&
			    strcmp(problems[in->problem].slug, slug) == 0)
				break;
		for (j = 0; j < reports && k < n; j++, k++) {
			b[k].at = in->start + expo((double)(in->end - in->start) / 2.5);
			if (b[k].at >= in->end)
				b[k].at = in->end - between(1, 600);
			b[k].problem = in->problem;
			b[k].incident = (int)i + 1;
		}
	}
	for (t = year_start; t < now; t += HOUR)
		if (load_at(t) > peak)
			peak = load_at(t);
	for (; k < n; k++) {
		do
			t = year_start + (int64_t)(unif() * (double)(now - year_start));
		while (unif() * peak > load_at(t));
		b[k].at = t;
		b[k].problem = (int)pick_problem(total);
	}
	qsort(b, n, sizeof(*b), cmp_birth);
	/* the first two reports of each incident are escalated */
	for (i = 0; i < ninc; i++)
		for (j = 0, k = 0; j < n && k < 2; j++)
			if (b[j].incident == (int)i + 1) {
				b[j].lead = true;
				k++;
			}
	return b;
}

/* Searches not tied to a ticket: agents looking things up, some for nothing. */
static void
background_searches(size_t n)
{
	unsigned total = 0;
	double peak = 0;
	size_t i, k;
	int64_t t;

	for (i = 0; i < NPROBLEMS; i++)
		total += problems[i].weight;
	for (t = year_start; t < now; t += HOUR)
		if (load_at(t) > peak)
			peak = load_at(t);
	for (i = 0; i < n; i++) {
		struct search *q = VEC_PUSH(searches);

		do
			t = year_start + (int64_t)(unif() * (double)(now - year_start));
		while (unif() * peak > load_at(t));
		q->at = t;
		q->seq = seq++;
		q->sid = chance(0.12) ? 0 : t << 20 | (int64_t)(rnd() & 0xfffff);
		if (chance(0.16)) {
			/* a few gaps are asked for again and again */
			q->query = gap_queries[(size_t)(pow(unif(), 2.2) * (double)NGAPS)];
			q->results = 0;
		} else {
			const struct problem *p = &problems[pick_problem(total)];

			do
				k = pick(4);
			while (!p->queries[k]);
			q->query = p->queries[k];
			q->results = p->slug ? (int)(2 + lognorm(7, 0.7)) : chance(0.6) ? 0 :
			    (int)between(1, 3);
			if (q->results > 80)
				q->results = 80;
			/* a typo now and then finds nothing */
			if (chance(0.03) && strlen(q->query) > 4) {
				char *typo = arena_alloc(strlen(q->query) + 1), c;

				memcpy(typo, q->query, strlen(q->query) + 1);
				k = 1 + pick(strlen(typo) - 2);
				c = typo[k];
				typo[k] = typo[k + 1];
				typo[k + 1] = c;
				if ((unsigned char)typo[k] < 0x80 && (unsigned char)c < 0x80) {
					q->query = typo;
					q->results = 0;
				}
			}
			if (q->sid && q->results && chance(p->slug ? 0.72 : 0.2))
				q->opened = t + between(3, 120);
		}
	}
}

/* ---- votes and flags ---- */

static size_t
slug_uses(const char *slug)
{
	size_t i, n = 0;

	for (i = 0; i < links.n; i++)
		if (strcmp(links.v[i].article, slug) == 0)
			n++;
	return n;
}

static void
feedback(void)
{
	const char *slugs[2 * NPROBLEMS];
	size_t uses[2 * NPROBLEMS], maxuse = 1, ns = 0, i, j, nflags;

	for (i = 0; i < 2 * NPROBLEMS; i++) {
		const char *slug = i < NPROBLEMS ? problems[i].slug :
		    problems[i - NPROBLEMS].slug_ar;

		if (slug) {
			slugs[ns] = slug;
			uses[ns] = slug_uses(slug);
			if (uses[ns] > maxuse)
				maxuse = uses[ns];
			ns++;
		}
	}
	/* votes: one per agent and article at most, the popular ones more often */
	for (i = 0; i < NAGENTS; i++)
		for (j = 0; j < ns; j++) {
			const struct agent *a = &agents[i];
			double p = 0.2 + 0.7 * (double)uses[j] / (double)maxuse;
			struct vote *v;
			int64_t from = year_start + (int64_t)a->since * DAY;
			int64_t to = year_start + (int64_t)a->until * DAY;

			if (to > now)
				to = now;
			if (!chance(p) || to <= from)
				continue;
			v = VEC_PUSH(votes);
			v->slug = slugs[j];
			v->user_id = a->user_id;
			v->at = between(from, to - 1);
			v->helpful = chance(strstr(slugs[j], "lotus") ? 0.3 :
			    strstr(slugs[j], "mfa-prompt") ? 0.6 : 0.84);
		}
	/* flags: most were dealt with, the recent ones are still open */
	nflags = 8 + ntickets / 2500;
	for (i = 0; i < nflags; i++) {
		struct flag *f = VEC_PUSH(flags);
		struct article_event *e;
		size_t kind = chance(0.5) ? 0 : chance(0.6) ? 2 : 1;
		const struct agent *by, *fixer;

		f->slug = slugs[pick(ns)];
		f->kind = flag_kinds[kind];
		f->comment = flag_comments[kind][pick(3)];
		f->created_at = i < 5 ? now - between(HOUR, 20 * DAY) :
		    between(year_start, now - 10 * DAY);
		by = agent_for(ROLE_L1, NULL, f->created_at);
		f->created_by = by->name;
		e = VEC_PUSH(article_events);
		e->at = f->created_at;
		e->seq = seq++;
		e->slug = f->slug;
		e->actor = f->created_by;
		e->kind = "flagged";
		e->note = f->kind;
		if (i < 5 || chance(0.08))
			continue;
		f->resolved_at = f->created_at + lognorm(4 * DAY, 0.8);
		if (f->resolved_at >= now) {
			f->resolved_at = 0;
			continue;
		}
		fixer = agent_for(chance(0.7) ? ROLE_L2 : ROLE_L3, NULL, f->resolved_at);
		f->resolved_by = fixer->name;
		f->resolution = kind == 0 ? "Screenshots and names updated." :
		    kind == 1 ? "Corrected." : "Step added.";
		e = VEC_PUSH(article_events);
		e->at = f->resolved_at;
		e->seq = seq++;
		e->slug = f->slug;
		e->actor = f->resolved_by;
		e->kind = "flag_resolved";
		e->note = f->resolution;
	}
}

/* ---- writing ---- */

/* kbd/events.c's chain: BLAKE2b-256 over the previous hash and the fields. */
static void
hash_part(crypto_generichash_state *h, const char *s)
{
	char len[24];

	snprintf(len, sizeof(len), "%zu:", strlen(s));
	crypto_generichash_update(h, (const unsigned char *)len, strlen(len));
	crypto_generichash_update(h, (const unsigned char *)s, strlen(s));
}

static void
event_hash(const char *prev, int64_t id, const struct event *e, char out[65])
{
	crypto_generichash_state h;
	unsigned char digest[32];
	char ids[64];

	crypto_generichash_init(&h, NULL, 0, sizeof(digest));
	hash_part(&h, prev);
	snprintf(ids, sizeof(ids), "%lld/%lld/%lld", (long long)id,
	    (long long)e->ticket, (long long)e->at);
	hash_part(&h, ids);
	hash_part(&h, e->actor);
	hash_part(&h, e->kind);
	hash_part(&h, e->field);
	hash_part(&h, e->from);
	hash_part(&h, e->to);
	hash_part(&h, e->note);
	crypto_generichash_final(&h, digest, sizeof(digest));
	sodium_bin2hex(out, 65, digest, sizeof(digest));
}

#define BY_TIME(name, T) \
	static int name(const void *a, const void *b) \
	{ \
		const T *x = a, *y = b; \
		if (x->at != y->at) \
			return x->at < y->at ? -1 : 1; \
		return x->seq < y->seq ? -1 : x->seq > y->seq; \
	}
BY_TIME(cmp_event, struct event)
BY_TIME(cmp_escalation, struct escalation)
BY_TIME(cmp_comment, struct comment)
BY_TIME(cmp_search, struct search)
BY_TIME(cmp_article_event, struct article_event)

static sqlite3 *db;

static int
sql(const char *s)
{
	char *err = NULL;

	if (sqlite3_exec(db, s, NULL, NULL, &err) == SQLITE_OK)
		return 0;
	fprintf(stderr, "kbd-demo: %s: %s\n", s, err ? err : sqlite3_errmsg(db));
	sqlite3_free(err);
	return -1;
}

static sqlite3_stmt *
prep(const char *s)
{
	sqlite3_stmt *q;

	if (sqlite3_prepare_v2(db, s, -1, &q, NULL) != SQLITE_OK) {
		fprintf(stderr, "kbd-demo: %s: %s\n", s, sqlite3_errmsg(db));
		return NULL;
	}
	return q;
}

static int
step(sqlite3_stmt *q)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_DONE)
		return 0;
	fprintf(stderr, "kbd-demo: insert: %s\n", sqlite3_errmsg(db));
	return -1;
}

static void
text(sqlite3_stmt *q, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(q, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, i);
}

static void
num(sqlite3_stmt *q, int i, int64_t v)
{
	sqlite3_bind_int64(q, i, v);
}

static void
num_or_null(sqlite3_stmt *q, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

/* Commit every BATCH rows, so no transaction grows without bound. */
static int
batch(size_t i, const char *what, size_t n)
{
	if (i == 0 || i % BATCH)
		return 0;
	fprintf(stderr, "kbd-demo: %s %zu/%zu\n", what, i, n);
	return sql("COMMIT") || sql("BEGIN");
}

static int
write_all(void)
{
	sqlite3_stmt *q;
	char prev[65] = GENESIS, hash[65];
	size_t i;
	int rc = -1;

	if (sql("BEGIN"))
		return -1;
	fprintf(stderr, "kbd-demo: writing %zu tickets\n", ntickets);
	if (!(q = prep("INSERT INTO tickets (id, title, description, requester_name, "
	    "requester_contact, category, impact, urgency, priority, tier, queue, "
	    "assignee, status, reopened, created, updated, first_response, resolved, "
	    "response_due, resolution_due, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")))
		goto out;
	for (i = 0; i < ntickets; i++) {
		const struct ticket *t = &tickets[i];

		num(q, 1, (int64_t)i + 1);
		text(q, 2, t->title);
		text(q, 3, t->description);
		text(q, 4, t->rname);
		text(q, 5, t->rcontact);
		text(q, 6, t->category);
		text(q, 7, t->impact);
		text(q, 8, t->urgency);
		num(q, 9, t->priority);
		num(q, 10, t->tier);
		text(q, 11, t->queue);
		text(q, 12, t->assignee);
		text(q, 13, t->status);
		num(q, 14, t->reopened);
		num(q, 15, t->created);
		num(q, 16, t->updated);
		num_or_null(q, 17, t->first_response);
		num_or_null(q, 18, t->resolved);
		num(q, 19, t->response_due);
		num(q, 20, t->resolution_due);
		text(q, 21, t->created_by);
		if (step(q) || batch(i + 1, "tickets", ntickets))
			goto fin;
	}
	sqlite3_finalize(q);

	fprintf(stderr, "kbd-demo: writing %zu events (hash chain)\n", events.n);
	qsort(events.v, events.n, sizeof(*events.v), cmp_event);
	if (!(q = prep("INSERT INTO events (id, ticket_id, at, actor, kind, field, "
	    "from_value, to_value, note, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?)")))
		goto out;
	for (i = 0; i < events.n; i++) {
		const struct event *e = &events.v[i];

		event_hash(prev, (int64_t)i + 1, e, hash);
		num(q, 1, (int64_t)i + 1);
		num(q, 2, e->ticket);
		num(q, 3, e->at);
		text(q, 4, e->actor);
		text(q, 5, e->kind);
		text(q, 6, e->field);
		text(q, 7, e->from);
		text(q, 8, e->to);
		text(q, 9, e->note);
		sqlite3_bind_text(q, 10, prev, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(q, 11, hash, -1, SQLITE_TRANSIENT);
		if (step(q) || batch(i + 1, "events", events.n))
			goto fin;
		memcpy(prev, hash, sizeof(prev));
	}
	sqlite3_finalize(q);

	fprintf(stderr, "kbd-demo: writing %zu escalations, %zu comments, %zu links\n",
	    escalations.n, comments.n, links.n);
	qsort(escalations.v, escalations.n, sizeof(*escalations.v), cmp_escalation);
	if (!(q = prep("INSERT INTO escalations (ticket_id, at, actor, kind, from_tier, "
	    "to_tier, reason, tried, steps, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, '[]')")))
		goto out;
	for (i = 0; i < escalations.n; i++) {
		const struct escalation *e = &escalations.v[i];

		num(q, 1, e->ticket);
		num(q, 2, e->at);
		text(q, 3, e->actor);
		text(q, 4, e->kind);
		num(q, 5, e->from_tier);
		num(q, 6, e->to_tier);
		text(q, 7, e->reason);
		text(q, 8, e->tried);
		text(q, 9, e->steps);
		if (step(q) || batch(i + 1, "escalations", escalations.n))
			goto fin;
	}
	sqlite3_finalize(q);
	qsort(comments.v, comments.n, sizeof(*comments.v), cmp_comment);
	if (!(q = prep("INSERT INTO comments (ticket_id, at, author, body, internal) "
	    "VALUES (?, ?, ?, ?, ?)")))
		goto out;
	for (i = 0; i < comments.n; i++) {
		num(q, 1, comments.v[i].ticket);
		num(q, 2, comments.v[i].at);
		text(q, 3, comments.v[i].author);
		text(q, 4, comments.v[i].body);
		num(q, 5, comments.v[i].internal);
		if (step(q) || batch(i + 1, "comments", comments.n))
			goto fin;
	}
	sqlite3_finalize(q);
	if (!(q = prep("INSERT INTO ticket_links (ticket_id, article, relation, at, "
	    "actor) VALUES (?, ?, ?, ?, ?)")))
		goto out;
	for (i = 0; i < links.n; i++) {
		num(q, 1, links.v[i].ticket);
		text(q, 2, links.v[i].article);
		text(q, 3, links.v[i].relation);
		num(q, 4, links.v[i].at);
		text(q, 5, links.v[i].actor);
		if (step(q) || batch(i + 1, "links", links.n))
			goto fin;
	}
	sqlite3_finalize(q);

	fprintf(stderr, "kbd-demo: writing %zu searches\n", searches.n);
	qsort(searches.v, searches.n, sizeof(*searches.v), cmp_search);
	if (!(q = prep("INSERT INTO search_log (at, query, results, sid) VALUES "
	    "(?, ?, ?, ?)")))
		goto out;
	for (i = 0; i < searches.n; i++) {
		const struct search *s = &searches.v[i];

		num(q, 1, s->at);
		text(q, 2, s->query);
		num(q, 3, s->results);
		num_or_null(q, 4, s->sid);
		if (step(q) || batch(i + 1, "searches", searches.n))
			goto fin;
	}
	sqlite3_finalize(q);
	if (!(q = prep("INSERT OR IGNORE INTO search_opens (sid, at) VALUES (?, ?)")))
		goto out;
	for (i = 0; i < searches.n; i++) {
		if (!searches.v[i].opened || searches.v[i].opened > now)
			continue;
		num(q, 1, searches.v[i].sid);
		num(q, 2, searches.v[i].opened);
		if (step(q))
			goto fin;
	}
	sqlite3_finalize(q);

	if (!(q = prep("INSERT INTO article_votes (slug, user_id, helpful, at) VALUES "
	    "(?, ?, ?, ?)")))
		goto out;
	for (i = 0; i < votes.n; i++) {
		text(q, 1, votes.v[i].slug);
		num(q, 2, votes.v[i].user_id);
		num(q, 3, votes.v[i].helpful);
		num(q, 4, votes.v[i].at);
		if (step(q))
			goto fin;
	}
	sqlite3_finalize(q);
	if (!(q = prep("INSERT INTO article_flags (slug, kind, comment, created_by, "
	    "created_at, resolved_by, resolved_at, resolution) VALUES (?, ?, ?, ?, ?, "
	    "?, ?, ?)")))
		goto out;
	for (i = 0; i < flags.n; i++) {
		const struct flag *f = &flags.v[i];

		text(q, 1, f->slug);
		text(q, 2, f->kind);
		text(q, 3, f->comment);
		text(q, 4, f->created_by);
		num(q, 5, f->created_at);
		text(q, 6, f->resolved_by);
		num_or_null(q, 7, f->resolved_at);
		text(q, 8, f->resolution);
		if (step(q))
			goto fin;
	}
	sqlite3_finalize(q);
	qsort(article_events.v, article_events.n, sizeof(*article_events.v),
	    cmp_article_event);
	if (!(q = prep("INSERT INTO article_events (slug, at, actor, kind, rev, note) "
	    "VALUES (?, ?, ?, ?, 0, ?)")))
		goto out;
	for (i = 0; i < article_events.n; i++) {
		text(q, 1, article_events.v[i].slug);
		num(q, 2, article_events.v[i].at);
		text(q, 3, article_events.v[i].actor);
		text(q, 4, article_events.v[i].kind);
		text(q, 5, article_events.v[i].note);
		if (step(q))
			goto fin;
	}
	rc = 0;
fin:
	sqlite3_finalize(q);
out:
	if (rc) {
		sql("ROLLBACK");
		return -1;
	}
	return sql("COMMIT");
}

/* ---- users ---- */

static int
add_agents(struct store *st)
{
	sqlite3_stmt *q;
	char pw[33];
	size_t i;
	bool taken;
	int rc;

	if (!(q = prep("SELECT id FROM users WHERE name = ?")))
		return -1;
	for (i = 0; i < NAGENTS; i++) {
		users_random_hex(pw, 16);
		rc = users_add(st, agents[i].name, agents[i].role, pw, &taken);
		sodium_memzero(pw, sizeof(pw));
		if (rc && !taken) {
			fprintf(stderr, "kbd-demo: cannot add user %s: %s\n", agents[i].name,
			    kb_strerror(rc));
			sqlite3_finalize(q);
			return -1;
		}
		if (!rc)
			audit_log(st, NULL, "user.add", agents[i].name, "kbd-demo");
		text(q, 1, agents[i].name);
		if (sqlite3_step(q) == SQLITE_ROW)
			agents[i].user_id = sqlite3_column_int64(q, 0);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	/* accounts were opened when the agent joined */
	if (!(q = prep("UPDATE users SET created = ? WHERE name = ?")))
		return -1;
	for (i = 0; i < NAGENTS; i++) {
		num(q, 1, year_start + (int64_t)agents[i].since * DAY - between(DAY, 5 * DAY));
		text(q, 2, agents[i].name);
		if (step(q)) {
			sqlite3_finalize(q);
			return -1;
		}
	}
	sqlite3_finalize(q);
	return 0;
}

/* ---- main ---- */

static double
elapsed(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static int64_t
count(const char *table)
{
	char q[128];
	sqlite3_stmt *s;
	int64_t n = -1;

	snprintf(q, sizeof(q), "SELECT count(*) FROM %s", table);
	if ((s = prep(q)) && sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static double
pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

static void
summary(double secs, const char *db_path)
{
	size_t i, up2 = 0, up3 = 0, res = 0, met = 0, l1_first = 0, reopened = 0,
	    st_open = 0, st_new = 0, st_pending = 0, st_esc = 0, st_resolved = 0,
	    st_closed = 0, res_by = 0, opened = 0, sids = 0, zero = 0;
	static const char *const tables[] = { "users", "tickets", "events",
		"escalations", "comments", "ticket_links", "search_log",
		"search_opens", "article_votes", "article_flags", "article_events" };
	struct stat sb;
	int64_t size = 0;

	for (i = 0; i < ntickets; i++) {
		const struct ticket *t = &tickets[i];

		up2 += t->max_tier >= 2;
		up3 += t->max_tier >= 3;
		reopened += t->reopened > 0;
		if (t->resolved) {
			res++;
			met += t->resolved <= t->resolution_due;
			l1_first += !t->escalated && t->tier == 1;
		}
		st_new += strcmp(t->status, "new") == 0;
		st_open += strcmp(t->status, "open") == 0;
		st_pending += strcmp(t->status, "pending") == 0;
		st_esc += strcmp(t->status, "escalated") == 0;
		st_resolved += strcmp(t->status, "resolved") == 0;
		st_closed += strcmp(t->status, "closed") == 0;
	}
	for (i = 0; i < links.n; i++)
		res_by += strcmp(links.v[i].relation, "resolved-by") == 0;
	for (i = 0; i < searches.n; i++) {
		sids += searches.v[i].sid != 0;
		opened += searches.v[i].sid && searches.v[i].opened &&
		    searches.v[i].opened <= now;
		zero += searches.v[i].results == 0;
	}
	if (stat(db_path, &sb) == 0)
		size = (int64_t)sb.st_size;
	printf("kbd-demo: %s: %zu tickets in %.1f s, database %.1f MiB\n", db_path,
	    ntickets, secs, (double)size / 1048576.0);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		printf("  %-15s %lld rows\n", tables[i], (long long)count(tables[i]));
	printf("  shape: escalated to L2 %.1f %%, of those to L3 %.1f %%; resolved "
	    "at L1 without escalation %.1f %% of all tickets\n", pct(up2, ntickets),
	    pct(up3, up2), pct(l1_first, ntickets));
	printf("  shape: resolved %.1f %%, SLA met %.1f %% of them, resolved-by "
	    "links on %.1f %%, reopened %.1f %%\n", pct(res, ntickets), pct(met, res),
	    pct(res_by, res), pct(reopened, ntickets));
	printf("  now: %zu new, %zu open, %zu pending, %zu escalated, %zu resolved, "
	    "%zu closed\n", st_new, st_open, st_pending, st_esc, st_resolved, st_closed);
	printf("  searches: %zu zero-result (%.1f %%), %.1f %% of results pages "
	    "opened\n", zero, pct(zero, searches.n), pct(opened, sids));
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: kbd-demo DATA_DIR [TICKETS] [--seed N]\n"
	    "  fills DATA_DIR/kbd.db (new or empty) with a generated year of\n"
	    "  tickets, escalations, the incident log, links, votes, flags and\n"
	    "  searches for the metrics dashboard; TICKETS defaults to %d\n",
	    DEFAULT_TICKETS);
}

int
main(int argc, char **argv)
{
	const char *dir = NULL;
	long n = DEFAULT_TICKETS, seed = DEFAULT_SEED, v;
	bool have_n = false;
	struct store *st = NULL;
	struct incident *incs = NULL;
	struct birth *b = NULL;
	struct buf path;
	struct timespec t0;
	size_t i, ninc = 0;
	char *err = NULL;
	int64_t existing;
	int status = 1, a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-h") == 0 || strcmp(argv[a], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc) {
			if (kb_strtol_range(argv[++a], 0, 0x7fffffffL, &seed)) {
				fprintf(stderr, "kbd-demo: --seed wants a number 0..2147483647\n");
				return 2;
			}
		} else if (argv[a][0] == '-' && argv[a][1]) {
			usage(stderr);
			return 2;
		} else if (!dir) {
			dir = argv[a];
		} else if (!have_n && kb_strtol_range(argv[a], 1, TICKETS_MAX, &v) == KB_OK) {
			n = v;
			have_n = true;
		} else {
			fprintf(stderr, "kbd-demo: '%s': TICKETS is a number 1..%ld\n",
			    argv[a], TICKETS_MAX);
			return 2;
		}
	}
	if (!dir) {
		usage(stderr);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	kb_log_set_level(LOG_WARNING);
	if (users_init()) {
		fputs("kbd-demo: cannot initialise libsodium\n", stderr);
		return 1;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "kbd-demo: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	buf_init(&path, 256);
	buf_printf(&path, "%s/kbd.db", dir);
	if (store_open(buf_str(&path), &st, &err)) {
		fprintf(stderr, "kbd-demo: %s: %s\n", buf_str(&path), err ? err : "cannot open");
		free(err);
		buf_release(&path);
		return 1;
	}
	db = store_db(st);
	existing = count("tickets");
	if (existing != 0 || count("events") != 0) {
		if (existing < 0)
			fprintf(stderr, "kbd-demo: %s: cannot read the tickets table\n",
			    buf_str(&path));
		else
			fprintf(stderr, "kbd-demo: %s already has %lld tickets (and their "
			    "events); the demo history only goes into an empty database. "
			    "Remove %s or give another directory.\n", buf_str(&path),
			    (long long)existing, dir);
		goto done;
	}
	if (workflow_config_load(NULL, &wf, &err)) {
		fprintf(stderr, "kbd-demo: workflow: %s\n", err ? err : "?");
		free(err);
		goto done;
	}
	for (i = 0; i < NPROBLEMS; i++)
		if (!workflow_criterion(&wf, problems[i].reason)) {
			fprintf(stderr, "kbd-demo: '%s' is not a built-in escalation "
			    "criterion of kbd/workflow.c\n", problems[i].reason);
			goto done;
		}
	seed_rng((uint64_t)seed);
	/* the start of this hour: the same seed gives the same history all hour */
	now = (int64_t)time(NULL) / HOUR * HOUR;
	year_start = now - 365 * DAY;
	ntickets = (size_t)n;

	/* the admin account as kbd's first start makes it, then the agents */
	if (cli_initial_admin(buf_str(&path), dir) || add_agents(st))
		goto done;

	fprintf(stderr, "kbd-demo: simulating %zu tickets (seed %ld)\n", ntickets, seed);
	tickets = xcalloc(ntickets, sizeof(*tickets));
	b = births(ntickets, &incs, &ninc);
	for (i = 0; i < ntickets; i++) {
		struct sim s = { 0 };

		s.t = &tickets[i];
		s.id = (int64_t)i + 1;
		s.t->created = b[i].at;
		if (b[i].incident) {
			s.fix_at = incs[b[i].incident - 1].end;
			s.lead = b[i].lead;
		}
		simulate(&s, &problems[b[i].problem]);
		if ((i + 1) % 10000 == 0)
			fprintf(stderr, "kbd-demo: simulated %zu/%zu\n", i + 1, ntickets);
	}
	background_searches(ntickets * 7 / 10);
	feedback();

	if (sql("PRAGMA synchronous = OFF") || write_all())
		goto done;
	sql("PRAGMA synchronous = FULL");
	sql("PRAGMA wal_checkpoint(TRUNCATE)");
	summary(elapsed(&t0), buf_str(&path));
	status = 0;
done:
	if (status)
		fprintf(stderr, "kbd-demo: failed\n");
	store_close(st);
	workflow_config_release(&wf);
	buf_release(&path);
	free(b);
	free(incs);
	free(tickets);
	free(events.v);
	free(escalations.v);
	free(comments.v);
	free(links.v);
	free(searches.v);
	free(votes.v);
	free(flags.v);
	free(article_events.v);
	arena_release();
	return status;
}
