#include "db/schema.h"

/* Tables the analysis room adds to schema step 1 (none yet: the metric
 * table is in schema_core). */
const char schema_analysis[] = "";
