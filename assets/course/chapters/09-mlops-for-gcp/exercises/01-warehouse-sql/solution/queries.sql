-- queries.sql: analytics and a model fit, computed where the data lives.
-- Every block starts with "-- name: NAME" and holds one SELECT. Run them with
--     python3 run_queries.py

-- name: posts_per_sport
-- How many posts, and how many distinct athletes, each sport has.
SELECT sport,
       COUNT(*)                AS posts,
       COUNT(DISTINCT athlete) AS athletes
FROM posts
GROUP BY sport
ORDER BY posts DESC, sport;

-- name: top_engagement
-- The five athletes (with at least 3 posts) whose posts draw the most page views per
-- 1,000 followers. 1000.0, not 1000: integer division would drop the fraction.
SELECT athlete,
       MIN(sport)                                AS sport,
       COUNT(*)                                  AS posts,
       1000.0 * SUM(page_views) / SUM(followers) AS views_per_1k
FROM posts
GROUP BY athlete
HAVING COUNT(*) >= 3
ORDER BY views_per_1k DESC, athlete
LIMIT 5;

-- name: weekly_active
-- Distinct athletes posting in each ISO week. strftime('%V') only exists in SQLite 3.46 and
-- later, so find the Thursday of the post's week: its calendar year is the ISO year, and its
-- day of the year says which week it is.
SELECT CAST(strftime('%Y', thursday) AS INTEGER)               AS iso_year,
       (CAST(strftime('%j', thursday) AS INTEGER) - 1) / 7 + 1 AS iso_week,
       COUNT(DISTINCT athlete)                                 AS athletes
FROM (SELECT athlete, date(post_date, '-3 days', 'weekday 4') AS thursday FROM posts)
GROUP BY iso_year, iso_week
ORDER BY iso_year, iso_week;

-- name: ols_fit
-- Least squares page_views = slope * wiki_views + intercept, from five sums: only one row
-- leaves the database however large the table is.
SELECT n,
       slope,
       (sy - slope * sx) / n AS intercept,
       r2
FROM (SELECT n, sx, sy,
             (n * sxy - sx * sy) * 1.0 / (n * sxx - sx * sx) AS slope,
             (n * sxy - sx * sy) * 1.0 * (n * sxy - sx * sy)
                 / ((n * sxx - sx * sx) * 1.0 * (n * syy - sy * sy)) AS r2
      FROM (SELECT COUNT(*)                     AS n,
                   SUM(wiki_views)              AS sx,
                   SUM(page_views)              AS sy,
                   SUM(wiki_views * page_views) AS sxy,
                   SUM(wiki_views * wiki_views) AS sxx,
                   SUM(page_views * page_views) AS syy
            FROM posts));
