"""The SQL views of the first schema (migration m004), kept here so that the migrations
read as a list of steps.

Direction is decided in SQL with the simple rules: a copy that credits the other article (by
link or outlet) is the copy; otherwise the later publication date (then first-seen time) is.
`crosspost lookup` applies the full rules (chains, conflicts, stated origin dates).
"""

ARTICLE_PROVENANCE = """
        create view article_provenance as
        with pairs as (
            select m.a, m.b, m.jaccard, m.containment_a_in_b, m.containment_b_in_a, m.kind,
                exists (select 1 from attributions t join articles x on x.id = m.b
                        where t.article_id = m.a and (t.url = x.url or t.outlet = x.outlet))
                    as a_credits_b,
                exists (select 1 from attributions t join articles x on x.id = m.a
                        where t.article_id = m.b and (t.url = x.url or t.outlet = x.outlet))
                    as b_credits_a,
                julianday((select coalesce(published_at, first_seen) from articles
                           where id = m.a)) as a_time,
                julianday((select coalesce(published_at, first_seen) from articles
                           where id = m.b)) as b_time
            from matches m
        ),
        directed as (
            select *,
                case
                    when a_credits_b and not b_credits_a then a
                    when b_credits_a and not a_credits_b then b
                    when a_time > b_time then a
                    when b_time > a_time then b
                    else max(a, b)
                end as copy_id,
                case
                    when a_credits_b != b_credits_a then 'attribution'
                    when a_time != b_time then 'date'
                    else 'first seen'
                end as basis
            from pairs
        ),
        text_links as (
            select copy_id, a + b - copy_id as origin_id, basis, jaccard as similarity,
                case when copy_id = a then containment_a_in_b else containment_b_in_a end
                    as containment,
                kind
            from directed
        ),
        credit_links as (
            -- a copy that links its source article, with no text match (an excerpt, a
            -- translation): the link alone is the evidence
            select distinct t.article_id as copy_id, o.id as origin_id,
                'attribution link' as basis, null as similarity, null as containment,
                'linked' as kind
            from attributions t join articles o on o.url = t.url
            where o.id != t.article_id and not exists (
                select 1 from matches m where (m.a = t.article_id and m.b = o.id)
                    or (m.b = t.article_id and m.a = o.id))
        ),
        links as (select * from text_links union all select * from credit_links)
        select
            c.id as copy_id, c.url as copy_url, c.outlet as copy_outlet,
            c.title as copy_title, c.published_at as copy_published_at,
            o.id as origin_id, o.url as origin_url, o.outlet as origin_outlet,
            o.title as origin_title, o.published_at as origin_published_at,
            l.basis, l.similarity, l.containment, l.kind,
            (select t.sentence from attributions t
             where t.article_id = c.id and (t.url = o.url or t.outlet = o.outlet)
             order by t.id limit 1) as attribution,
            exists (select 1 from attributions t
                    where t.article_id = c.id and (t.url = o.url or t.outlet = o.outlet))
                as attributed,
            round((julianday(coalesce(c.published_at, c.first_seen))
                   - julianday(coalesce(o.published_at, o.first_seen))) * 24, 2) as lag_hours
        from links l
        join articles c on c.id = l.copy_id
        join articles o on o.id = l.origin_id
        """

REPUBLICATIONS_BY_OUTLET_PAIR = """
        create view republications_by_outlet_pair as
        select origin_outlet as source, copy_outlet as copied_by,
            count(*) as republications,
            sum(attributed) as attributed,
            round(avg(attributed), 4) as attribution_rate,
            round(avg(lag_hours), 2) as mean_lag_hours,
            min(copy_published_at) as first_copy, max(copy_published_at) as last_copy
        from article_provenance
        where origin_outlet != copy_outlet
        group by origin_outlet, copy_outlet
        order by republications desc, source, copied_by
        """

OUTLET_SUMMARY = """
        create view outlet_summary as
        select o.domain as outlet, o.name,
            (select count(*) from articles a where a.outlet = o.domain) as articles,
            (select count(*) from article_provenance p
             where p.copy_outlet = o.domain and p.origin_outlet != o.domain) as copies,
            (select round(avg(p.attributed), 4) from article_provenance p
             where p.copy_outlet = o.domain and p.origin_outlet != o.domain)
                as attribution_rate,
            (select count(distinct p.origin_id) from article_provenance p
             where p.origin_outlet = o.domain and p.copy_outlet != o.domain)
                as copied_by_others,
            o.first_seen, o.last_seen
        from outlets o
        order by copies desc, articles desc
        """
