#include "db/view.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db/entity.h"
#include "db/stmt.h"
#include "lib/strbuf.h"
#include "lib/xalloc.h"

#define COLS(a) a, sizeof(a) / sizeof(a[0])

/* Alliance members by role, with what the anchor has put in and holds.
 * invested_usd sums disclosed equity and convertible notes only; the
 * largest funding commitment is a separate column because commitments
 * overlap the tranches already paid.  Low-confidence reports (such as the
 * seed article's "up to $25 billion") stay in the deals view, marked, but
 * are not added into these totals. */
static const struct view_col landscape_cols[] = {
    {"alliance", "Alliance", COL_TEXT, 17, 0},
    {"role", "Role", COL_TEXT, 12, 0},
    {"entity", "Entity", COL_TEXT, 20, 0},
    {"kind", "Kind", COL_TEXT, 9, 0},
    {"invested_usd", "Invested", COL_USD, 9, 1},
    {"committed_usd", "Committed", COL_USD, 9, 1},
    {"stake_pct", "Stake", COL_PCT, 6, 1},
    {"stake_as_of", "Stake as of", COL_DATE, 10, 0},
    {"since", "Since", COL_DATE, 10, 0},
    {"confidence", "Conf", COL_TEXT, 6, 0},
    {"source", "Source", COL_TEXT, 30, 0},
    {"as_of", "As of", COL_DATE, 10, 0},
};

static const char landscape_sql[] =
    "WITH anchor AS ("
    " SELECT a.id AS alliance_id, e.id AS entity_id FROM alliance a"
    " JOIN entity e ON e.id = a.anchor_id OR e.parent_id = a.anchor_id)"
    " SELECT a.name AS alliance, m.role, e.name AS entity, e.kind,"
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
    " m.since, m.confidence, m.source, m.as_of, a.id AS _order"
    " FROM membership m JOIN alliance a ON a.id = m.alliance_id"
    " JOIN entity e ON e.id = m.entity_id"
    " UNION ALL"
    " SELECT 'Other', NULL, e.name, e.kind, NULL, NULL, NULL, NULL, NULL,"
    " NULL, e.source, e.as_of, 1000000"
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
    "  AS entities, i.link"
    " FROM item i JOIN source s ON s.id = i.source_id"
    " WHERE :search IS NULL OR i.id IN"
    "  (SELECT rowid FROM item_fts WHERE item_fts MATCH :search)";

static const struct view_col filings_cols[] = {
    {"filed", "Filed", COL_DATE, 10, 0},
    {"company", "Company", COL_TEXT, 24, 0},
    {"entity", "Entity", COL_TEXT, 14, 0},
    {"form", "Form", COL_TEXT, 8, 0},
    {"accession", "Accession", COL_TEXT, 20, 0},
    {"accepted", "Accepted (UTC)", COL_DATE, 20, 0},
    {"url", "URL", COL_TEXT, 40, 0},
};

static const char filings_sql[] =
    "SELECT f.filed, f.company, e.name AS entity, f.form, f.accession,"
    " f.accepted, f.url"
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
     .sort = "_order, entity, role",
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
     .date_col = "date"},
    {.name = "cases",
     .title = "Cases",
     .sql = cases_sql,
     .sort = "authority, opened DESC",
     COLS(cases_cols),
     .alliance_col = "alliances",
     .entity_cols = "authority,parties",
     .date_col = "opened"},
    {.name = "news",
     .title = "News",
     .sql = news_sql,
     .sort = "published DESC",
     COLS(news_cols),
     .entity_cols = "entities",
     .date_col = "published",
     .searchable = true},
    {.name = "filings",
     .title = "Filings",
     .sql = filings_sql,
     .sort = "filed DESC, accession DESC",
     COLS(filings_cols),
     .entity_cols = "entity,company",
     .date_col = "filed",
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

static void
add_where(struct strbuf *sql, const struct view_def *v,
          const struct view_filter *f)
{
	strbuf_adds(sql, " WHERE 1");
	if (set(f->alliance))
		add_list_filter(sql, v->alliance_col, ":alliance");
	if (set(f->entity))
		add_list_filter(sql, v->entity_cols, ":entity");
	if (set(f->market))
		strbuf_addf(sql, " AND v.\"%s\" = :market COLLATE NOCASE",
		            v->market_col);
	if (set(f->since))
		strbuf_addf(sql, " AND v.\"%s\" >= :since", v->date_col);
	if (set(f->until))
		strbuf_addf(
		    sql, " AND substr(v.\"%s\", 1, length(:until)) <= :until",
		    v->date_col);
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
	add_where(sql, v, f);
	if (set(f->sort))
		strbuf_addf(sql, " ORDER BY v.\"%s\" %s, %s",
		            f->sort + (f->sort[0] == '-'),
		            f->sort[0] == '-' ? "DESC" : "ASC", v->sort);
	else
		strbuf_addf(sql, " ORDER BY %s", v->sort);
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
	add_where(&sql, v, &m);
	strbuf_adds(&sql, " GROUP BY 1 ORDER BY 2 DESC, 1");
	return open_sql(db, v, &m, &sql, out);
}

enum status
view_step(struct view_cursor *c, bool *row)
{
	int rc = sqlite3_step(c->st);

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
