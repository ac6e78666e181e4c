#include "db/view.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/entity.h"
#include "db/stmt.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

#define COLS(a) a, sizeof(a) / sizeof(a[0])

/*
 * The Landscape, one row per line it shows, so `oligo export landscape`
 * holds every figure of the screen with its source and as_of.  section
 * says what a row is:
 *   member       an alliance member by role, with what the anchor has put
 *                in and holds.  invested_usd sums disclosed equity and
 *                convertible notes only; the largest funding commitment
 *                is a separate column because commitments overlap the
 *                tranches already paid.  Low-confidence reports (such as
 *                the seed article's "up to $25 billion") stay in the
 *                deals view, marked, but are not added into these totals.
 *                Alliance "Other": the players in no alliance.
 *   model        a frontier model of a member (the model table), newest
 *                release first.
 *   compute      the alliance's share of the H100e owned at the latest
 *                period of the ai_compute pseudo-market: the best row per
 *                owner and period, as the analysis panel reads them.
 *   if_one_firm  a market where two or more members have a point share
 *                at the market's latest period: delta_hhi_points is the
 *                alliance's own ΔHHI, (Σs)² − Σs², the per-alliance
 *                figure of `oligo analyze --scenario alliances`;
 *                scenario_delta_hhi_points and us2023 are the scenario
 *                row the refresh stored (every alliance as one firm: the
 *                Markets view's figures).
 *   headline     the newest news items tagged with the alliance's
 *                entities (at most 12 per alliance).
 * An entity's alliance is its own membership, else its parent's, else
 * the one it anchors, as in db/panel.c.
 */
static const struct view_col landscape_cols[] = {
    {"alliance", "Alliance", COL_TEXT, 17, 0},
    {"section", "Section", COL_TEXT, 11, 0},
    {"role", "Role", COL_TEXT, 12, 0},
    {"entity", "Entity", COL_TEXT, 20, 0},
    {"kind", "Kind", COL_TEXT, 9, 0},
    {"item", "Item", COL_TEXT, 30, 0},
    {"period", "Period", COL_TEXT, 8, 0},
    {"date", "Date", COL_DATE, 10, 0},
    {"invested_usd", "Invested", COL_USD, 9, 1},
    {"committed_usd", "Committed", COL_USD, 9, 1},
    {"stake_pct", "Stake", COL_PCT, 6, 1},
    {"stake_as_of", "Stake as of", COL_DATE, 10, 0},
    {"share_pct", "Share", COL_PCT, 6, 1},
    {"h100e", "H100e", COL_REAL, 10, 0},
    {"delta_hhi_points", "ΔHHI", COL_POINTS, 6, 0},
    {"scenario_delta_hhi_points", "ΔHHI all.", COL_POINTS, 9, 0},
    {"us2023", "US 2023", COL_TEXT, 12, 0},
    {"since", "Since", COL_DATE, 10, 0},
    {"confidence", "Conf", COL_TEXT, 6, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"as_of", "As of", COL_DATE, 10, 0},
};

/* The columns of one section's SELECT after alliance and section: role,
 * entity, kind, item, period, date, invested_usd, committed_usd,
 * stake_pct, stake_as_of, share_pct, h100e, delta_hhi_points,
 * scenario_delta_hhi_points, us2023, since, confidence, source, as_of,
 * then _order (alliance id), _sec (section), _rank (within it). */
static const char landscape_sql[] =
    "WITH ea AS MATERIALIZED (SELECT e.id AS entity_id, coalesce("
    " (SELECT min(alliance_id) FROM membership WHERE entity_id = e.id),"
    " (SELECT min(alliance_id) FROM membership"
    "  WHERE entity_id = e.parent_id),"
    " (SELECT min(id) FROM alliance"
    "  WHERE anchor_id IN (e.id, e.parent_id))) AS alliance_id"
    " FROM entity e),"
    " anchor AS ("
    " SELECT a.id AS alliance_id, e.id AS entity_id FROM alliance a"
    " JOIN entity e ON e.id = a.anchor_id OR e.parent_id = a.anchor_id),"
    " cbest AS MATERIALIZED (SELECT * FROM (SELECT *, row_number() OVER ("
    "  PARTITION BY owner_id, period ORDER BY"
    "  CASE confidence WHEN 'high' THEN 0 WHEN 'medium' THEN 1"
    "   WHEN 'low' THEN 2 ELSE 3 END, as_of DESC, id DESC) AS rank"
    "  FROM compute WHERE h100e >= 0) WHERE rank = 1"
    "  AND period = (SELECT max(m.period) FROM metric m"
    "   JOIN market mk ON mk.id = m.market_id"
    "   WHERE mk.name = 'ai_compute' AND m.scenario = 'standalone')),"
    /* the point shares the analysis read at each market's latest period */
    " pshare AS (SELECT sb.market_id, sb.period, sb.entity_id,"
    "  sb.share_pct, sb.source, sb.as_of FROM share_best sb"
    "  WHERE sb.share_pct IS NOT NULL AND sb.period = (SELECT max(period)"
    "   FROM metric WHERE market_id = sb.market_id"
    "   AND scenario = 'standalone')"
    " UNION ALL SELECT mk.id, c.period, c.owner_id,"
    "  100.0 * c.h100e / (SELECT sum(h100e) FROM cbest), c.source, c.as_of"
    "  FROM cbest c JOIN market mk ON mk.name = 'ai_compute'),"
    /*
     * Headline candidates, bounded however many items there are: the
     * alliance's among the newest 5,000 items (news tagged densely), and
     * each member's 12 last tagged (sparsely).  Exact unless the newest
     * items of a sparsely tagged alliance arrived before older ones.
     */
    " cand AS (SELECT ea.alliance_id AS aid, r.id AS item_id FROM"
    "  (SELECT id FROM item ORDER BY published DESC, id DESC LIMIT 5000) r"
    "  JOIN item_entity ie ON ie.item_id = r.id"
    "  JOIN ea ON ea.entity_id = ie.entity_id"
    "  WHERE ea.alliance_id IS NOT NULL"
    " UNION SELECT ea.alliance_id, j.value FROM ea, json_each((SELECT"
    "  json_group_array(item_id) FROM (SELECT item_id FROM item_entity"
    "  WHERE entity_id = ea.entity_id ORDER BY item_id DESC LIMIT 12))) j"
    "  WHERE ea.alliance_id IS NOT NULL),"
    " hl AS (SELECT c.aid, c.item_id, row_number() OVER (PARTITION BY"
    "  c.aid ORDER BY i.published DESC, i.id DESC) AS n"
    "  FROM cand c JOIN item i ON i.id = c.item_id)"
    " SELECT a.name AS alliance, 'member' AS section, m.role,"
    " e.name AS entity, e.kind, NULL AS item, NULL AS period, NULL AS date,"
    " (SELECT sum(d.amount_usd) FROM deal d WHERE d.target_id = e.id"
    "  AND d.kind IN ('equity_investment', 'convertible_note')"
    "  AND d.confidence IN ('high', 'medium')"
    "  AND d.investor_id IN (SELECT entity_id FROM anchor"
    "   WHERE alliance_id = a.id)) AS invested_usd,"
    " (SELECT max(d.amount_usd) FROM deal d WHERE d.target_id = e.id"
    "  AND d.kind = 'funding_commitment'"
    "  AND d.confidence IN ('high', 'medium')"
    "  AND d.investor_id IN (SELECT entity_id FROM anchor"
    "   WHERE alliance_id = a.id)) AS committed_usd,"
    " (SELECT h.own_pct FROM holding h WHERE h.firm_id = e.id"
    "  AND h.own_pct IS NOT NULL AND h.investor_id IN (SELECT entity_id"
    "   FROM anchor WHERE alliance_id = a.id)"
    "  ORDER BY h.as_of DESC LIMIT 1) AS stake_pct,"
    " (SELECT h.as_of FROM holding h WHERE h.firm_id = e.id"
    "  AND h.own_pct IS NOT NULL AND h.investor_id IN (SELECT entity_id"
    "   FROM anchor WHERE alliance_id = a.id)"
    "  ORDER BY h.as_of DESC LIMIT 1) AS stake_as_of,"
    " NULL AS share_pct, NULL AS h100e, NULL AS delta_hhi_points,"
    " NULL AS scenario_delta_hhi_points, NULL AS us2023,"
    " m.since, m.confidence, m.source, m.as_of, a.id AS _order,"
    " 0 AS _sec, 0 AS _rank"
    " FROM membership m JOIN alliance a ON a.id = m.alliance_id"
    " JOIN entity e ON e.id = m.entity_id"
    " UNION ALL"
    " SELECT a.name, 'model', NULL, e.name, e.kind, md.name, NULL,"
    " md.released, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    " NULL, md.confidence, md.source, md.as_of, a.id, 1,"
    " row_number() OVER (PARTITION BY a.id ORDER BY md.released IS NULL,"
    "  md.released DESC, md.training_compute_flop DESC, md.name)"
    " FROM model md JOIN ea ON ea.entity_id = md.entity_id"
    " JOIN alliance a ON a.id = ea.alliance_id"
    " JOIN entity e ON e.id = md.entity_id"
    " UNION ALL"
    " SELECT a.name, 'compute', NULL, group_concat(e.name, '; '), NULL,"
    " NULL, c.period, NULL, NULL, NULL, NULL, NULL,"
    " 100.0 * sum(c.h100e) / (SELECT sum(h100e) FROM cbest), sum(c.h100e),"
    " NULL, NULL, NULL, NULL, NULL,"
    " group_concat(DISTINCT c.source), max(c.as_of), a.id, 2, 0"
    " FROM cbest c JOIN ea ON ea.entity_id = c.owner_id"
    " JOIN alliance a ON a.id = ea.alliance_id"
    " JOIN entity e ON e.id = c.owner_id GROUP BY a.id"
    " UNION ALL"
    " SELECT a.name, 'if_one_firm', NULL, group_concat(e.name, '; '), NULL,"
    " mk.name, p.period, NULL, NULL, NULL, NULL, NULL, sum(p.share_pct),"
    " NULL, sum(p.share_pct) * sum(p.share_pct)"
    "  - sum(p.share_pct * p.share_pct), al.delta_hhi, al.us2023, NULL,"
    " NULL, group_concat(DISTINCT p.source), max(p.as_of), a.id, 3,"
    " row_number() OVER (PARTITION BY a.id ORDER BY mk.name)"
    " FROM pshare p JOIN ea ON ea.entity_id = p.entity_id"
    " JOIN alliance a ON a.id = ea.alliance_id"
    " JOIN entity e ON e.id = p.entity_id"
    " JOIN market mk ON mk.id = p.market_id"
    " LEFT JOIN metric al ON al.market_id = p.market_id"
    "  AND al.period = p.period AND al.scenario = 'alliances'"
    " GROUP BY a.id, p.market_id HAVING count(*) >= 2"
    " UNION ALL"
    " SELECT a.name, 'headline', NULL,"
    " (SELECT group_concat(te.name, '; ') FROM item_entity ie"
    "  JOIN ea ON ea.entity_id = ie.entity_id AND ea.alliance_id = a.id"
    "  JOIN entity te ON te.id = ie.entity_id WHERE ie.item_id = i.id),"
    " NULL, i.title, NULL, i.published, NULL, NULL, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, s.name, i.published, a.id, 4,"
    " h.n FROM hl h JOIN alliance a ON a.id = h.aid"
    " JOIN item i ON i.id = h.item_id JOIN source s ON s.id = i.source_id"
    " WHERE h.n <= 12"
    " UNION ALL"
    " SELECT 'Other', 'member', NULL, e.name, e.kind, NULL, NULL, NULL,"
    " NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
    " e.source, e.as_of, 1000000, 0, 0"
    " FROM entity e WHERE e.kind IN ('company', 'lab')"
    " AND e.parent_id IS NULL"
    " AND e.id NOT IN (SELECT entity_id FROM membership)"
    " AND e.id NOT IN (SELECT parent_id FROM entity e2 JOIN membership m2"
    "  ON m2.entity_id = e2.id WHERE e2.parent_id IS NOT NULL)"
    " AND (e.id IN (SELECT entity_id FROM share)"
    "  OR e.id IN (SELECT investor_id FROM deal)"
    "  OR e.id IN (SELECT target_id FROM deal))";

static const struct view_col markets_cols[] = {
    {"market", "Market", COL_TEXT, 24, 0},
    {"period", "Period", COL_TEXT, 8, 0},
    {"n_firms", "Firms", COL_INT, 5, 0},
    {"listed_pct", "Listed", COL_PCT, 6, 0},
    {"hhi_points", "HHI", COL_POINTS, 6, 0},
    {"hhi_upper_points", "HHI max", COL_POINTS, 7, 0},
    {"cr4_pct", "CR4", COL_PCT, 6, 1},
    {"delta_hhi_alliances_points", "ΔHHI all.", COL_POINTS, 9, 0},
    {"mhhi_points", "MHHI", COL_POINTS, 6, 0},
    {"delta_mhhi_points", "ΔMHHI", COL_POINTS, 6, 0},
    {"n_holdings_undisclosed", "Undiscl.", COL_INT, 8, 0},
    {"us2023", "US 2023", COL_TEXT, 12, 0},
    {"eu2004", "EU 2004", COL_TEXT, 20, 0},
    {"unit", "Unit", COL_TEXT, 14, 0},
};

static const char markets_sql[] =
    "SELECT mk.name AS market, s.period, s.n_firms, s.listed_pct,"
    " s.hhi AS hhi_points, s.hhi_upper AS hhi_upper_points, s.cr4 AS cr4_pct,"
    " al.delta_hhi AS delta_hhi_alliances_points,"
    " s.mhhi AS mhhi_points, s.delta_mhhi AS delta_mhhi_points,"
    " x.holdings_undisclosed AS n_holdings_undisclosed, al.us2023,"
    " al.eu2004, mk.unit"
    " FROM market mk JOIN metric s ON s.market_id = mk.id"
    "  AND s.scenario = 'standalone'"
    " LEFT JOIN metric al ON al.market_id = mk.id AND al.period = s.period"
    "  AND al.scenario = 'alliances'"
    " LEFT JOIN metric_ext x ON x.market_id = mk.id AND x.period = s.period"
    " WHERE s.period = (SELECT max(period) FROM metric"
    "  WHERE market_id = mk.id AND scenario = 'standalone')";

static const struct view_col metrics_cols[] = {
    {"market", "Market", COL_TEXT, 24, 0},
    {"period", "Period", COL_TEXT, 8, 0},
    {"scenario", "Scenario", COL_TEXT, 10, 0},
    {"n_firms", "Firms", COL_INT, 5, 0},
    {"listed_pct", "Listed", COL_PCT, 6, 1},
    {"hhi_points", "HHI", COL_POINTS, 6, 0},
    {"hhi_lower_points", "HHI min", COL_POINTS, 7, 0},
    {"hhi_upper_points", "HHI max", COL_POINTS, 7, 0},
    {"cr1_pct", "CR1", COL_PCT, 6, 1},
    {"cr2_pct", "CR2", COL_PCT, 6, 1},
    {"cr3_pct", "CR3", COL_PCT, 6, 1},
    {"cr4_pct", "CR4", COL_PCT, 6, 1},
    {"hhi_post_points", "HHI post", COL_POINTS, 8, 0},
    {"delta_hhi_points", "ΔHHI", COL_POINTS, 6, 0},
    {"merged_share_pct", "Merged", COL_PCT, 6, 1},
    {"mhhi_points", "MHHI", COL_POINTS, 6, 0},
    {"delta_mhhi_points", "ΔMHHI", COL_POINTS, 6, 0},
    {"us2023", "US 2023", COL_TEXT, 12, 0},
    {"us2010", "US 2010", COL_TEXT, 12, 0},
    {"eu2004", "EU 2004", COL_TEXT, 20, 0},
};

static const char metrics_sql[] =
    "SELECT mk.name AS market, m.period, m.scenario, m.n_firms,"
    " m.listed_pct, m.hhi AS hhi_points, m.hhi_lower AS hhi_lower_points,"
    " m.hhi_upper AS hhi_upper_points, m.cr1 AS cr1_pct, m.cr2 AS cr2_pct,"
    " m.cr3 AS cr3_pct, m.cr4 AS cr4_pct, m.hhi_post AS hhi_post_points,"
    " m.delta_hhi AS delta_hhi_points, m.merged_share AS merged_share_pct,"
    " m.mhhi AS mhhi_points, m.delta_mhhi AS delta_mhhi_points, m.us2023,"
    " m.us2010, m.eu2004"
    " FROM metric m JOIN market mk ON mk.id = m.market_id";

static const struct view_col shares_cols[] = {
    {"market", "Market", COL_TEXT, 24, 0},
    {"period", "Period", COL_TEXT, 8, 0},
    {"entity", "Entity", COL_TEXT, 18, 0},
    {"alliance", "Alliance", COL_TEXT, 17, 0},
    {"share_pct", "Share", COL_PCT, 6, 1},
    {"share_low_pct", "Low", COL_PCT, 6, 1},
    {"share_high_pct", "High", COL_PCT, 6, 1},
    {"metric", "Metric", COL_TEXT, 20, 0},
    {"confidence", "Conf", COL_TEXT, 6, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"as_of", "As of", COL_DATE, 10, 0},
};

/* The alliance of an entity: its own membership, else its parent's. */
#define ALLIANCE_OF(e)                                                         \
	"(SELECT name FROM alliance WHERE id = coalesce("                      \
	"(SELECT min(alliance_id) FROM membership WHERE entity_id = " e        \
	".id),"                                                                \
	"(SELECT min(alliance_id) FROM membership"                             \
	" WHERE entity_id = " e ".parent_id),"                                 \
	"(SELECT min(id) FROM alliance"                                        \
	" WHERE anchor_id IN (" e ".id, " e ".parent_id))))"

static const char shares_sql[] =
    "SELECT mk.name AS market, s.period, e.name AS entity,"
    " " ALLIANCE_OF(
        "e") " AS alliance,"
             " s.share_pct, s.share_low AS share_low_pct,"
             " s.share_high AS share_high_pct, s.metric, s.confidence,"
             " s.source, s.as_of"
             " FROM share s JOIN market mk ON mk.id = s.market_id"
             " JOIN entity e ON e.id = s.entity_id";

static const struct view_col compute_cols[] = {
    {"owner", "Owner", COL_TEXT, 18, 0},
    {"alliance", "Alliance", COL_TEXT, 17, 0},
    {"period", "Period", COL_TEXT, 8, 0},
    {"h100e", "H100e", COL_REAL, 10, 0},
    {"h100e_low", "Low", COL_REAL, 10, 0},
    {"h100e_high", "High", COL_REAL, 10, 0},
    {"chip", "Chip", COL_TEXT, 14, 0},
    {"confidence", "Conf", COL_TEXT, 6, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"as_of", "As of", COL_DATE, 10, 0},
};

static const char compute_sql[] = "SELECT e.name AS owner, " ALLIANCE_OF(
    "e") " AS alliance,"
         " c.period, c.h100e, c.h100e_low, c.h100e_high, c.chip, c.confidence,"
         " c.source, c.as_of"
         " FROM compute c JOIN entity e ON e.id = c.owner_id";

static const struct view_col ownership_cols[] = {
    {"investor", "Investor", COL_TEXT, 20, 0},
    {"firm", "Firm", COL_TEXT, 18, 0},
    {"alliance", "Alliance", COL_TEXT, 17, 0},
    {"own_pct", "Owns", COL_PCT, 6, 1},
    {"ctrl_pct", "Controls", COL_PCT, 8, 1},
    {"as_of", "As of", COL_DATE, 10, 0},
    {"confidence", "Conf", COL_TEXT, 6, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"note", "Note", COL_TEXT, 30, 0},
};

static const char ownership_sql[] =
    "SELECT i.name AS investor, f.name AS firm, " ALLIANCE_OF(
        "f") " AS alliance, h.own_pct, h.ctrl_pct, h.as_of, h.confidence, "
             "h.source,"
             " h.note"
             " FROM holding h JOIN entity i ON i.id = h.investor_id"
             " JOIN entity f ON f.id = h.firm_id";

static const struct view_col deals_cols[] = {
    {"date", "Date", COL_DATE, 10, 0},
    {"investor", "Investor", COL_TEXT, 18, 0},
    {"target", "Target", COL_TEXT, 18, 0},
    {"alliance", "Alliance", COL_TEXT, 17, 0},
    {"kind", "Kind", COL_TEXT, 18, 0},
    {"amount_usd", "Amount", COL_USD, 8, 1},
    {"status", "Status", COL_TEXT, 9, 0},
    {"confidence", "Conf", COL_TEXT, 6, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"as_of", "As of", COL_DATE, 10, 0},
    {"note", "Note", COL_TEXT, 40, 0},
};

static const char deals_sql[] =
    "SELECT d.date, i.name AS investor, t.name AS target,"
    " coalesce(" ALLIANCE_OF("t") ", " ALLIANCE_OF(
        "i") ") AS alliance,"
             " d.kind, d.amount_usd, d.status, d.confidence, d.source, d.as_of,"
             " d.note"
             " FROM deal d JOIN entity i ON i.id = d.investor_id"
             " JOIN entity t ON t.id = d.target_id";

static const struct view_col cases_cols[] = {
    {"id", "Case", COL_TEXT, 22, 0},
    {"alliances", "Alliances", COL_TEXT, 17, 0},
    {"authority", "Authority", COL_TEXT, 12, 0},
    {"title", "Title", COL_TEXT, 40, 0},
    {"parties", "Parties", COL_TEXT, 24, 0},
    {"status", "Status", COL_TEXT, 9, 0},
    {"opened", "Opened", COL_DATE, 10, 0},
    {"last_event_date", "Latest", COL_DATE, 10, 0},
    {"last_event", "Latest event", COL_TEXT, 40, 0},
    {"n_items", "Items", COL_INT, 5, 0},
    {"url", "URL", COL_TEXT, 30, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"as_of", "As of", COL_DATE, 10, 0},
};

static const char cases_sql[] =
    "SELECT m.id,"
    " (SELECT group_concat(name, '; ') FROM (SELECT DISTINCT"
    "  " ALLIANCE_OF(
        "pe") " AS name FROM matter_party mp"
              "  JOIN entity pe ON pe.id = mp.entity_id WHERE mp.matter_id = "
              "m.id"
              "  AND name IS NOT NULL ORDER BY name)) AS alliances,"
              " a.name AS authority, m.title, m.parties, m.status,"
              " m.opened,"
              " (SELECT max(date) FROM matter_event WHERE matter_id = m.id)"
              "  AS last_event_date,"
              " (SELECT event FROM matter_event WHERE matter_id = m.id"
              "  ORDER BY date DESC, id DESC LIMIT 1) AS last_event,"
              " (SELECT count(*) FROM item_matter WHERE matter_id = m.id) AS "
              "n_items,"
              " m.url, m.source, m.as_of"
              " FROM matter m LEFT JOIN entity a ON a.id = m.authority_id";

/* A case's timeline, then the regulator items linked to it. */
static const char cases_detail_sql[] =
    "SELECT 'Timeline' AS section, date, event AS text, url AS link,"
    " source AS note, 0 AS _part, id AS _id"
    " FROM matter_event WHERE matter_id = :key"
    " UNION ALL"
    " SELECT 'Linked items', i.published, i.title, i.link, s.name, 1, i.id"
    " FROM item_matter im JOIN item i ON i.id = im.item_id"
    " JOIN source s ON s.id = i.source_id WHERE im.matter_id = :key"
    " ORDER BY _part, date, _id";

static const struct view_col news_cols[] = {
    {"published", "Published", COL_DATE, 16, 0},
    {"source", "Source", COL_TEXT, 14, 0},
    {"title", "Title", COL_TEXT, 60, 0},
    {"entities", "Entities", COL_TEXT, 24, 0},
    {"link", "Link", COL_TEXT, 40, 0},
};

static const char news_sql[] =
    "SELECT i.published, s.name AS source, i.title,"
    " (SELECT group_concat(e.name, '; ') FROM item_entity ie"
    "  JOIN entity e ON e.id = ie.entity_id WHERE ie.item_id = i.id)"
    "  AS entities, i.link, i.id AS _key"
    /* CROSS JOIN: item drives, in the order of its published index;
     * else a source filter reads a whole source's items and sorts them */
    " FROM item i CROSS JOIN source s ON s.id = i.source_id";

/* The items tagged with :entity, for the entity filter: the same rows
 * as matching the entities column, without building it for every item. */
static const char news_entity_keys[] = "SELECT ie.item_id FROM item_entity ie"
                                       " JOIN entity e ON e.id = ie.entity_id"
                                       " WHERE e.name = :entity COLLATE NOCASE";

static const struct view_col filings_cols[] = {
    {"filed", "Filed", COL_DATE, 10, 0},
    {"company", "Company", COL_TEXT, 24, 0},
    {"entity", "Entity", COL_TEXT, 14, 0},
    {"form", "Form", COL_TEXT, 8, 0},
    {"accession", "Accession", COL_TEXT, 20, 0},
    {"accepted", "Accepted (UTC)", COL_DATE, 20, 0},
    {"url", "URL", COL_TEXT, 40, 0},
};

/* The filer's other filings, newest first: what else it told the SEC. */
static const char filings_detail_sql[] =
    "SELECT 'Same filer', f.filed, f.form || ' ' || f.accession, f.url,"
    " NULL FROM filing f"
    " WHERE f.cik = (SELECT cik FROM filing WHERE accession = :key)"
    " AND f.accession <> :key ORDER BY f.filed DESC, f.id DESC LIMIT 50";

static const char filings_sql[] =
    "SELECT f.filed, f.company, e.name AS entity, f.form, f.accession,"
    " f.accepted, f.url, f.id AS _key"
    " FROM filing f LEFT JOIN entity e ON e.id = f.entity_id";

/* One market over time: every reported share with its period's indices
 * beside it, so a chart of shares and HHI needs one file. */
static const struct view_col market_cols[] = {
    {"market", "Market", COL_TEXT, 24, 0},
    {"period", "Period", COL_TEXT, 8, 0},
    {"entity", "Entity", COL_TEXT, 18, 0},
    {"alliance", "Alliance", COL_TEXT, 17, 0},
    {"share_pct", "Share", COL_PCT, 6, 1},
    {"share_low_pct", "Low", COL_PCT, 6, 1},
    {"share_high_pct", "High", COL_PCT, 6, 1},
    {"hhi_points", "HHI", COL_POINTS, 6, 0},
    {"hhi_upper_points", "HHI max", COL_POINTS, 7, 0},
    {"cr4_pct", "CR4", COL_PCT, 6, 1},
    {"delta_hhi_alliances_points", "ΔHHI all.", COL_POINTS, 9, 0},
    {"us2023", "US 2023", COL_TEXT, 12, 0},
    {"metric", "Metric", COL_TEXT, 20, 0},
    {"confidence", "Conf", COL_TEXT, 6, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"as_of", "As of", COL_DATE, 10, 0},
};

static const char market_sql[] =
    "SELECT mk.name AS market, s.period, e.name AS entity,"
    " " ALLIANCE_OF(
        "e") " AS alliance,"
             " s.share_pct, s.share_low AS share_low_pct,"
             " s.share_high AS share_high_pct, m.hhi AS hhi_points,"
             " m.hhi_upper AS hhi_upper_points, m.cr4 AS cr4_pct,"
             " al.delta_hhi AS delta_hhi_alliances_points, al.us2023, s.metric,"
             " s.confidence, s.source, s.as_of"
             " FROM share s JOIN market mk ON mk.id = s.market_id"
             " JOIN entity e ON e.id = s.entity_id"
             " LEFT JOIN metric m ON m.market_id = s.market_id"
             "  AND m.period = s.period AND m.scenario = 'standalone'"
             " LEFT JOIN metric al ON al.market_id = s.market_id"
             "  AND al.period = s.period AND al.scenario = 'alliances'";

/* The facts behind views that show computed figures or no source column
 * (view_provenance()): the share rows the indices were computed from. */
static const char markets_prov_sql[] =
    "SELECT s.source, s.as_of, mk.name AS market FROM share s"
    " JOIN market mk ON mk.id = s.market_id"
    " WHERE s.period = (SELECT max(period) FROM metric"
    "  WHERE market_id = s.market_id AND scenario = 'standalone')";

static const char metrics_prov_sql[] =
    "SELECT s.source, s.as_of, mk.name AS market FROM share s"
    " JOIN market mk ON mk.id = s.market_id"
    " WHERE EXISTS (SELECT 1 FROM metric WHERE market_id = s.market_id"
    "  AND period = s.period)";

static const char filings_prov_sql[] =
    "SELECT coalesce(s.name, 'SEC EDGAR') AS source, f.filed AS as_of"
    " FROM filing f LEFT JOIN source s ON s.id = f.source_id";

static const char sources_prov_sql[] =
    "SELECT name || ' <' || url || '>' AS source, last_ok AS as_of"
    " FROM source";

static const struct view_col sources_cols[] = {
    {"name", "Source", COL_TEXT, 20, 0},
    {"kind", "Kind", COL_TEXT, 16, 0},
    {"enabled", "On", COL_INT, 3, 0},
    {"items", "Items", COL_INT, 7, 0},
    {"last_ok", "Last success", COL_DATE, 20, 0},
    {"last_error_at", "Last error at", COL_DATE, 20, 0},
    {"last_error", "Last error", COL_TEXT, 40, 0},
    {"next_due", "Next due", COL_DATE, 20, 0},
    {"url", "URL", COL_TEXT, 40, 0},
};

static const char sources_sql[] =
    "SELECT s.name, s.kind, s.enabled,"
    " (SELECT count(*) FROM item WHERE source_id = s.id)"
    "  + (SELECT count(*) FROM filing WHERE source_id = s.id) AS items,"
    " s.last_ok, s.last_error_at, s.last_error, s.next_due, s.url"
    " FROM source s";

static const struct view_def views[] = {
    {.name = "landscape",
     .title = "Landscape",
     .sql = landscape_sql,
     .sort = "_order, _sec, _rank, entity, role",
     COLS(landscape_cols),
     .alliance_col = "alliance",
     .entity_cols = "entity"},
    {.name = "markets",
     .title = "Markets",
     .sql = markets_sql,
     .sort = "market",
     COLS(markets_cols),
     .market_col = "market",
     .prov_sql = markets_prov_sql},
    {.name = "compute",
     .title = "Compute",
     .sql = compute_sql,
     .sort = "period DESC, h100e DESC",
     COLS(compute_cols),
     .alliance_col = "alliance",
     .entity_cols = "owner"},
    {.name = "ownership",
     .title = "Ownership",
     .sql = ownership_sql,
     .sort = "firm, as_of DESC",
     COLS(ownership_cols),
     .alliance_col = "alliance",
     .entity_cols = "investor,firm",
     .date_col = "as_of"},
    {.name = "deals",
     .title = "Deals",
     .sql = deals_sql,
     .sort = "date DESC, investor",
     COLS(deals_cols),
     .alliance_col = "alliance",
     .entity_cols = "investor,target",
     .date_col = "date",
     .kind_col = "kind"},
    {.name = "cases",
     .title = "Cases",
     .sql = cases_sql,
     .sort = "authority, opened DESC",
     COLS(cases_cols),
     .alliance_col = "alliances",
     .entity_cols = "authority,parties",
     .date_col = "opened",
     .detail_sql = cases_detail_sql,
     .detail_key = "id"},
    {.name = "news",
     .title = "News",
     .sql = news_sql,
     .sort = "published DESC",
     COLS(news_cols),
     .entity_cols = "entities",
     .entity_keys = news_entity_keys,
     .source_col = "source",
     .date_col = "published",
     .searchable = true,
     .fts = "item_fts",
     .key = "_key"},
    {.name = "filings",
     .title = "Filings",
     .sql = filings_sql,
     .sort = "filed DESC",
     COLS(filings_cols),
     .key = "_key",
     .entity_cols = "entity,company",
     .date_col = "filed",
     .detail_sql = filings_detail_sql,
     .detail_key = "accession",
     .prov_sql = filings_prov_sql},
    {.name = "sources",
     .title = "Sources",
     .sql = sources_sql,
     .sort = "name",
     COLS(sources_cols),
     .prov_sql = sources_prov_sql},
    {.name = "shares",
     .title = "Shares",
     .sql = shares_sql,
     .sort = "market, period DESC, share_pct DESC",
     COLS(shares_cols),
     .alliance_col = "alliance",
     .entity_cols = "entity",
     .market_col = "market"},
    {.name = "metrics",
     .title = "Metrics",
     .sql = metrics_sql,
     .sort = "market, period, scenario",
     COLS(metrics_cols),
     .market_col = "market",
     .prov_sql = metrics_prov_sql},
    {.name = "market",
     .title = "Market",
     .sql = market_sql,
     .sort = "period, share_pct DESC, entity",
     COLS(market_cols),
     .alliance_col = "alliance",
     .entity_cols = "entity",
     .market_col = "market",
     .param = "market"},
};

static const struct view_def *const view_list[] = {
    &views[0], &views[1], &views[2], &views[3], &views[4],  &views[5],
    &views[6], &views[7], &views[8], &views[9], &views[10], &views[11],
};

const struct view_def *const *
view_all(size_t *n)
{
	*n = sizeof(view_list) / sizeof(view_list[0]);
	return view_list;
}

int
view_col_index(const struct view_def *v, const char *name)
{
	for (size_t i = 0; i < v->ncols; i++)
		if (!strcmp(v->cols[i].name, name))
			return (int)i;
	return -1;
}

const struct view_def *
view_find(const char *name)
{
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		if (!strcasecmp(views[i].name, name))
			return &views[i];
	return NULL;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

/* One term as an FTS5 string: the tokenizer then splits it into a phrase
 * (`10-K` is "10" followed by "K"), and nothing in it is an operator. */
static void
add_fts_term(struct strbuf *q, const char *t, size_t len)
{
	bool prefix = len > 1 && t[len - 1] == '*';

	if (prefix)
		len--;
	strbuf_addch(q, '"');
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '"')
			strbuf_addch(q, '"');
		strbuf_addch(q, t[i]);
	}
	strbuf_adds(q, prefix ? "\" *" : "\"");
}

char *
view_fts_query(const char *s)
{
	struct strbuf q = STRBUF_INIT;

	while (s && *s) {
		size_t n = 0;

		while (is_blank(*s))
			s++;
		while (s[n] && !is_blank(s[n]))
			n++;
		if (!n)
			break;
		if (q.len)
			strbuf_addch(&q, ' ');
		add_fts_term(&q, s, n);
		s += n;
	}
	if (!q.len)
		return NULL;
	return strbuf_detach(&q, NULL);
}

struct view_cursor {
	struct db *db;
	const struct view_def *def;
	sqlite3_stmt *st;
	sqlite3_stmt *next; /* a page's second segment (NULL rows), or NULL */
	size_t limit, seen; /* a page's rows: at most, so far */
};

static bool
has_col(const struct view_def *v, const char *name)
{
	for (size_t i = 0; i < v->ncols; i++)
		if (!strcmp(v->cols[i].name, name))
			return true;
	return false;
}

static bool
set(const char *s)
{
	return s && *s;
}

/* Refuse a filter the view does not offer rather than ignore it: a user
 * who asked for one alliance must not get all three. */
static enum status
check_filter(const struct view_def *v, const struct view_filter *f)
{
	static const char fmt[] = "view '%s' cannot be filtered by %s";

	if (set(f->alliance) && !v->alliance_col)
		return err_set(ST_USAGE, fmt, v->name, "alliance");
	if (set(f->entity) && !v->entity_cols)
		return err_set(ST_USAGE, fmt, v->name, "entity");
	if (set(f->market) && !v->market_col)
		return err_set(ST_USAGE, fmt, v->name, "market");
	if (set(f->source) && !v->source_col)
		return err_set(ST_USAGE, fmt, v->name, "source");
	if (set(f->kind) && !v->kind_col)
		return err_set(ST_USAGE, fmt, v->name, "kind");
	if ((set(f->since) || set(f->until)) && !v->date_col)
		return err_set(ST_USAGE, fmt, v->name, "date");
	if (set(f->search) && !v->searchable)
		return err_set(ST_USAGE, fmt, v->name, "search");
	if (set(f->sort) && !has_col(v, f->sort + (f->sort[0] == '-')))
		return err_set(ST_USAGE, "view '%s' has no column '%s'",
		               v->name, f->sort + (f->sort[0] == '-'));
	return ST_OK;
}

static void
add_list_filter(struct strbuf *sql, const char *cols, const char *param)
{
	char *list = xstrdup(cols), *save = NULL;
	const char *sep = " AND (";

	/* Columns may hold one name or a ';'-separated list of names. */
	for (char *c = strtok_r(list, ",", &save); c;
	     c = strtok_r(NULL, ",", &save)) {
		strbuf_addf(sql,
		            "%s('|' || replace(replace(v.\"%s\", '; ', '|'),"
		            " ';', '|') || '|') LIKE '%%|' || %s || '|%%'",
		            sep, c, param);
		sep = " OR ";
	}
	strbuf_adds(sql, ")");
	free(list);
}

/*
 * How a set of keys (FTS5 matches, an entity's items) is applied: the
 * planner drives from the set (IN), or each row of the sort's index is
 * tested against the pager's bitmap of the set (a large set: sorting it
 * would cost more than walking the index to fill a page).
 */
enum set_plan { SET_IN, SET_BITMAP };

struct plans {
	enum set_plan search, entity;
};

static void
add_search(struct strbuf *sql, const struct view_def *v,
           const struct view_filter *f, enum set_plan plan)
{
	char *q = view_fts_query(f->search);

	if (!q || !v->fts || !v->key)
		goto out;
	if (plan == SET_BITMAP)
		strbuf_addf(sql, " AND oligo_in_set(:set, v.\"%s\")", v->key);
	else
		strbuf_addf(sql,
		            " AND v.\"%s\" IN (SELECT rowid FROM %s"
		            " WHERE %s MATCH :search)",
		            v->key, v->fts, v->fts);
out:
	free(q);
}

static void
add_entity(struct strbuf *sql, const struct view_def *v, enum set_plan plan)
{
	if (!v->entity_keys || !v->key)
		add_list_filter(sql, v->entity_cols, ":entity");
	else if (plan == SET_BITMAP)
		strbuf_addf(sql, " AND oligo_in_set(:eset, v.\"%s\")", v->key);
	else
		strbuf_addf(sql, " AND v.\"%s\" IN (%s)", v->key,
		            v->entity_keys);
}

/* pl: how key sets are applied; NULL: as sets the planner drives from */
static void
add_where(struct strbuf *sql, const struct view_def *v,
          const struct view_filter *f, const struct plans *pl)
{
	static const struct plans in = {SET_IN, SET_IN};

	if (!pl)
		pl = &in;
	strbuf_adds(sql, " WHERE 1");
	if (set(f->alliance))
		add_list_filter(sql, v->alliance_col, ":alliance");
	if (set(f->entity))
		add_entity(sql, v, pl->entity);
	if (set(f->market))
		strbuf_addf(sql, " AND v.\"%s\" = :market COLLATE NOCASE",
		            v->market_col);
	if (set(f->source))
		strbuf_addf(sql, " AND v.\"%s\" = :source", v->source_col);
	if (set(f->kind))
		strbuf_addf(sql, " AND v.\"%s\" = :kind", v->kind_col);
	if (set(f->since))
		strbuf_addf(sql, " AND v.\"%s\" >= :since", v->date_col);
	if (set(f->until))
		strbuf_addf(
		    sql, " AND substr(v.\"%s\", 1, length(:until)) <= :until",
		    v->date_col);
	if (set(f->search))
		add_search(sql, v, f, pl->search);
	else if (pl == &in && v->fts && v->key) /* for `export --sql` */
		strbuf_addf(sql,
		            " AND (:search IS NULL OR v.\"%s\" IN (SELECT rowid"
		            " FROM %s WHERE %s MATCH :search))",
		            v->key, v->fts, v->fts);
}

/* A keyed view's order under f: one column and a direction, the key
 * breaking ties in the same direction. */
static void
key_order(const struct view_def *v, const struct view_filter *f,
          struct strbuf *col, bool *desc)
{
	size_t n;

	if (set(f->sort)) {
		*desc = f->sort[0] == '-';
		strbuf_adds(col, f->sort + *desc);
		return;
	}
	n = strcspn(v->sort, " ");
	assert(!strchr(v->sort, ',')); /* a keyed view sorts by one column */
	strbuf_add(col, v->sort, n);
	*desc = strstr(v->sort + n, "DESC") != NULL;
}

static void
add_order(struct strbuf *sql, const struct view_def *v,
          const struct view_filter *f, bool reverse)
{
	struct strbuf col = STRBUF_INIT;
	const char *dir;
	bool desc;

	if (!v->key) {
		assert(!reverse);
		if (set(f->sort))
			strbuf_addf(sql, " ORDER BY v.\"%s\" %s, %s",
			            f->sort + (f->sort[0] == '-'),
			            f->sort[0] == '-' ? "DESC" : "ASC",
			            v->sort);
		else
			strbuf_addf(sql, " ORDER BY %s", v->sort);
		return;
	}
	key_order(v, f, &col, &desc);
	dir = desc != reverse ? "DESC" : "ASC";
	strbuf_addf(sql, " ORDER BY v.\"%s\" %s, v.\"%s\" %s", col.buf, dir,
	            v->key, dir);
	strbuf_release(&col);
}

static void
build_sql(struct strbuf *sql, const struct view_def *v,
          const struct view_filter *f)
{
	strbuf_adds(sql, "SELECT ");
	for (size_t i = 0; i < v->ncols; i++)
		strbuf_addf(sql, "%sv.\"%s\"", i ? ", " : "", v->cols[i].name);
	/* Qualified names: SQLite would read an unknown "name" as a string
	 * literal, so a typo in a column name would export a constant. */
	strbuf_addf(sql, " FROM (%s) AS v", v->sql);
	add_where(sql, v, f, NULL);
	add_order(sql, v, f, false);
}

static void
bind_named(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i)
		stmt_bind_text(st, i, value);
}

/* Filters name entities by any alias; compare against the canonical
 * name, which is what the views show. */
static enum status
canonical_entity(struct db *db, const char *name, char **out)
{
	sqlite3_stmt *st;
	int64_t id;
	enum status rc = entity_find(db, name, &id);

	*out = xstrdup(name);
	if (rc || !id)
		return rc;
	if ((rc =
	         stmt_prepare(db, "SELECT name FROM entity WHERE id = ?", &st)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		free(*out);
		*out = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return ST_OK;
}

/* A parameterised view's argument must name something that exists: an
 * export of "cloud_infrastrcture" should fail, not write a header. */
static enum status
check_param(struct db *db, const struct view_def *v,
            const struct view_filter *f)
{
	sqlite3_stmt *st;
	enum status rc;
	bool found;

	if (!v->param || !set(f->market))
		return ST_OK;
	if ((rc = stmt_prepare(db,
	                       "SELECT 1 FROM market"
	                       " WHERE name = ? COLLATE NOCASE",
	                       &st)))
		return rc;
	stmt_bind_text(st, 1, f->market);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!found)
		return err_set(ST_USAGE,
		               "no market '%s' (oligo export markets"
		               " lists them)",
		               f->market);
	return ST_OK;
}

/* Prepare sql and bind every filter it names; takes sql's buffer. */
static enum status
open_sql(struct db *db, const struct view_def *v, const struct view_filter *f,
         struct strbuf *sql, struct view_cursor **out)
{
	struct view_cursor *c = xcalloc(1, sizeof(*c));
	char *entity = NULL, *search = NULL;
	enum status rc;

	c->db = db;
	c->def = v;
	if (set(f->entity) && (rc = canonical_entity(db, f->entity, &entity)))
		goto out;
	if ((rc = stmt_prepare(db, sql->buf, &c->st))) {
		rc = err_prefix(rc, "view '%s'", v->name);
		goto out;
	}
	search = view_fts_query(f->search);
	bind_named(c->st, ":alliance", f->alliance);
	bind_named(c->st, ":entity", entity);
	bind_named(c->st, ":market", f->market);
	bind_named(c->st, ":source", f->source);
	bind_named(c->st, ":kind", f->kind);
	bind_named(c->st, ":since", f->since);
	bind_named(c->st, ":until", f->until);
	bind_named(c->st, ":search", search);
out:
	strbuf_release(sql);
	free(entity);
	free(search);
	if (rc) {
		free(c);
		c = NULL;
	}
	*out = c;
	return rc;
}

enum status
view_sql(struct strbuf *out, const struct view_def *v,
         const struct view_filter *f)
{
	static const struct view_filter none;
	enum status rc;

	if ((rc = check_filter(v, f ? f : &none)))
		return rc;
	build_sql(out, v, f ? f : &none);
	return ST_OK;
}

enum status
view_open(struct db *db, const struct view_def *v, const struct view_filter *f,
          struct view_cursor **out)
{
	static const struct view_filter none;
	struct strbuf sql = STRBUF_INIT;
	enum status rc;

	*out = NULL;
	if (!f)
		f = &none;
	if ((rc = check_filter(v, f)) || (rc = check_param(db, v, f)))
		return rc;
	build_sql(&sql, v, f);
	return open_sql(db, v, f, &sql, out);
}

/*
 * Paging.  A page is one or two segments: SQLite sorts NULL first, and
 * a row-value comparison skips NULLs, so the NULL rows of the sort
 * column are read by a segment of their own (ordered by key alone).
 * Each segment is a range of an index when the sort column has one.
 */

/*
 * A set of keys: bit k set when key k is in it.  A lazy set (fill_sql
 * set) is read a chunk of keys at a time, when a key of the chunk is
 * first tested: a page of a search matching every item then reads the
 * matches near that page, a few milliseconds, instead of all of them,
 * over 100 ms for a million.
 */
struct keyset {
	uint64_t *bits;
	size_t nbits;
	char *fill_sql;    /* lazy: the keys in [?2, ?3] with ?1 bound */
	const char *param; /* ?1 */
	uint64_t *filled;  /* lazy: bit c set when chunk c has been read */
	size_t nfilled;
};

#define CHUNK_SHIFT 14 /* 16,384 keys: about 2 ms of FTS5 matches */

/* Keys a bitmap may reach (32 MB): rowids are dense from 1, but a row
 * given a huge id by hand must not make one of 2^60 bits. */
#define KEYSET_MAX_KEY ((int64_t)1 << 28)

/* FTS5 matches from which a search tests each row of the sort's index
 * against a bitmap instead of sorting the matches: a page then costs
 * about limit * rows / matches steps. */
#define SEARCH_MANY 10000

struct view_pager {
	struct db *db;
	const struct view_def *def;
	struct view_filter f; /* its strings are own[] */
	char *own[9];
	char *entity;      /* canonical name */
	char *search;      /* FTS5 query; NULL: none */
	struct strbuf col; /* sort column */
	bool desc;
	struct plans plan;
	struct keyset sset, eset; /* SET_BITMAP: the search's, entity's */
};

/* Make room for bit k in a bitmap of *nbits bits, the new bits clear. */
static void
bits_grow(uint64_t **bits, size_t *nbits, uint64_t k)
{
	size_t words = *nbits / 64, want = (size_t)(k / 64) + 1;
	size_t n = words ? words : 1024;

	if (k < *nbits)
		return;
	while (n < want)
		n *= 2;
	*bits = xreallocarray(*bits, n, sizeof(**bits));
	memset(*bits + words, 0, (n - words) * sizeof(**bits));
	*nbits = n * 64;
}

static bool
bit_is_set(const uint64_t *bits, size_t nbits, uint64_t k)
{
	return k < nbits && (bits[k / 64] >> (k % 64) & 1);
}

static void
set_bit(struct keyset *ks, sqlite3_int64 k)
{
	if (k < 0)
		return;
	bits_grow(&ks->bits, &ks->nbits, (uint64_t)k);
	ks->bits[k / 64] |= (uint64_t)1 << (k % 64);
}

/* Read the keys of k's chunk into lazy set ks; an SQLite code. */
static int
fill_chunk(struct keyset *ks, sqlite3 *h, sqlite3_int64 k)
{
	uint64_t chunk = (uint64_t)k >> CHUNK_SHIFT;
	sqlite3_int64 lo = (sqlite3_int64)(chunk << CHUNK_SHIFT);
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h, ks->fill_sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, ks->param, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, lo);
	sqlite3_bind_int64(st, 3, lo + ((sqlite3_int64)1 << CHUNK_SHIFT) - 1);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		set_bit(ks, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	bits_grow(&ks->filled, &ks->nfilled, chunk);
	ks->filled[chunk / 64] |= (uint64_t)1 << (chunk % 64);
	return SQLITE_OK;
}

static void
in_set_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct keyset *ks = sqlite3_value_pointer(argv[0], "oligo_view_set");
	sqlite3_int64 k = sqlite3_value_int64(argv[1]);
	sqlite3 *h = sqlite3_context_db_handle(cx);

	(void)argc;
	if (!ks || k < 0) {
		sqlite3_result_int(cx, 0);
		return;
	}
	if (ks->fill_sql &&
	    !bit_is_set(ks->filled, ks->nfilled, (uint64_t)k >> CHUNK_SHIFT) &&
	    fill_chunk(ks, h, k) != SQLITE_OK) {
		sqlite3_result_error(cx, sqlite3_errmsg(h), -1);
		return;
	}
	sqlite3_result_int(cx, bit_is_set(ks->bits, ks->nbits, (uint64_t)k));
}

/* Once per connection: registering again would expire its statements. */
static enum status
register_in_set(struct db *db)
{
	sqlite3 *h = db_handle(db);
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(h, "SELECT oligo_in_set(NULL, 0)", -1, &st,
	                       NULL) == SQLITE_OK) {
		sqlite3_finalize(st);
		return ST_OK;
	}
	if (sqlite3_create_function(h, "oligo_in_set", 2, SQLITE_UTF8, NULL,
	                            in_set_fn, NULL, NULL) != SQLITE_OK)
		return db_fail(db, "cannot register oligo_in_set");
	return ST_OK;
}

/* Count up to SEARCH_MANY of the keys keys_sql selects. */
static enum status
count_keys(struct view_pager *p, const char *keys_sql, int64_t *n)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	enum status rc;

	*n = 0;
	strbuf_addf(&sql, "SELECT count(*) FROM (%s LIMIT %d)", keys_sql,
	            SEARCH_MANY);
	rc = stmt_prepare(p->db, sql.buf, &st);
	strbuf_release(&sql);
	if (rc)
		return rc;
	bind_named(st, ":search", p->search);
	bind_named(st, ":entity", p->entity);
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		rc = err_prefix(db_fail(p->db, "cannot count matches"),
		                "view '%s'", p->def->name);
	sqlite3_finalize(st);
	return rc;
}

/*
 * The keys keys_sql selects (with :search and :entity bound): when they
 * are few, SET_IN; when many, SET_BITMAP with them in ks, read now or,
 * when ks is lazy, as rows are tested.
 */
static enum status
plan_set(struct view_pager *p, const char *keys_sql, struct keyset *ks,
         enum set_plan *plan)
{
	sqlite3_stmt *st;
	enum status rc;
	int64_t n, max;

	*plan = SET_IN;
	if ((rc = count_keys(p, keys_sql, &n)) || n < SEARCH_MANY)
		return rc;
	if ((rc = view_max_key(p->db, p->def, &max)) || max >= KEYSET_MAX_KEY)
		return rc;
	if ((rc = register_in_set(p->db)))
		return rc;
	*plan = SET_BITMAP;
	if (ks->fill_sql)
		return ST_OK;
	if ((rc = stmt_prepare(p->db, keys_sql, &st)))
		return rc;
	bind_named(st, ":search", p->search);
	bind_named(st, ":entity", p->entity);
	while (sqlite3_step(st) == SQLITE_ROW)
		set_bit(ks, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return ST_OK;
}

static enum status
plan_sets(struct view_pager *p)
{
	const struct view_def *v = p->def;
	struct strbuf sql = STRBUF_INIT;
	enum status rc = ST_OK;

	if (p->search && v->fts) {
		strbuf_addf(&sql,
		            "SELECT rowid FROM %s WHERE %s MATCH ?1 AND"
		            " rowid BETWEEN ?2 AND ?3",
		            v->fts, v->fts);
		p->sset.fill_sql = strbuf_detach(&sql, NULL);
		p->sset.param = p->search;
		strbuf_addf(&sql, "SELECT rowid FROM %s WHERE %s MATCH :search",
		            v->fts, v->fts);
		rc = plan_set(p, sql.buf, &p->sset, &p->plan.search);
	}
	if (!rc && p->entity && v->entity_keys)
		rc = plan_set(p, v->entity_keys, &p->eset, &p->plan.entity);
	strbuf_release(&sql);
	return rc;
}

static char *
dup_set(const char *s)
{
	return set(s) ? xstrdup(s) : NULL;
}

enum status
view_pager_new(struct db *db, const struct view_def *v,
               const struct view_filter *f, struct view_pager **out)
{
	static const struct view_filter none;
	struct view_pager *p;
	enum status rc;

	*out = NULL;
	assert(v->key);
	if (!f)
		f = &none;
	if ((rc = check_filter(v, f)) || (rc = check_param(db, v, f)))
		return rc;
	p = xcalloc(1, sizeof(*p));
	p->db = db;
	p->def = v;
	p->f.alliance = p->own[0] = dup_set(f->alliance);
	p->f.entity = p->own[1] = dup_set(f->entity);
	p->f.market = p->own[2] = dup_set(f->market);
	p->f.since = p->own[3] = dup_set(f->since);
	p->f.until = p->own[4] = dup_set(f->until);
	p->f.search = p->own[5] = dup_set(f->search);
	p->f.sort = p->own[6] = dup_set(f->sort);
	p->f.source = p->own[7] = dup_set(f->source);
	p->f.kind = p->own[8] = dup_set(f->kind);
	strbuf_init(&p->col, 0);
	key_order(v, f, &p->col, &p->desc);
	p->search = view_fts_query(f->search);
	if (set(f->entity))
		rc = canonical_entity(db, f->entity, &p->entity);
	if (!rc)
		rc = plan_sets(p);
	if (rc) {
		view_pager_free(p);
		return rc;
	}
	*out = p;
	return ST_OK;
}

void
view_pager_free(struct view_pager *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < sizeof(p->own) / sizeof(p->own[0]); i++)
		free(p->own[i]);
	free(p->entity);
	free(p->search);
	strbuf_release(&p->col);
	free(p->sset.bits);
	free(p->sset.filled);
	free(p->sset.fill_sql);
	free(p->eset.bits);
	free(p);
}

/*
 * The segments to read from `at` in order asc, in reading order, as
 * conditions on v: SQLite sorts NULL first, so ascending reads the
 * NULL rows and then the rest, descending the other way round.
 */
static size_t
segments(const struct view_pager *p, const struct view_mark *at,
         enum view_seek how, bool asc, struct strbuf seg[2])
{
	const char *c = p->col.buf, *k = p->def->key;
	const char *op =
	    asc ? (how == VIEW_AT ? ">=" : ">") : (how == VIEW_AT ? "<=" : "<");
	size_t n = 0;

	if (!at) {
		strbuf_addf(&seg[n++], "v.\"%s\" IS %sNULL", c,
		            asc ? "" : "NOT ");
		strbuf_addf(&seg[n++], "v.\"%s\" IS %sNULL", c,
		            asc ? "NOT " : "");
	} else if (at->type == VIEW_NULL) {
		strbuf_addf(&seg[n++], "v.\"%s\" IS NULL AND v.\"%s\" %s :mk",
		            c, k, op);
		if (asc)
			strbuf_addf(&seg[n++], "v.\"%s\" IS NOT NULL", c);
	} else {
		strbuf_addf(&seg[n++], "(v.\"%s\", v.\"%s\") %s (:mc, :mk)", c,
		            k, op);
		if (!asc)
			strbuf_addf(&seg[n++], "v.\"%s\" IS NULL", c);
	}
	return n;
}

static void
bind_mark(sqlite3_stmt *st, const struct view_mark *m)
{
	int i = sqlite3_bind_parameter_index(st, ":mc");

	if (!m)
		return;
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":mk"), m->key);
	if (!i)
		return;
	if (m->type == VIEW_INT)
		sqlite3_bind_int64(st, i, m->i);
	else if (m->type == VIEW_REAL)
		sqlite3_bind_double(st, i, m->r);
	else if (m->type == VIEW_TEXT) /* "" stays text, not NULL */
		sqlite3_bind_text(st, i, m->s, -1, SQLITE_TRANSIENT);
}

/* One segment's SELECT (its rows, or count(*) of them), bound. */
static enum status
prepare_segment(struct view_pager *p, const char *seg,
                const struct view_mark *at, bool reverse, bool count,
                size_t limit, sqlite3_stmt **st)
{
	const struct view_def *v = p->def;
	struct strbuf sql = STRBUF_INIT;
	enum status rc;

	if (count) {
		strbuf_adds(&sql, "SELECT count(*) FROM (SELECT 1");
	} else {
		strbuf_adds(&sql, "SELECT ");
		for (size_t i = 0; i < v->ncols; i++)
			strbuf_addf(&sql, "v.\"%s\", ", v->cols[i].name);
		strbuf_addf(&sql, "v.\"%s\", v.\"%s\"", p->col.buf, v->key);
	}
	strbuf_addf(&sql, " FROM (%s) AS v", v->sql);
	add_where(&sql, v, &p->f, &p->plan);
	strbuf_addf(&sql, " AND %s", seg);
	add_order(&sql, v, &p->f, reverse);
	strbuf_adds(&sql, count ? " LIMIT :limit)" : " LIMIT :limit");
	rc = stmt_prepare(p->db, sql.buf, st);
	strbuf_release(&sql);
	if (rc)
		return err_prefix(rc, "view '%s'", v->name);
	bind_named(*st, ":alliance", p->f.alliance);
	bind_named(*st, ":entity", p->entity);
	bind_named(*st, ":market", p->f.market);
	bind_named(*st, ":source", p->f.source);
	bind_named(*st, ":kind", p->f.kind);
	bind_named(*st, ":since", p->f.since);
	bind_named(*st, ":until", p->f.until);
	bind_named(*st, ":search", p->search);
	if (p->plan.search == SET_BITMAP)
		sqlite3_bind_pointer(*st,
		                     sqlite3_bind_parameter_index(*st, ":set"),
		                     &p->sset, "oligo_view_set", NULL);
	if (p->plan.entity == SET_BITMAP)
		sqlite3_bind_pointer(*st,
		                     sqlite3_bind_parameter_index(*st, ":eset"),
		                     &p->eset, "oligo_view_set", NULL);
	bind_mark(*st, at);
	sqlite3_bind_int64(*st, sqlite3_bind_parameter_index(*st, ":limit"),
	                   (sqlite3_int64)limit);
	return ST_OK;
}

enum status
view_page(struct view_pager *p, const struct view_mark *at, enum view_seek how,
          size_t limit, struct view_cursor **out)
{
	bool reverse = how == VIEW_BEFORE;
	struct strbuf seg[2] = {STRBUF_INIT, STRBUF_INIT};
	size_t n = segments(p, at, how, p->desc == reverse, seg);
	struct view_cursor *c = xcalloc(1, sizeof(*c));
	enum status rc;

	c->db = p->db;
	c->def = p->def;
	c->limit = limit;
	rc = prepare_segment(p, seg[0].buf, at, reverse, false, limit, &c->st);
	if (!rc && n > 1)
		rc = prepare_segment(p, seg[1].buf, at, reverse, false, limit,
		                     &c->next);
	strbuf_release(&seg[0]);
	strbuf_release(&seg[1]);
	if (rc) {
		view_close(c);
		c = NULL;
	}
	*out = c;
	return rc;
}

enum status
view_pager_count(struct view_pager *p, const struct view_mark *at, size_t cap,
                 size_t *n)
{
	enum view_seek how = at ? VIEW_BEFORE : VIEW_AT;
	bool reverse = how == VIEW_BEFORE;
	struct strbuf seg[2] = {STRBUF_INIT, STRBUF_INIT};
	size_t nseg = segments(p, at, how, p->desc == reverse, seg);
	enum status rc = ST_OK;

	*n = 0;
	for (size_t i = 0; i < nseg && *n < cap && !rc; i++) {
		sqlite3_stmt *st;

		rc = prepare_segment(p, seg[i].buf, at, reverse, true, cap - *n,
		                     &st);
		if (rc)
			break;
		if (sqlite3_step(st) == SQLITE_ROW)
			*n += (size_t)sqlite3_column_int64(st, 0);
		else
			rc = err_prefix(db_fail(p->db, "cannot count"),
			                "view '%s'", p->def->name);
		sqlite3_finalize(st);
	}
	strbuf_release(&seg[0]);
	strbuf_release(&seg[1]);
	return rc;
}

void
view_mark(struct view_cursor *c, struct view_mark *out)
{
	int i = (int)c->def->ncols;

	memset(out, 0, sizeof(*out));
	switch (sqlite3_column_type(c->st, i)) {
	case SQLITE_NULL:
		out->type = VIEW_NULL;
		break;
	case SQLITE_INTEGER:
		out->type = VIEW_INT;
		out->i = sqlite3_column_int64(c->st, i);
		break;
	case SQLITE_FLOAT:
		out->type = VIEW_REAL;
		out->r = sqlite3_column_double(c->st, i);
		break;
	default:
		out->type = VIEW_TEXT;
		out->s = xstrdup((const char *)sqlite3_column_text(c->st, i));
	}
	out->key = sqlite3_column_int64(c->st, i + 1);
}

void
view_mark_release(struct view_mark *m)
{
	free(m->s);
	memset(m, 0, sizeof(*m));
}

void
view_mark_copy(struct view_mark *dst, const struct view_mark *src)
{
	*dst = *src;
	dst->s = src->s ? xstrdup(src->s) : NULL;
}

enum status
view_max_key(struct db *db, const struct view_def *v, int64_t *out)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	enum status rc;

	assert(v->key);
	*out = 0;
	/* ORDER BY, not max(): max() over the join would read every row */
	strbuf_addf(&sql,
	            "SELECT v.\"%s\" FROM (%s) AS v ORDER BY v.\"%s\" DESC"
	            " LIMIT 1",
	            v->key, v->sql, v->key);
	rc = stmt_prepare(db, sql.buf, &st);
	strbuf_release(&sql);
	if (rc)
		return err_prefix(rc, "view '%s'", v->name);
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return ST_OK;
}

bool
view_sort_indexed(struct db *db, const struct view_def *v, const char *sort)
{
	struct view_filter f = {.sort = sort};
	struct view_pager *p;
	struct strbuf seg[2] = {STRBUF_INIT, STRBUF_INIT}, sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	bool indexed = true;

	if (!v->key || view_pager_new(db, v, &f, &p))
		return !v->key;
	segments(p, NULL, VIEW_AT, !p->desc, seg);
	/* the non-NULL segment: the one an index may serve */
	if (!prepare_segment(p, seg[p->desc ? 0 : 1].buf, NULL, false, false, 1,
	                     &st)) {
		strbuf_addf(&sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
		sqlite3_finalize(st);
		st = NULL;
	}
	if (sql.len && !stmt_prepare(db, sql.buf, &st))
		while (sqlite3_step(st) == SQLITE_ROW)
			if (strstr((const char *)sqlite3_column_text(st, 3),
			           "TEMP B-TREE"))
				indexed = false;
	sqlite3_finalize(st);
	strbuf_release(&seg[0]);
	strbuf_release(&seg[1]);
	strbuf_release(&sql);
	view_pager_free(p);
	return indexed;
}

enum status
view_provenance(struct db *db, const struct view_def *v,
                const struct view_filter *f, struct view_cursor **out)
{
	struct view_filter m = {.market =
	                            f && v->market_col ? f->market : NULL};
	struct strbuf sql = STRBUF_INIT;
	const char *as_of = has_col(v, "as_of") ? "as_of" : v->date_col;

	*out = NULL;
	if (!v->prov_sql && !(has_col(v, "source") && as_of))
		return err_set(ST_SOFTWARE, "view '%s' records no sources",
		               v->name);
	if (v->prov_sql)
		as_of = "as_of";
	strbuf_addf(&sql,
	            "SELECT v.source, count(*), min(v.\"%s\"), max(v.\"%s\")"
	            " FROM (%s) AS v",
	            as_of, as_of, v->prov_sql ? v->prov_sql : v->sql);
	add_where(&sql, v, &m, NULL);
	strbuf_adds(&sql, " GROUP BY 1 ORDER BY 2 DESC, 1");
	return open_sql(db, v, &m, &sql, out);
}

enum status
view_detail(struct db *db, const struct view_def *v, const char *key,
            struct view_cursor **out)
{
	static const struct view_filter none;
	struct strbuf sql = STRBUF_INIT;
	enum status rc;

	assert(v->detail_sql);
	strbuf_adds(&sql, v->detail_sql);
	if (!(rc = open_sql(db, v, &none, &sql, out)))
		bind_named((*out)->st, ":key", key);
	return rc;
}

enum status
view_distinct(struct db *db, const struct view_def *v, const char *col,
              struct view_cursor **out)
{
	static const struct view_filter none;
	struct strbuf sql = STRBUF_INIT;

	assert(has_col(v, col));
	strbuf_addf(&sql,
	            "SELECT DISTINCT v.\"%s\" FROM (%s) AS v"
	            " WHERE v.\"%s\" IS NOT NULL ORDER BY 1",
	            col, v->sql, col);
	return open_sql(db, v, &none, &sql, out);
}

enum status
view_step(struct view_cursor *c, bool *row)
{
	int rc = sqlite3_step(c->st);

	if (rc == SQLITE_DONE && c->next && c->seen < c->limit) {
		sqlite3_finalize(c->st);
		c->st = c->next;
		c->next = NULL;
		sqlite3_bind_int64(
		    c->st, sqlite3_bind_parameter_index(c->st, ":limit"),
		    (sqlite3_int64)(c->limit - c->seen));
		rc = sqlite3_step(c->st);
	}
	c->seen += rc == SQLITE_ROW;
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return ST_OK;
	return err_prefix(db_fail(c->db, "cannot read"), "view '%s'",
	                  c->def->name);
}

const char *
view_text(struct view_cursor *c, size_t i)
{
	return (const char *)sqlite3_column_text(c->st, (int)i);
}

bool
view_is_null(struct view_cursor *c, size_t i)
{
	return sqlite3_column_type(c->st, (int)i) == SQLITE_NULL;
}

double
view_real(struct view_cursor *c, size_t i)
{
	return sqlite3_column_double(c->st, (int)i);
}

int64_t
view_int(struct view_cursor *c, size_t i)
{
	return sqlite3_column_int64(c->st, (int)i);
}

enum view_value
view_type(struct view_cursor *c, size_t i)
{
	switch (sqlite3_column_type(c->st, (int)i)) {
	case SQLITE_NULL:
		return VIEW_NULL;
	case SQLITE_INTEGER:
		return VIEW_INT;
	case SQLITE_FLOAT:
		return VIEW_REAL;
	default:
		return VIEW_TEXT;
	}
}

void
view_close(struct view_cursor *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->st);
	sqlite3_finalize(c->next);
	free(c);
}

/* 1234567.8 -> "1,234,568" (decimals 0) */
static void
add_grouped(struct strbuf *out, double v, int decimals)
{
	char digits[64];
	int n, lead;
	const char *p = digits;

	n = snprintf(digits, sizeof(digits), "%.*f", decimals, v < 0 ? -v : v);
	if (n <= 0 || (size_t)n >= sizeof(digits))
		return;
	if (v < 0)
		strbuf_addch(out, '-');
	lead = (int)strcspn(digits, ".");
	for (int i = 0; i < lead; i++) {
		if (i && (lead - i) % 3 == 0)
			strbuf_addch(out, ',');
		strbuf_addch(out, p[i]);
	}
	strbuf_adds(out, p + lead);
}

static void
add_usd(struct strbuf *out, double v)
{
	static const struct {
		double scale;
		const char *suffix;
	} units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (v >= units[i].scale) {
			strbuf_addf(out, "$%.1f%s", v / units[i].scale,
			            units[i].suffix);
			return;
		}
	}
	strbuf_addf(out, "$%.0f", v);
}

void
view_format(struct strbuf *out, const struct view_col *col,
            struct view_cursor *c, size_t i)
{
	const char *t;

	if (view_is_null(c, i)) {
		strbuf_adds(out, "—");
		return;
	}
	switch (col->type) {
	case COL_TEXT:
	case COL_DATE:
		t = view_text(c, i);
		strbuf_adds(out, t ? t : "");
		break;
	case COL_INT:
		add_grouped(out, (double)view_int(c, i), 0);
		break;
	case COL_REAL:
	case COL_POINTS:
		add_grouped(out, view_real(c, i), col->decimals);
		break;
	case COL_PCT:
		strbuf_addf(out, "%.*f%%", col->decimals, view_real(c, i));
		break;
	case COL_USD:
		add_usd(out, view_real(c, i));
		break;
	}
}
