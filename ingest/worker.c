#include "ingest/worker.h"

#include <assert.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/db.h"
#include "lib/testhook.h"
#include "lib/xalloc.h"

#define DOC_CPU_S 60
#define CHILD_MEM (1024ul << 20)

/* A batch: at most this many documents, each under SMALL_DOC bytes,
 * BATCH_BYTES in all.  Bigger documents pay for their own commit. */
#define BATCH_DOCS  64
#define SMALL_DOC   (64u << 10)
#define BATCH_BYTES (512u << 10)

enum doc_state {
	DOC_NEW,   /* not sent, or to be sent again */
	DOC_ALONE, /* to be sent again, in a batch of its own */
	DOC_DONE,  /* result final */
};

struct doc_result {
	enum doc_state state;
	enum status rc;
	char *msg;
};

struct worker {
	const char *db_path;
	const struct store_input *docs;
	size_t n;
	struct doc_result *res; /* n */
	uint32_t *plan;         /* nplan indexes, in worker_run() order */
	size_t nplan, next;     /* next: first plan entry not yet done */
	pid_t pid;              /* 0: no child running */
	int cmd, out;           /* parent's ends: write indexes, read results */
	char buf[4096];         /* result bytes read but not yet consumed */
	size_t have;
};

static bool
read_full(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t k = read(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p = (char *)p + k;
		n -= (size_t)k;
	}
	return true;
}

static bool
write_full(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		p = (const char *)p + k;
		n -= (size_t)k;
	}
	return true;
}

/* Give the next document a fresh CPU allowance on top of what the
 * child has used so far. */
static void
limit_cpu(void)
{
	struct rusage ru;
	struct rlimit cpu;

	getrusage(RUSAGE_SELF, &ru);
	cpu.rlim_cur =
	    (rlim_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + DOC_CPU_S);
	cpu.rlim_max = cpu.rlim_cur + 1;
	setrlimit(RLIMIT_CPU, &cpu);
}

/* "STATUS message" or "0 ok N", one line */
static void
reply_line(struct strbuf *sb, enum status rc, size_t added)
{
	size_t start = sb->len;

	/* the status travels too: a full disk must not pass for bad data */
	if (rc)
		strbuf_addf(sb, "%d %s", (int)rc, err_msg());
	else
		strbuf_addf(sb, "0 ok %zu", added);
	for (char *p = sb->buf + start; *p; p++) /* one line per result */
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	strbuf_addch(sb, '\n');
}

static void
send_lines(int fd, struct strbuf *sb)
{
	if (!write_full(fd, sb->buf, sb->len))
		_exit(1);
	strbuf_reset(sb);
}

/*
 * One command: k indexes, committed together.  Each result line goes out
 * as soon as it is known (so the parent can tell which document a crash
 * was on), then "C" once all are committed or "R" when the batch had to
 * be rolled back (its results are void).
 */
static void
run_batch(struct worker *w, struct db *db, enum status open_rc,
          const uint32_t *idx, uint32_t k, int out)
{
	struct strbuf sb = STRBUF_INIT;
	/* a batch that cannot start runs as lone documents */
	bool batch = k > 1 && !open_rc && !db_batch_begin(db);
	bool void_batch = false;

	for (uint32_t j = 0; j < k && !void_batch; j++) {
		size_t added = 0;
		enum status rc = open_rc;

		limit_cpu();
		if (!rc && idx[j] < w->n)
			rc = store_document(db, &w->docs[idx[j]], &added);
		/* the disk, not the document: try each one alone */
		if (batch && (rc == ST_IOERR || rc == ST_CANTCREAT))
			void_batch = true;
		reply_line(&sb, rc, added);
		send_lines(out, &sb);
	}
	if (batch && !void_batch && db_batch_commit(db))
		void_batch = true;
	if (void_batch)
		db_batch_rollback(db);
	else if (batch)
		test_pause("after-commit");
	strbuf_adds(&sb, void_batch ? "R\n" : "C\n");
	send_lines(out, &sb);
	strbuf_release(&sb);
}

static _Noreturn void
child_main(struct worker *w, int cmd, int out)
{
	struct db *db = NULL;
	enum status open_rc;
	uint32_t k, idx[BATCH_DOCS];

#if !defined(__SANITIZE_ADDRESS__)
	{
		/* ASan reserves terabytes of address space up front */
		struct rlimit mem = {CHILD_MEM, CHILD_MEM};

		setrlimit(RLIMIT_AS, &mem);
	}
#endif
	open_rc = db_open(&db, w->db_path, DB_READWRITE);
	if (!open_rc)
		open_rc = db_relax_sync(db);
	while (read_full(cmd, &k, sizeof(k)) && k >= 1 && k <= BATCH_DOCS &&
	       read_full(cmd, idx, k * sizeof(*idx)))
		run_batch(w, db, open_rc, idx, k, out);
	db_close(db);
	_exit(0);
}

struct worker *
worker_new(const char *db_path, const struct store_input *docs, size_t n)
{
	struct worker *w = xcalloc(1, sizeof(*w));

	w->db_path = db_path;
	w->docs = docs;
	w->n = n;
	w->res = xcalloc(n ? n : 1, sizeof(*w->res));
	w->cmd = w->out = -1;
	return w;
}

void
worker_plan(struct worker *w, const size_t *idx, size_t n)
{
	free(w->plan);
	w->plan = xcalloc(n ? n : 1, sizeof(*w->plan));
	for (size_t j = 0; j < n; j++) {
		assert(idx[j] < w->n);
		w->plan[j] = (uint32_t)idx[j];
	}
	w->nplan = n;
	w->next = 0;
}

static enum status
start(struct worker *w)
{
	int cmd[2], out[2];

	if (pipe(cmd))
		return err_set(ST_IOERR, "cannot create a pipe: %s",
		               strerror(errno));
	if (pipe(out)) {
		close(cmd[0]);
		close(cmd[1]);
		return err_set(ST_IOERR, "cannot create a pipe: %s",
		               strerror(errno));
	}
	fflush(NULL);
	if ((w->pid = fork()) < 0) {
		w->pid = 0;
		close(cmd[0]), close(cmd[1]), close(out[0]), close(out[1]);
		return err_set(ST_IOERR, "cannot fork: %s", strerror(errno));
	}
	if (w->pid == 0) {
		close(cmd[1]);
		close(out[0]);
		child_main(w, cmd[0], out[1]);
	}
	close(cmd[0]);
	close(out[1]);
	w->cmd = cmd[1];
	w->out = out[0];
	w->have = 0;
	return ST_OK;
}

/* The child is gone: collect it and say how it ended. */
static void
reap(struct worker *w, struct strbuf *msg)
{
	int status = 0;

	close(w->cmd);
	close(w->out);
	w->cmd = w->out = -1;
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
	strbuf_reset(msg);
	if (WIFSIGNALED(status))
		strbuf_addf(msg, "parser stopped by signal %d%s",
		            WTERMSIG(status),
		            WTERMSIG(status) == SIGXCPU ? " (CPU limit)" : "");
	else
		strbuf_addf(msg, "parser exited with status %d",
		            WEXITSTATUS(status));
}

/* One result line into msg; false when the child died first. */
static bool
read_line(struct worker *w, struct strbuf *msg)
{
	for (;;) {
		char *nl = memchr(w->buf, '\n', w->have);
		ssize_t k;

		if (nl) {
			size_t len = (size_t)(nl - w->buf);

			strbuf_add(msg, w->buf, len);
			memmove(w->buf, nl + 1, w->have - len - 1);
			w->have -= len + 1;
			return true;
		}
		if (w->have == sizeof(w->buf)) { /* overlong: keep a prefix */
			strbuf_add(msg, w->buf, w->have);
			w->have = 0;
		}
		k = read(w->out, w->buf + w->have, sizeof(w->buf) - w->have);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		w->have += (size_t)k;
	}
}

static enum status
parse_reply(const struct strbuf *line, struct strbuf *msg)
{
	char *end;
	long st = strtol(line->buf, &end, 10);

	if (end == line->buf || *end != ' ' || st < 0 || st > ST_CONFIG) {
		strbuf_adds(msg, "parser sent a malformed reply");
		return ST_SOFTWARE;
	}
	strbuf_adds(msg, end + 1);
	return (enum status)st;
}

static void
settle(struct doc_result *d, enum status rc, const char *msg)
{
	free(d->msg);
	d->msg = xstrdup(msg);
	d->rc = rc;
	d->state = DOC_DONE;
}

/* The batch for docs[i]: i, then the planned documents after it while
 * they are small and the batch has room. */
static uint32_t
pick_batch(struct worker *w, size_t i, uint32_t *idx)
{
	size_t bytes = w->docs[i].len, j;
	uint32_t k = 0;

	idx[k++] = (uint32_t)i;
	while (w->next < w->nplan && w->res[w->plan[w->next]].state == DOC_DONE)
		w->next++;
	if (w->next == w->nplan || w->plan[w->next] != i ||
	    w->res[i].state == DOC_ALONE || w->docs[i].len >= SMALL_DOC)
		return k;
	for (j = w->next + 1; j < w->nplan && k < BATCH_DOCS; j++) {
		const struct store_input *d = &w->docs[w->plan[j]];

		if (w->res[w->plan[j]].state != DOC_NEW ||
		    d->len >= SMALL_DOC || bytes + d->len > BATCH_BYTES)
			break;
		bytes += d->len;
		idx[k++] = w->plan[j];
	}
	return k;
}

/* Read result lines up to the closing "C" or "R" (returned), or 0 when
 * the child died first; *got counts the results. */
static char
read_batch(struct worker *w, uint32_t k, enum status *rcs, struct strbuf *msgs,
           uint32_t *got)
{
	struct strbuf line = STRBUF_INIT;
	char end = 0;

	for (*got = 0; !end && read_line(w, &line); strbuf_reset(&line)) {
		if (!strcmp(line.buf, "C") || !strcmp(line.buf, "R"))
			end = line.buf[0];
		else if (*got < k) {
			rcs[*got] = parse_reply(&line, &msgs[*got]);
			(*got)++;
		}
	}
	strbuf_release(&line);
	return end;
}

/*
 * Send one batch and collect its results.  They become final on "C"; on
 * "R" every document of the batch goes again alone; when the child dies,
 * the document it was on fails with the reason and the rest go again.
 */
static enum status
run_one_batch(struct worker *w, size_t i)
{
	uint32_t idx[BATCH_DOCS], k = pick_batch(w, i, idx), got = 0;
	enum status rcs[BATCH_DOCS], rc;
	struct strbuf msgs[BATCH_DOCS], why = STRBUF_INIT;
	char end = 0;

	if (!w->pid && (rc = start(w)))
		return rc;
	for (uint32_t j = 0; j < k; j++)
		strbuf_init(&msgs[j], 0);
	if (write_full(w->cmd, &k, sizeof(k)) &&
	    write_full(w->cmd, idx, k * sizeof(*idx)))
		end = read_batch(w, k, rcs, msgs, &got);
	if (!end)
		reap(w, &why);
	for (uint32_t j = 0; j < k; j++) {
		struct doc_result *d = &w->res[idx[j]];

		/* a lone document has committed once its result is out */
		if (j < got && (end == 'C' || k == 1))
			settle(d, rcs[j], msgs[j].buf);
		else if (!end && j == got) /* the child died on it */
			settle(d, ST_DATAERR, why.buf);
		else if (end == 'R' || (!end && got == k)) /* or committing */
			d->state = DOC_ALONE;
		strbuf_release(&msgs[j]);
	}
	strbuf_release(&why);
	return ST_OK;
}

enum status
worker_run(struct worker *w, size_t i, struct strbuf *msg)
{
	enum status rc;

	assert(i < w->n);
	strbuf_reset(msg);
	while (w->res[i].state != DOC_DONE)
		if ((rc = run_one_batch(w, i)))
			return rc;
	strbuf_adds(msg, w->res[i].msg);
	return w->res[i].rc;
}

void
worker_free(struct worker *w)
{
	struct strbuf ignored = STRBUF_INIT;

	if (!w)
		return;
	if (w->pid)
		reap(w, &ignored); /* closing the pipe ends its loop */
	strbuf_release(&ignored);
	for (size_t i = 0; i < w->n; i++)
		free(w->res[i].msg);
	free(w->res);
	free(w->plan);
	free(w);
}
