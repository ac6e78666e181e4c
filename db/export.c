#include "db/export.h"

static void
put_value(struct csv_writer *w, const struct view_col *col,
	  struct view_cursor *c, size_t i)
{
	if (view_is_null(c, i)) {
		csv_put_null(w);
		return;
	}
	switch (col->type) {
	case COL_TEXT:
	case COL_DATE:
		/* Dates are text from the data too: defuse them the same
		 * way (a real date never starts with = + - @). */
		csv_put_text(w, view_text(c, i));
		break;
	case COL_INT:
	case COL_USD:
		csv_put_int(w, (long long)view_int(c, i));
		break;
	case COL_REAL:
	case COL_PCT:
	case COL_POINTS:
		csv_put_double(w, view_real(c, i), CSV_SHORTEST);
		break;
	}
}

enum status
view_export(struct db *db, const struct view_def *v,
	    const struct view_filter *f, struct csv_writer *w, size_t *rows)
{
	struct view_cursor *c;
	enum status rc;
	size_t n = 0;
	bool row;

	if ((rc = view_open(db, v, f, &c)))
		return rc;
	for (size_t i = 0; i < v->ncols; i++)
		csv_put_number(w, v->cols[i].name);
	csv_end_record(w);
	while (!(rc = view_step(c, &row)) && row) {
		for (size_t i = 0; i < v->ncols; i++)
			put_value(w, &v->cols[i], c, i);
		csv_end_record(w);
		n++;
	}
	view_close(c);
	if (!rc)
		rc = csv_writer_error(w);
	if (rows)
		*rows = n;
	return rc;
}
