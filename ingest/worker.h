#ifndef OLIGO_INGEST_WORKER_H
#define OLIGO_INGEST_WORKER_H

/*
 * The parser process.  Untrusted documents are parsed and committed in a
 * child process, so a document that crashes the parser or exhausts its
 * limits fails only its own source.  One child serves many documents (a
 * fork per document would cost more than the work on small feeds); each
 * document gets a fresh CPU allowance, and the child's address space is
 * capped.  When a child dies, the document it was on is reported failed
 * and the next document starts a new child.
 *
 * The child is forked after the documents are in memory and reads them
 * from its copy; only indexes and one-line results cross the pipes.
 *
 * Small documents are committed in batches (db_batch_begin()): one
 * transaction for up to WORKER_BATCH_DOCS of them, each in its own
 * savepoint, so each source is still all-old or all-new after a crash
 * while a thousand one-item feeds cost a few commits instead of a
 * thousand.  A result is final only once its batch has committed: when
 * the child dies inside a batch, the document it was on fails and the
 * others are sent again to a new child; when a batch cannot commit, its
 * documents are sent again one transaction each.  Large documents are
 * always alone, as they were.
 */

#include <stddef.h>

#include "ingest/store.h"
#include "lib/strbuf.h"

struct worker;

/* A worker for the n documents in docs (borrowed; must outlive it). */
struct worker *worker_new(const char *db_path, const struct store_input *docs,
                          size_t n);

/*
 * The indexes worker_run() will be called with, in that order (copied).
 * Without a plan every document is committed alone.
 */
void worker_plan(struct worker *w, const size_t *idx, size_t n);

/*
 * Parse and commit docs[i].  On success *msg is "ok N" (N new items and
 * filings) and the result is ST_OK; otherwise *msg says what failed and
 * the result is the child's status (ST_DATAERR for a bad document,
 * ST_IOERR for a database that cannot be written, such as a full disk),
 * or ST_DATAERR when the child died (*msg names the signal).
 */
enum status worker_run(struct worker *w, size_t i, struct strbuf *msg);

/* Stop the child (if any) and free w. */
void worker_free(struct worker *w);

#endif
