"""The catalog's tables (SQLAlchemy Core).

The catalog is a build artefact: ``gradpath build`` creates these tables in a fresh database
and fills them from the sources, so they carry no migrations; ``CATALOG_SCHEMA_VERSION`` tells
the app when a catalog was built by an older GradPath and must be rebuilt. Every fact row names
the source it came from (``source_id``), and a value that is unknown is NULL with a reason beside
it — never 0.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

CATALOG_SCHEMA_VERSION = 2

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

source = Table(
    "source",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("publisher", Text, nullable=False),
    Column("vintage", Text, nullable=False),
    Column("license", Text, nullable=False),
    Column("attribution", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("layout", String(16), nullable=False),  # mirror | official | curated
    Column("notes", Text, nullable=False),
)

source_file = Table(
    "source_file",
    metadata,
    Column("source_id", String(64), ForeignKey("source.id"), primary_key=True),
    Column("path", Text, primary_key=True),
    Column("sha256", String(64), nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("rows", Integer),
)

# --- Places ---------------------------------------------------------------------------------

area = Table(
    "area",
    metadata,
    # national → "national"; state → postal code "MA"; metro → 5-digit CBSA "14460";
    # nonmetropolitan OEWS area → its 7-digit BLS code.
    Column("code", String(16), primary_key=True),
    Column("type", String(16), nullable=False),  # national | state | metro | nonmetro
    Column("name", Text, nullable=False),
    Column("state", String(2)),  # primary state (postal) for states, metros, nonmetros
    Column("states", Text),  # all states a metro spans, comma-separated
    Column("oews_code", String(7), nullable=False),
    Column("source_id", String(64), nullable=False),
)

cbsa = Table(
    "cbsa",
    metadata,
    Column("code", String(5), primary_key=True),
    Column("type", String(8), nullable=False),  # metro | micro (IPEDS CBSATYPE)
    Column("state", String(2)),  # state of the institutions located there
    Column("oews_area", String(16)),  # area.code when OEWS publishes this CBSA
    Column("source_id", String(64), nullable=False),
)

# --- Occupations, wages, outlook --------------------------------------------------------------

occupation = Table(
    "occupation",
    metadata,
    Column("soc", String(7), primary_key=True),
    Column("title", Text, nullable=False),
    Column("level", String(12), nullable=False),  # total | major | minor | broad | detailed
    Column("source_id", String(64), nullable=False),
)

WAGE_FIELDS = (
    "employment",
    "employment_rse",
    "hourly_mean",
    "annual_mean",
    "wage_rse",
    "hourly_p10",
    "hourly_p25",
    "hourly_median",
    "hourly_p75",
    "hourly_p90",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "jobs_per_1000",
    "location_quotient",
)
"""OEWS datatypes 01–17 in order."""

wage = Table(
    "wage",
    metadata,
    Column("soc", String(7), primary_key=True),
    Column("area_code", String(16), primary_key=True),
    *[Column(name, Float) for name in WAGE_FIELDS],
    # The BLS footnote code behind a NULL (5 top-coded, 8 not released, 4 hourly/annual only).
    *[Column(f"fn_{name}", Integer) for name in WAGE_FIELDS],
    Column("source_id", String(64), nullable=False),
)
Index("ix_wage_area", wage.c.area_code)

outlook = Table(
    "outlook",
    metadata,
    Column("soc", String(7), primary_key=True),
    Column("title", Text, nullable=False),
    Column("occupation_type", String(16), nullable=False),  # Line item | Summary
    Column("employment_2024_k", Float),
    Column("employment_2034_k", Float),
    Column("change_numeric_k", Float),
    Column("change_percent", Float),
    Column("self_employed_percent", Float),
    Column("openings_annual_k", Float),
    Column("median_wage_2024", Float),
    Column("median_wage_2024_note", Text),  # e.g. top-coded ">=$239,200"
    Column("entry_education", Text),
    Column("work_experience", Text),
    Column("job_training", Text),
    Column("source_id", String(64), nullable=False),
)

# --- O*NET ------------------------------------------------------------------------------------

onet_occupation = Table(
    "onet_occupation",
    metadata,
    Column("onet_soc", String(10), primary_key=True),
    Column("soc", String(7), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("job_zone", Integer),
    Column("source_id", String(64), nullable=False),
)

onet_task = Table(
    "onet_task",
    metadata,
    Column("onet_soc", String(10), primary_key=True),
    Column("task_id", Integer, primary_key=True),
    Column("task", Text, nullable=False),
    Column("task_type", String(16)),
    Column("source_id", String(64), nullable=False),
)

onet_element = Table(
    "onet_element",
    metadata,
    Column("onet_soc", String(10), primary_key=True),
    Column("kind", String(12), primary_key=True),  # skill | knowledge
    Column("element_id", String(20), primary_key=True),
    Column("name", Text, nullable=False),
    Column("importance", Float),  # scale IM, 1–5
    Column("level", Float),  # scale LV, 0–7
    Column("source_id", String(64), nullable=False),
)

onet_technology = Table(
    "onet_technology",
    metadata,
    Column("onet_soc", String(10), nullable=False, index=True),
    Column("example", Text, nullable=False),
    Column("commodity_code", Integer),
    Column("commodity_title", Text),
    Column("hot", Boolean, nullable=False),
    Column("in_demand", Boolean, nullable=False),
    Column("source_id", String(64), nullable=False),
)

onet_education = Table(
    "onet_education",
    metadata,
    Column("onet_soc", String(10), primary_key=True),
    Column("category", Integer, primary_key=True),
    Column("label", Text, nullable=False),
    Column("percent", Float),
    Column("source_id", String(64), nullable=False),
)

onet_title = Table(
    "onet_title",
    metadata,
    Column("onet_soc", String(10), nullable=False, index=True),
    Column("title", Text, nullable=False),
    Column("short_title", Text),
    Column("source_id", String(64), nullable=False),
)

# --- Fields of study --------------------------------------------------------------------------

cip = Table(
    "cip",
    metadata,
    Column("code", String(7), primary_key=True),
    Column("family", String(5), nullable=False),
    Column("level", Integer, nullable=False),  # 2, 4 or 6 digits
    Column("title", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("action", Text),
    Column("source_id", String(64), nullable=False),
)

cip_soc = Table(
    "cip_soc",
    metadata,
    Column("cip", String(7), primary_key=True),
    Column("soc", String(7), primary_key=True, index=True),
    Column("source_id", String(64), nullable=False),
)

# --- Institutions and offerings ---------------------------------------------------------------

institution = Table(
    "institution",
    metadata,
    Column("unitid", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("alias", Text, nullable=False),
    Column("city", Text, nullable=False),
    Column("state", String(2), nullable=False),
    Column("zip", String(10), nullable=False),
    Column("county", Text, nullable=False),
    Column("website", Text, nullable=False),
    Column("control", Integer),
    Column("control_label", Text),
    Column("hloffer", Integer),
    Column("carnegie_basic", Integer),
    Column("cbsa", String(5)),
    Column("cbsa_type", String(8)),
    Column("opeid", String(8), nullable=False),
    Column("opeid6", String(6), nullable=False, index=True),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("active", Boolean, nullable=False),
    Column("source_id", String(64), nullable=False),
    # Institutional accreditor: the most recent file that names one (vintage stated).
    Column("accreditor", Text),
    Column("accreditor_source_id", String(64)),
    Column("accreditor_vintage", Text),
    Column("accreditor_note", Text),  # why it is unknown, when it is
    # Distance education (institution-level, all students unless the scope says otherwise).
    Column("distance_exclusive_share", Float),
    Column("distance_some_share", Float),
    Column("distance_enrollment", Integer),
    Column("distance_year", Integer),
    Column("distance_scope", Text),
    Column("distance_source_id", String(64)),
)

offering = Table(
    "offering",
    metadata,
    Column("id", String(20), primary_key=True),  # "<unitid>-<cip6>", stable across builds
    Column("unitid", Integer, ForeignKey("institution.unitid"), nullable=False, index=True),
    Column("cip", String(7), nullable=False, index=True),
    Column("cip4", String(5), nullable=False, index=True),
    Column("cip_title", Text, nullable=False),
    Column("current", Boolean, nullable=False),
    Column("last_reported_year", Integer, nullable=False),  # award year ending, 2024 = 2023-24
    Column("awards_latest", Integer),  # awards in the latest year reported (0 is a real zero)
    Column("tier", String(10), nullable=False),  # core | adjacent | context
    Column("tier_rationale", Text, nullable=False),
    # Scorecard field-of-study outcomes of institution × CIP4 (field-level: shared by siblings).
    Column("fos_status", String(16), nullable=False),  # published | partial | suppressed | no_record
    Column("fos_completers", Integer),
    Column("earnings_1yr", Float),
    Column("earnings_4yr", Float),
    Column("debt_median", Float),
    # Why a figure above is NULL (privacy suppression, no Scorecard record …); NULL when published.
    Column("earnings_1yr_note", Text),
    Column("earnings_4yr_note", Text),
    Column("debt_note", Text),
    Column("fos_source_id", String(64), nullable=False),
    Column("source_id", String(64), nullable=False),
)
Index("ix_offering_current_cip", offering.c.current, offering.c.cip)

award = Table(
    "award",
    metadata,
    Column("offering_id", String(20), ForeignKey("offering.id"), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("awards", Integer, nullable=False),
    Column("source_id", String(64), nullable=False),
)

field_outcome = Table(
    "field_outcome",
    metadata,
    Column("unitid", Integer, primary_key=True),
    Column("cip4", String(5), primary_key=True),
    Column("institution_name", Text, nullable=False),
    Column("cip4_title", Text, nullable=False),
    Column("completers", Integer),
    Column("earnings_1yr", Float),
    Column("earnings_4yr", Float),
    Column("debt_median", Float),
    Column("in_ipeds", Boolean, nullable=False),
    Column("source_id", String(64), nullable=False),
)

programmatic_accreditation = Table(
    "programmatic_accreditation",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution", Text, nullable=False),
    Column("unitid", Integer),
    Column("program", Text, nullable=False),
    Column("degree_level", Text),
    Column("accreditor", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("accredited", Boolean, nullable=False),
    Column("as_of", Text),
    Column("source_url", Text, nullable=False),
    Column("note", Text),
    Column("source_id", String(64), nullable=False),
)

# --- Careers (curated roles mapped onto SOC occupations) -----------------------------------------

role = Table(
    "role",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),  # order in roles.yaml
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("source_id", String(64), nullable=False),
)

role_soc = Table(
    "role_soc",
    metadata,
    Column("role_id", String(64), ForeignKey("role.id"), primary_key=True),
    Column("soc", String(7), primary_key=True),
    Column("weight", Float, nullable=False),
    Column("rationale", Text, nullable=False),
    Column("onet_codes", Text, nullable=False),  # comma-separated O*NET-SOC profiles
    Column("source_id", String(64), nullable=False),
)

role_skill = Table(
    "role_skill",
    metadata,
    Column("role_id", String(64), ForeignKey("role.id"), primary_key=True),
    Column("topic", String(32), primary_key=True),
    Column("level", String(8), nullable=False),  # core | useful
    Column("source_id", String(64), nullable=False),
)

role_cip = Table(
    "role_cip",
    metadata,
    Column("role_id", String(64), ForeignKey("role.id"), primary_key=True),
    Column("cip4", String(5), primary_key=True),
    Column("via", String(12), nullable=False),  # crosswalk | added
    Column("note", Text, nullable=False),
    Column("source_id", String(64), nullable=False),
)

role_task = Table(
    "role_task",
    metadata,
    Column("role_id", String(64), ForeignKey("role.id"), primary_key=True),
    Column("task_id", Integer, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("source_id", String(64), nullable=False),
)

role_technology = Table(
    "role_technology",
    metadata,
    Column("role_id", String(64), ForeignKey("role.id"), primary_key=True),
    Column("example", Text, primary_key=True),
    Column("position", Integer, nullable=False),
    Column("source_id", String(64), nullable=False),
)

role_certification = Table(
    "role_certification",
    metadata,
    Column("role_id", String(64), ForeignKey("role.id"), primary_key=True),
    Column("cert_id", String(64), primary_key=True),
    Column("timing", String(24), nullable=False),  # before_program | during_program | after_program | after_experience
    Column("note", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("source_id", String(64), nullable=False),
)

certification = Table(
    "certification",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("short_name", Text),
    Column("status", String(24), nullable=False),  # found | retirement_reported | not_found
    Column("issuer", Text),
    Column("issuer_url", Text),
    Column("eligibility", Text, nullable=False),
    Column("fee_note", Text),
    Column("exam_format", Text, nullable=False),
    Column("renewal", Text, nullable=False),
    Column("sources_json", Text, nullable=False),  # JSON list of URLs
    Column("alternatives_json", Text, nullable=False),  # JSON list of certification ids
    Column("as_of", String(10), nullable=False),
    Column("notes", Text),
    Column("source_id", String(64), nullable=False),
)

certification_fee = Table(
    "certification_fee",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("cert_id", String(64), ForeignKey("certification.id"), nullable=False, index=True),
    Column("amount_usd", Float, nullable=False),
    Column("what", String(16), nullable=False),
    Column("who", String(12), nullable=False),
    Column("as_stated_by", String(16), nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("source_url", Text, nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("page_date", Text),
    Column("note", Text),
    Column("source_id", String(64), nullable=False),
)

topic = Table(
    "topic",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("source_id", String(64), nullable=False),
)

# --- Program facts (verified by the team, or accepted from the review queue) ---------------------

program = Table(
    "program",
    metadata,
    Column("slug", String(96), primary_key=True),
    Column("url", Text, nullable=False),
    Column("institution", Text, nullable=False),
    Column("program_name", Text, nullable=False),
    Column("degree", Text),
    Column("cip4", String(5), nullable=False),
    Column("country", String(2), nullable=False),
    Column("reviewed", String(10), nullable=False),  # as-of date of the team's review
    Column("catalog_year", Text),
    Column("note", Text),
    Column("unitid", Integer, index=True),
    Column("link_method", String(12), nullable=False),  # override | host | name | none
    Column("link_score", Float, nullable=False),
    Column("link_flags", Text, nullable=False),  # comma-separated
    Column("link_reason", Text),
    Column("source_id", String(64), nullable=False),
)

program_offering = Table(
    "program_offering",
    metadata,
    Column("slug", String(96), ForeignKey("program.slug"), primary_key=True),
    Column("offering_id", String(20), ForeignKey("offering.id"), primary_key=True, index=True),
    Column("source_id", String(64), nullable=False),
)

program_fact = Table(
    "program_fact",
    metadata,
    Column("slug", String(96), ForeignKey("program.slug"), primary_key=True),
    Column("field", String(40), primary_key=True),
    Column("value_json", Text, nullable=False),  # the value in the labels' conventions, JSON-encoded
    Column("source_url", Text, nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("origin", String(12), nullable=False),  # curated | review
    Column("source_id", String(64), nullable=False),
    Column("evidence", Text),  # review only: the page quote (local database only, never committed)
    Column("reviewer_note", Text),  # review only: the reviewer's note on accepting the fact
)

tuition_rate = Table(
    "tuition_rate",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("institution", Text, nullable=False),
    Column("unitid", Integer, index=True),
    Column("link_method", String(12), nullable=False),
    Column("scope", Text, nullable=False),
    Column("residency", String(12), nullable=False),
    Column("amount_usd", Float, nullable=False),
    Column("per", String(10), nullable=False),
    Column("academic_year", Text),
    Column("start_year", Integer),  # first calendar year of academic_year, for staleness
    Column("note", Text),
    Column("source_url", Text, nullable=False),
    Column("source_id", String(64), nullable=False),
)
