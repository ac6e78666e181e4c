#include "db/schema.h"

/* Tables for 13F holdings, shares outstanding and Epoch AI datasets, part
 * of schema step 1 (none yet). */
const char schema_ownership[] = "";
