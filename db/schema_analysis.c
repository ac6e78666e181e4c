#include "db/schema.h"

/*
 * Tables the analysis room adds to schema step 1, all rebuilt by
 * analysis_refresh() after every import and ingest.
 *
 * metric_ext: the distribution indices of a market-period's standalone
 * row (they do not depend on the scenario), and how many holdings the
 * ownership scenario used and how many it had to skip because their size
 * is undisclosed.  Fractions stay fractions; entropy and Theil in nats.
 *
 * dependence: each lab's compute commitments through the end of a year,
 * and the percent of their disclosed amount that goes to its own
 * alliance's cloud (NULL when no amount is disclosed).
 *
 * The pseudo-market ai_compute holds the compute table's shares of
 * H100-equivalents owned, so every index and scenario applies to it.
 */
const char schema_analysis[] =
    "CREATE TABLE metric_ext("
    " market_id INTEGER NOT NULL REFERENCES market(id),"
    " period TEXT NOT NULL,"
    " hhi_normalized REAL, numbers_equivalent REAL, hall_tideman REAL,"
    " gini REAL, gini_normalized REAL, entropy REAL, theil REAL,"
    " linda REAL, dominance REAL, ck REAL,"
    " holdings_used INTEGER, holdings_undisclosed INTEGER,"
    " PRIMARY KEY(market_id, period));"

    "CREATE TABLE dependence("
    " lab_id INTEGER NOT NULL REFERENCES entity(id),"
    " period TEXT NOT NULL,"
    " alliance_id INTEGER REFERENCES alliance(id),"
    " deals INTEGER NOT NULL, undisclosed INTEGER NOT NULL,"
    " disclosed_usd REAL, own_cloud_usd REAL, dependence_pct REAL,"
    " PRIMARY KEY(lab_id, period));"

    "INSERT INTO market(name, title, unit, geography, definition, source,"
    " as_of) VALUES ('ai_compute', 'AI compute owned', 'H100e', 'world',"
    " 'Shares of the H100-equivalents owned by the owners the compute"
    " table lists for a period (ownership, not usage); the unlisted rest"
    " of the world is not in the denominator',"
    " 'oligo: derived from the compute table', '2026-04-15');";
