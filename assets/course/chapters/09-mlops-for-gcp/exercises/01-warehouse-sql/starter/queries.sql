-- queries.sql: analytics and a model fit, computed where the data lives.
-- Every block starts with "-- name: NAME" and holds one SELECT. Run them with
--     python3 run_queries.py
-- The first block is done, as an example of the format. Replace the three TODO blocks.

-- name: posts_per_sport
-- How many posts, and how many distinct athletes, each sport has.
SELECT sport,
       COUNT(*)                AS posts,
       COUNT(DISTINCT athlete) AS athletes
FROM posts
GROUP BY sport
ORDER BY posts DESC, sport;

-- name: top_engagement
-- TODO: columns athlete, sport, posts, views_per_1k (see README.md).
SELECT 'write this query' AS todo;

-- name: weekly_active
-- TODO: columns iso_year, iso_week, athletes.
SELECT 'write this query' AS todo;

-- name: ols_fit
-- TODO: columns n, slope, intercept, r2.
SELECT 'write this query' AS todo;
