"""Usage figures without trackers: first-party, cookie-less daily counters.

- `middleware.UsageMiddleware` decides what a request counts for, after its response is
  built, and hands the counts to `recording.record`: one upsert per request;
- `recording` holds the daily salt behind the visitor ids and the upsert;
- `report` sums the counters of a year or a month for the moderators' activity report
  (`views.activity_report`, /admin/rapport-activite/, with a CSV export).

What is counted and what never is: docs/usage.md.
"""
