#ifndef OLIGO_INGEST_EPOCH_H
#define OLIGO_INGEST_EPOCH_H

/*
 * Epoch AI's CSV downloads (CC BY 4.0, https://epoch.ai/data): who owns
 * AI compute and who trains the notable models.
 *
 *   EPOCH_CHIP_OWNERS   AI Chip Owners, long format: one row per owner,
 *                       date (or quarter) and optionally chip type, with
 *                       H100-equivalents.  Rows of one owner and quarter
 *                       are summed into one compute row.
 *   EPOCH_GPU_CLUSTERS  GPU Clusters: one row per cluster.  Each owner
 *                       gets, for every quarter from its first cluster to
 *                       the file's latest first-operational date, the
 *                       H100e of its "Existing" clusters operational by
 *                       that quarter's end (known clusters only: a lower
 *                       bound on what the owner has).
 *   EPOCH_MODELS        Notable AI Models into epoch_model.
 *
 * Columns are found by header name, case-insensitively after trimming,
 * in any order; other columns are ignored.  A required column that is
 * missing is an error naming the column and the other spellings
 * accepted.  Accepted names (the first
 * of each list is Epoch's published header where known; the others are
 * spellings seen in loaders and older downloads):
 *   chip owners  owner: Owner | Organization | Company
 *                date:  End date | Date | Quarter | Period
 *                h100e: Compute estimate in H100e (median) |
 *                       H100e compute power (median) | H100e (median) |
 *                       Median H100e | H100e | H100 equivalents |
 *                       H100-equivalents | Cumulative H100e
 *                chip (optional): Chip type | Chip manufacturer | Chip |
 *                       Designer | Chip designer | Chip type (primary)
 *                (Epoch's cumulative_by_designer.csv and
 *                cumulative_by_chip_type.csv; quarters_by_chip_type.csv
 *                holds a quarter's additions, not what is owned, and
 *                must not be imported as chip owners)
 *   clusters     name: Name   owner: Owner   date: First Operational Date
 *                h100e: H100 equivalents | H100e | H100-equivalents
 *                status (optional; only "Existing" counts): Status
 *                power (optional, summed into the note): Power Capacity (MW)
 *                chip (optional): Chip type (primary) | Chip type
 *   models       name: Model | System   organization: Organization
 *                published (optional): Publication date
 *                flop (optional): Training compute (FLOP)
 *                hardware (optional): Training hardware
 * Dates are YYYY-MM-DD (a time after it is ignored), YYYY-MM, or for
 * chip owners a quarter (2025Q3, 2025 Q3, Q3 2025).  Numbers are plain
 * decimals (1e6 and 1,234,567 accepted), finite and >= 0; a unit such as
 * "5M" is an error, an empty cell an unknown (the row is skipped and
 * counted in a note).
 *
 * Owners (organizations) map to entities through names and aliases
 * (entity_find; an organization list "A, B" maps through its first
 * part that matches).  A name that maps to nothing is never created as
 * an entity -- "Other", "China" or a university are not firms the
 * analysis can name -- and is reported once in rep->notes with how many
 * rows it had; compute rows need an owner and are left out, models are
 * stored without an entity.
 *
 * Writes: compute rows with origin 'epoch-chip-owners' (confidence
 * 'medium') or 'epoch-gpu-clusters' (confidence 'low': known clusters
 * only, so where both give an owner and quarter the analysis takes the
 * chip owners' total); the two measure different things and must not
 * overwrite each other; period "2025Q3", as_of the quarter's last day,
 * source naming Epoch AI, the dataset and the file; epoch_model rows.
 * The file replaces what an earlier import of the same dataset wrote
 * (rows it no longer has are deleted), in one transaction: any error is
 * ST_DATAERR "FILE:LINE: what" and nothing is kept.  Importing the same
 * file twice changes nothing.
 */

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"
#include "db/ownership.h"
#include "lib/csv.h"

enum epoch_kind { EPOCH_CHIP_OWNERS, EPOCH_GPU_CLUSTERS, EPOCH_MODELS };

/* "epoch-chip-owners", "epoch-gpu-clusters", "epoch-models". */
bool epoch_kind_from_name(const char *name, enum epoch_kind *out /* OUT */);

enum status epoch_import(struct db *db, enum epoch_kind kind, const char *path,
                         struct own_report *rep /* OUT */);

/*
 * The same for a document in memory (an ingest source's download), named
 * name in messages and in the source column, written inside the caller's
 * transaction: on an error the caller rolls back.
 */
enum status epoch_import_mem(struct db *db, enum epoch_kind kind,
                             const char *name, const char *data, size_t len,
                             struct own_report *rep /* OUT */);

/* One checked row, as epoch_parse() hands it out (strings borrowed). */
struct epoch_row {
	size_t line;
	const char *owner; /* owner or organization, clean, non-empty */
	const char *name;  /* cluster or model; "" for chip owners */
	const char *date;  /* YYYY-MM-DD, YYYY-MM or "" */
	char period[7];    /* 2025Q3; "" when the row has no date */
	double h100e;      /* < 0: unknown (models: always) */
	double power_mw;   /* < 0: unknown */
	const char *chip;  /* may be "" */
	const char *flop;  /* models: a checked number or "" */
	const char *hardware;
	bool counts; /* clusters: status Existing (or no status column) */
};

/*
 * Parse the CSV behind r (header first) and call fn for every row, in
 * order; stops at the first error, fn's or a "NAME:LINE: what" of the
 * file.  No database: this is what the importer and the fuzzer share.
 */
enum status epoch_parse(struct csv_reader *r, enum epoch_kind kind,
                        enum status (*fn)(void *ctx,
                                          const struct epoch_row *row),
                        void *ctx);

#endif
