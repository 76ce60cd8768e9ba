/*
 * Desktop notifications with libnotify. Feed text is made valid UTF-8,
 * stripped of control characters and escaped before it reaches body markup;
 * the summary is plain text per the specification. Notices with the same key
 * replace each other in place (the server sees replaces_id). Actions ("Open")
 * are offered only when the server advertises them; otherwise, when it
 * supports body hyperlinks, the link goes into the body.
 */
#include <string.h>

#include <glib.h>
#include <libnotify/notify.h>

#include "buf.h"
#include "log.h"
#include "notify.h"
#include "util.h"

#define NOTIFY_SLOTS	32

struct slot {
	char			*key;
	NotifyNotification	*n;
	char			*link;
};

struct notifier {
	char		*app;
	int		 inited;
	int		 caps_known;
	int		 cap_markup, cap_links, cap_actions;
	struct slot	 slots[NOTIFY_SLOTS];
	unsigned	 next_slot;
	int		 failing;
};

struct notifier *
notifier_new(const char *app)
{
	struct notifier	*nt;

	nt = xcalloc(1, sizeof *nt);
	nt->app = xstrdup(app);
	return nt;
}

static void
slot_clear(struct slot *s)
{
	free(s->key);
	free(s->link);
	if (s->n != NULL)
		g_object_unref(s->n);
	memset(s, 0, sizeof *s);
}

void
notifier_free(struct notifier *nt)
{
	unsigned	i;

	if (nt == NULL)
		return;
	for (i = 0; i < NOTIFY_SLOTS; i++)
		slot_clear(&nt->slots[i]);
	if (nt->inited)
		notify_uninit();
	free(nt->app);
	free(nt);
}

/* Valid UTF-8, no control characters but '\n' (when keep_nl), no NUL. */
static char *
clean_text(const char *s, int keep_nl)
{
	struct buf	 b;
	gchar		*valid;
	const char	*p;

	valid = g_utf8_make_valid(s != NULL ? s : "", -1);
	buf_init(&b, 0);
	for (p = valid; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n' && keep_nl)
			buf_addc(&b, '\n');
		else if (c < 0x20 || c == 0x7f)
			buf_addc(&b, ' ');
		else
			buf_addc(&b, c);
	}
	g_free(valid);
	return buf_steal(&b);
}

char *
notify_escape(const char *s)
{
	struct buf	 b;
	char		*clean;

	clean = clean_text(s, 1);
	buf_init(&b, 0);
	buf_add_xml(&b, clean, strlen(clean));
	free(clean);
	return buf_steal(&b);
}

static int
link_ok(const char *link)
{
	return link != NULL && (strncmp(link, "https://", 8) == 0 ||
	    strncmp(link, "http://", 7) == 0) && strpbrk(link, " \t\r\n\"'<>") == NULL;
}

static void
notifier_caps(struct notifier *nt)
{
	GList	*caps, *l;

	nt->cap_markup = nt->cap_links = nt->cap_actions = 0;
	caps = notify_get_server_caps();
	for (l = caps; l != NULL; l = l->next) {
		if (strcmp(l->data, "body-markup") == 0)
			nt->cap_markup = 1;
		else if (strcmp(l->data, "body-hyperlinks") == 0)
			nt->cap_links = 1;
		else if (strcmp(l->data, "actions") == 0)
			nt->cap_actions = 1;
	}
	nt->caps_known = caps != NULL;
	g_list_free_full(caps, g_free);
}

static void
open_link(NotifyNotification *n, char *action, gpointer data)
{
	const char	*link = data;
	char		*argv[] = { "xdg-open", (char *)link, NULL };
	GError		*err = NULL;

	if (!g_spawn_async(NULL, argv, NULL, G_SPAWN_SEARCH_PATH |
	    G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
	    NULL, NULL, NULL, &err)) {
		log_warn("cannot open %s: %s", link, err->message);
		g_error_free(err);
	}
}

static char *
notice_body(const struct notifier *nt, const struct notice *nc, int with_link)
{
	struct buf	 b;
	char		*t;

	buf_init(&b, 0);
	if (nt->cap_markup) {
		t = notify_escape(nc->headline);
		buf_addf(&b, "<b>%s</b>", t);
		free(t);
	} else {
		t = clean_text(nc->headline, 0);
		buf_adds(&b, t);
		free(t);
	}
	if (nc->count > 1)
		buf_addf(&b, " (+%u more)", nc->count - 1);
	if (nc->source != NULL && *nc->source != '\0') {
		t = nt->cap_markup ? notify_escape(nc->source) : clean_text(nc->source, 0);
		buf_addf(&b, "\n%s", t);
		free(t);
	}
	if (nc->matched != NULL && *nc->matched != '\0') {
		t = nt->cap_markup ? notify_escape(nc->matched) : clean_text(nc->matched, 0);
		buf_addf(&b, "\nmatched: %s", t);
		free(t);
	}
	if (with_link) {
		t = notify_escape(nc->link);
		buf_addf(&b, "\n<a href=\"%s\">%s</a>", t, t);
		free(t);
	}
	return buf_steal(&b);
}

static NotifyUrgency
urgency(enum priority p)
{
	switch (p) {
	case PRIO_LOW:
		return NOTIFY_URGENCY_LOW;
	case PRIO_CRITICAL:
		return NOTIFY_URGENCY_CRITICAL;
	default:
		return NOTIFY_URGENCY_NORMAL;
	}
}

static struct slot *
slot_for(struct notifier *nt, const char *key)
{
	struct slot	*s;
	unsigned	 i;

	if (key != NULL)
		for (i = 0; i < NOTIFY_SLOTS; i++)
			if (nt->slots[i].key != NULL && strcmp(nt->slots[i].key, key) == 0)
				return &nt->slots[i];
	s = &nt->slots[nt->next_slot++ % NOTIFY_SLOTS];
	slot_clear(s);
	s->key = key != NULL ? xstrdup(key) : NULL;
	return s;
}

int
notifier_show(struct notifier *nt, const struct notice *nc, uint32_t *id, char **cause)
{
	struct slot	*s;
	char		*summary, *body;
	GError		*err = NULL;
	gint		 nid = 0;
	int		 with_link, rv = 0;

	if (!nt->inited) {
		if (!notify_init(nt->app)) {
			*cause = xstrdup("cannot initialise libnotify");
			return -1;
		}
		nt->inited = 1;
	}
	if (!nt->caps_known || nt->failing)
		notifier_caps(nt);
	with_link = link_ok(nc->link) && !nt->cap_actions && nt->cap_links &&
	    nt->cap_markup;
	summary = clean_text(nc->summary, 0);
	body = notice_body(nt, nc, with_link);

	s = slot_for(nt, nc->key);
	if (s->n == NULL)
		s->n = notify_notification_new(summary, body, NULL);
	else
		notify_notification_update(s->n, summary, body, NULL);
	notify_notification_set_app_name(s->n, nt->app);
	notify_notification_set_urgency(s->n, urgency(nc->priority));
	notify_notification_set_category(s->n, "x-wirewatch.match");
	notify_notification_set_hint(s->n, "desktop-entry",
	    g_variant_new_string(nt->app));
	notify_notification_set_timeout(s->n, nc->priority == PRIO_HIGH ? 15000 :
	    NOTIFY_EXPIRES_DEFAULT);
	notify_notification_clear_actions(s->n);
	free(s->link);
	s->link = NULL;
	if (link_ok(nc->link) && nt->cap_actions) {
		s->link = xstrdup(nc->link);
		notify_notification_add_action(s->n, "default", "Open", open_link,
		    s->link, NULL);
	}
	if (!notify_notification_show(s->n, &err)) {
		*cause = xstrdup(err != NULL ? err->message : "notification failed");
		g_clear_error(&err);
		if (!nt->failing)
			log_warn("notifications unavailable: %s", *cause);
		nt->failing = 1;
		slot_clear(s);
		rv = -1;
	} else {
		if (nt->failing)
			log_info("notifications available again");
		nt->failing = 0;
		g_object_get(s->n, "id", &nid, NULL);
		if (id != NULL)
			*id = (uint32_t)nid;
	}
	free(summary);
	free(body);
	return rv;
}

int
notifier_pollfds(struct notifier *nt, int *fds, int max)
{
	GMainContext	*ctx = g_main_context_default();
	GPollFD		 pfd[16];
	gint		 prio, timeout, n, i, k = 0;

	if (nt == NULL || !nt->inited || !g_main_context_acquire(ctx))
		return 0;
	g_main_context_prepare(ctx, &prio);
	n = g_main_context_query(ctx, prio, &timeout, pfd, 16);
	if (n > 16)
		n = 16;
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	g_main_context_check(ctx, prio, pfd, n);
	g_main_context_release(ctx);
	for (i = 0; i < n && k < max; i++)
		if (pfd[i].events & G_IO_IN)
			fds[k++] = pfd[i].fd;
	return k;
}

void
notifier_dispatch(struct notifier *nt)
{
	while (g_main_context_iteration(NULL, FALSE))
		;
}
