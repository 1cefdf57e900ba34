"""The tables and views of the stored provenance decisions: migrations ``m007_decisions``
(:func:`create`), ``m009_decision_views`` (:func:`views_v2`), ``m010_evidence_counter`` and
``m011_evidence_table`` (:func:`evidence_counter_v2`).

Each function is part of a shipped migration: never edit one; a change is a new migration
in :mod:`.schema` with a new function here.
"""

from __future__ import annotations

from sqlite_utils import Database


def create(db: Database) -> None:
    # The provenance decisions themselves, written whole (one transaction) after each crawl,
    # ingest and rematch; the rules' version, time and evidence they were made from are the
    # state row 'decisions'. Every reader (lookup, the API, stats, export, these views) reads
    # them, so all answer alike. One row per article and family: a roundup carrying two
    # stories is a copy in each; an article with no known copy has family_id NULL.
    db["decisions"].create(
        {
            "url": str,  # the article (or an origin outside the store: its key)
            "family_id": int,
            "article_id": int,  # NULL when not crawled (a linked page, an agency)
            "outlet": str,
            "outlet_name": str,
            "in_store": int,
            "role": str,  # origin | copy | unique
            "origin": str,  # the family's origin key (its URL, or external:NAME)
            "origin_url": str,
            "origin_outlet": str,
            "origin_name": str,
            "origin_kind": str,  # article, or wire | syndicator | outlet | print
            "origin_in_store": int,
            "copied_from": str,  # NULL for the origin and for a copy whose source is undetermined
            "copied_from_outlet": str,
            "basis": str,  # JSON list
            "confidence": float,
            "attributed": int,  # the copy credits its source where readers see it
            "credit": str,  # the credit sentence a reader sees (NULL when none)
            "credit_kind": str,
            "credit_form": str,  # footer, byline, dateline, sign-off, metadata, canonical …
            "credit_outlet": str,
            "credit_url": str,
            "similarity": float,
            "containment": float,
            "containment_copy_in_source": float,
            "containment_source_in_copy": float,
            "text_kind": str,  # near-duplicate | excerpt | expanded
            "lag_hours": float,  # after copied_from
            "lag_hours_from_origin": float,
            "date": str,  # the time the decision used, and its basis
            "date_basis": str,
            "conflicts": str,  # JSON list of the family's conflict kinds naming this article
            "primary_family": int,  # 1 on the family a lookup shows first
            "record": str,  # JSON: the article record, time and credits the decision used
        },
    )
    db["decisions"].create_index(["url"])
    db["decisions"].create_index(["family_id"])
    db["decisions"].create_index(["article_id"])
    db["decisions"].create_index(["outlet", "role"])
    db["decision_families"].create(
        {
            "family_id": int,
            "origin": str,
            "origin_url": str,
            "origin_outlet": str,
            "origin_name": str,
            "origin_kind": str,
            "origin_in_store": int,
            "origin_basis": str,  # JSON list
            "origin_confidence": float,
            "size": int,
            "conflicts": str,  # JSON list of {kind, message, urls}
            "record": str,  # JSON: the whole family decision
        },
        pk="family_id",
    )
    for view in ("article_provenance", "republications_by_outlet_pair", "outlet_summary"):
        db.execute(f"drop view if exists {view}")
    db.execute(
        """
        create view article_provenance as
        select d.url as copy_url, d.outlet as copy_outlet, d.outlet_name as copy_name,
            a.title as copy_title, d.date as copy_date, d.family_id,
            d.copied_from as source_url, d.copied_from_outlet as source_outlet,
            d.origin_url, d.origin_outlet, d.origin_name, d.origin_kind, d.origin_in_store,
            d.basis, d.confidence, d.attributed, d.credit as attribution, d.credit_form,
            d.similarity, d.containment, d.text_kind as kind, d.lag_hours,
            d.lag_hours_from_origin, d.conflicts
        from decisions d left join articles a on a.id = d.article_id
        where d.role = 'copy'
        """
    )
    # Copies from another outlet: what `crosspost stats` counts.
    db.execute(
        """
        create view outlet_copies as
        select * from decisions
        where role = 'copy' and in_store = 1 and copied_from_outlet is not null
            and copied_from_outlet != outlet
        """
    )
    db.execute(
        """
        create view republications_by_outlet_pair as
        with lags as (
            select copied_from_outlet as source, outlet as copied_by, lag_hours,
                row_number() over (partition by copied_from_outlet, outlet
                                   order by lag_hours) as n,
                count(*) over (partition by copied_from_outlet, outlet) as c
            from outlet_copies where lag_hours is not null
        ),
        medians as (
            select source, copied_by, round(avg(lag_hours), 2) as median_lag_hours
            from lags where n in ((c + 1) / 2, (c + 2) / 2) group by source, copied_by
        )
        select p.copied_from_outlet as source, p.outlet as copied_by,
            count(*) as republications, sum(p.attributed) as attributed,
            round(avg(p.attributed), 4) as attribution_rate,
            m.median_lag_hours, round(avg(p.lag_hours), 2) as mean_lag_hours,
            min(p.date) as first_copy, max(p.date) as last_copy
        from outlet_copies p
        left join medians m on m.source = p.copied_from_outlet and m.copied_by = p.outlet
        group by p.copied_from_outlet, p.outlet
        order by republications desc, source, copied_by
        """
    )
    db.execute(
        """
        create view outlet_summary as
        with members as (
            select outlet, count(distinct url) as articles from decisions
            where in_store = 1 group by outlet
        ),
        originals as (
            select f.origin_outlet as outlet, count(*) as originals,
                sum(exists (select 1 from decisions c where c.family_id = f.family_id
                            and c.role = 'copy' and c.outlet != f.origin_outlet))
                    as originals_copied_by_others
            from decision_families f where f.origin_in_store = 1 group by f.origin_outlet
        ),
        copies as (
            select outlet, count(*) as copies, sum(attributed) as attributed_copies,
                round(avg(attributed), 4) as attribution_rate
            from outlet_copies group by outlet
        ),
        copied as (
            select copied_from_outlet as outlet, count(distinct copied_from) as copied_by_others
            from outlet_copies group by copied_from_outlet
        ),
        lags as (
            select outlet, lag_hours,
                row_number() over (partition by outlet order by lag_hours) as n,
                count(*) over (partition by outlet) as c
            from outlet_copies where lag_hours is not null
        ),
        medians as (
            select outlet, round(avg(lag_hours), 2) as median_lag_hours
            from lags where n in ((c + 1) / 2, (c + 2) / 2) group by outlet
        )
        select o.domain as outlet, coalesce(o.name, o.domain) as name,
            coalesce(m.articles, 0) as articles, coalesce(g.originals, 0) as originals,
            coalesce(g.originals_copied_by_others, 0) as originals_copied_by_others,
            coalesce(c.copies, 0) as copies, coalesce(c.attributed_copies, 0) as attributed_copies,
            c.attribution_rate, coalesce(k.copied_by_others, 0) as copied_by_others,
            l.median_lag_hours, o.first_seen, o.last_seen
        from outlets o
        left join members m on m.outlet = o.domain
        left join originals g on g.outlet = o.domain
        left join copies c on c.outlet = o.domain
        left join copied k on k.outlet = o.domain
        left join medians l on l.outlet = o.domain
        order by copies desc, articles desc, outlet
        """
    )
    db.execute(
        """
        create view story_families as
        select f.family_id, f.origin_url, f.origin_outlet, f.origin_name, f.origin_kind,
            f.origin_in_store, f.origin_basis, f.origin_confidence, f.size,
            (select count(*) from decisions c where c.family_id = f.family_id
             and c.role = 'copy') as copies,
            (select count(*) from decisions c where c.family_id = f.family_id
             and c.role = 'copy' and c.attributed = 1) as credited_copies,
            json_array_length(f.conflicts) as conflicts
        from decision_families f
        order by f.size desc, f.family_id
        """
    )
    db.execute(
        """
        create view decisions_run as
        select json_extract(value, '$.rules_version') as rules_version,
            json_extract(value, '$.decided_at') as decided_at,
            json_extract(value, '$.trigger') as trigger,
            json_extract(value, '$.articles') as articles,
            json_extract(value, '$.families') as families,
            json_extract(value, '$.seconds') as seconds
        from state where key = 'decisions'
        """
    )


def views_v2(db: Database) -> None:
    """The views again, counting as ``crosspost stats`` does: a copy link once per (copy,
    source) however many families hold it (a roundup carrying two stories), copies of
    nobody (undetermined source) left out, and an origin outside the store (an agency the
    copies credit) an outlet of its own, its families its originals."""
    for view in ("republications_by_outlet_pair", "outlet_summary", "outlet_copies"):
        db.execute(f"drop view if exists {view}")
    db.execute(
        """
        create view outlet_copies as
        select d.*, (d.copied_from = d.origin and d.origin_kind != 'article')
            as source_outside_store
        from decisions d
        where d.rowid in (
            select min(rowid) from decisions
            where role = 'copy' and copied_from is not null and copied_from_outlet is not null
                and copied_from_outlet != outlet
            group by url, copied_from)
        """
    )
    db.execute(
        """
        create view republications_by_outlet_pair as
        with lags as (
            select copied_from_outlet as source, outlet as copied_by, lag_hours,
                row_number() over (partition by copied_from_outlet, outlet
                                   order by lag_hours) as n,
                count(*) over (partition by copied_from_outlet, outlet) as c
            from outlet_copies where lag_hours is not null
        ),
        medians as (
            select source, copied_by, round(avg(lag_hours), 2) as median_lag_hours
            from lags where n in ((c + 1) / 2, (c + 2) / 2) group by source, copied_by
        )
        select p.copied_from_outlet as source, p.outlet as copied_by,
            count(*) as republications, sum(p.attributed) as attributed,
            round(avg(p.attributed), 4) as attribution_rate,
            m.median_lag_hours, round(avg(p.lag_hours), 2) as mean_lag_hours,
            min(p.date) as first_copy, max(p.date) as last_copy
        from outlet_copies p
        left join medians m on m.source = p.copied_from_outlet and m.copied_by = p.outlet
        group by p.copied_from_outlet, p.outlet
        order by republications desc, source, copied_by
        """
    )
    db.execute(
        """
        create view outlet_summary as
        with names as (
            select domain as outlet, name, first_seen, last_seen from outlets
            union all
            select origin_outlet, max(origin_name), null, null from decision_families
            where origin_kind != 'article' and origin_outlet is not null
                and origin_outlet not in (select domain from outlets)
            group by origin_outlet
        ),
        members as (
            select outlet, count(distinct url) as articles from decisions
            where in_store = 1 group by outlet
        ),
        originals as (
            select f.origin_outlet as outlet, count(*) as originals,
                sum(exists (select 1 from decisions c where c.family_id = f.family_id
                            and c.role = 'copy' and c.outlet != f.origin_outlet))
                    as originals_copied_by_others
            from decision_families f
            where f.origin_in_store = 1 or f.origin_kind != 'article'
            group by f.origin_outlet
        ),
        copies as (
            select outlet, count(*) as copies, sum(attributed) as attributed_copies,
                round(avg(attributed), 4) as attribution_rate
            from outlet_copies group by outlet
        ),
        copied as (
            -- an agency is one key across its families: count the copies crediting it
            select copied_from_outlet as outlet,
                count(distinct case when source_outside_store then 'copy ' || url
                               else copied_from end) as copied_by_others
            from outlet_copies group by copied_from_outlet
        ),
        lags as (
            select outlet, lag_hours,
                row_number() over (partition by outlet order by lag_hours) as n,
                count(*) over (partition by outlet) as c
            from outlet_copies where lag_hours is not null
        ),
        medians as (
            select outlet, round(avg(lag_hours), 2) as median_lag_hours
            from lags where n in ((c + 1) / 2, (c + 2) / 2) group by outlet
        )
        select o.outlet, coalesce(o.name, o.outlet) as name,
            coalesce(m.articles, 0) as articles, coalesce(g.originals, 0) as originals,
            coalesce(g.originals_copied_by_others, 0) as originals_copied_by_others,
            coalesce(c.copies, 0) as copies, coalesce(c.attributed_copies, 0) as attributed_copies,
            c.attribution_rate, coalesce(k.copied_by_others, 0) as copied_by_others,
            l.median_lag_hours, o.first_seen, o.last_seen
        from names o
        left join members m on m.outlet = o.outlet
        left join originals g on g.outlet = o.outlet
        left join copies c on c.outlet = o.outlet
        left join copied k on k.outlet = o.outlet
        left join medians l on l.outlet = o.outlet
        order by copies desc, articles desc, o.outlet
        """
    )


def evidence_counter(db: Database) -> None:  # m010: superseded by evidence_counter_v2
    """A counter of changes to the evidence decisions are made from (articles, credits, the
    outlets registry), kept by triggers, so a reader tells in one row whether the stored
    decisions are current. Matches are left out: see crawler.decisions.stored."""
    db.execute(
        "insert into state (key, value) values ('evidence.changes', '0') "
        "on conflict(key) do nothing"
    )
    bump = "update state set value = value + 1 where key = 'evidence.changes';"
    changed = " or ".join(
        f"old.{c} is not new.{c}"
        for c in ("url", "outlet", "published_at", "date_source", "first_seen",
                  "declared_canonical", "text_hash")
    )  # fmt: skip
    triggers = {
        "evidence_article_added": f"after insert on articles begin {bump} end",
        "evidence_article_removed": f"after delete on articles begin {bump} end",
        "evidence_article_changed": f"after update on articles when {changed} begin {bump} end",
        "evidence_credit_added": f"after insert on attributions begin {bump} end",
        "evidence_credit_removed": f"after delete on attributions begin {bump} end",
        "evidence_registry_added": "after insert on state when new.key = 'outlets.registry' "
                                   f"begin {bump} end",
        "evidence_registry_changed": "after update on state when new.key = 'outlets.registry' "
                                     f"and old.value is not new.value begin {bump} end",
    }
    for name, body in triggers.items():
        db.execute(f"create trigger {name} {body}")


def evidence_counter_v2(db: Database) -> None:
    """A counter of changes to the evidence decisions are made from (articles, the outlets
    registry), kept by triggers in a one-row table, so a reader tells in one row whether the
    stored decisions are current. A page's credits are stored with the page (an article row
    written in the same transaction), so they need no trigger of their own; matches are left
    out on purpose (see crawler.decisions.stored)."""
    # m010's triggers counted in a row of ``state`` and on every credit: storing pages
    # took half as long again. Dropped; one small table, articles only.
    for name in ("article_added", "article_removed", "article_changed", "credit_added",
                 "credit_removed", "registry_added", "registry_changed"):
        db.execute(f"drop trigger if exists evidence_{name}")
    db.execute("delete from state where key = 'evidence.changes'")
    db.execute("create table evidence_changes (n integer not null)")
    db.execute("insert into evidence_changes (n) values (0)")
    bump = "update evidence_changes set n = n + 1;"
    changed = " or ".join(
        f"old.{c} is not new.{c}"
        for c in ("url", "outlet", "published_at", "date_source", "first_seen",
                  "declared_canonical", "text_hash")
    )  # fmt: skip
    triggers = {
        "evidence_article_added": f"after insert on articles begin {bump} end",
        "evidence_article_removed": f"after delete on articles begin {bump} end",
        "evidence_article_changed": f"after update on articles when {changed} begin {bump} end",
        "evidence_registry_added": "after insert on state when new.key = 'outlets.registry' "
                                   f"begin {bump} end",
        "evidence_registry_changed": "after update on state when new.key = 'outlets.registry' "
                                     f"and old.value is not new.value begin {bump} end",
    }
    for name, body in triggers.items():
        db.execute(f"create trigger {name} {body}")
