"""Search over meetings, exercises and work-plan items: the stored vectors (index) and the ranked
query the search page runs (ranking)."""
