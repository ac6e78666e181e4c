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
 * from its copy; only an index and a one-line result cross the pipes.
 */

#include <stddef.h>

#include "ingest/store.h"
#include "lib/strbuf.h"

struct worker;

/* A worker for the n documents in docs (borrowed; must outlive it). */
struct worker *worker_new(const char *db_path, const struct store_input *docs,
                          size_t n);

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
