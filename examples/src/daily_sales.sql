-- Written by the daily-sales example pipeline; the follow-up statement reads it back.
CREATE OR REPLACE TABLE main.default.daily_sales AS
SELECT * FROM VALUES
  ('north', DATE '2026-11-24', 120.50),
  ('north', DATE '2026-11-24', 80.00),
  ('south', DATE '2026-11-24', 42.25),
  ('east',  DATE '2026-11-24', 300.00),
  ('east',  DATE '2026-11-24', 15.75),
  ('east',  DATE '2026-11-24', 9.99)
AS t(region, day, amount)
