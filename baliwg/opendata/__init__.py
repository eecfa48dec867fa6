"""Open data: the public downloads of meetings, attendance, exercises and work-plan items (CSV,
XLSX, JSON) and their index page, under /data/ with URL names in the `opendata` namespace."""
