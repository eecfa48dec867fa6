"""Score the statement parser against the corpus in tests/import_corpus.

    make import-eval                       every statement, per field
    .venv/bin/python scripts/import_eval.py 07 seventh --min-score 0.97 --json

Scoring rule (baliwg/statements/scoring.py holds it): only the keys an expected file gives are
checked, `null` meaning "the statement does not say". A single value (body, kind, number, dates,
format, venue, a declared count) is one check; a list of parties is one check per expected name plus
one per name the parser added (invented); co-chairs also score their order; exercises and work-plan
items score their count and each key given; each expected unresolved name, flag and inferred value is
one check. Score = right / checked over the statements run. The seed (00_...) is exact when every key
of its file equals the draft's. "Invented" counts co-chairs, observers and venues the statement does
not give; a refused statement (a parse that raised or gave no draft) fails.

Runs on a throwaway in-memory SQLite database with the registry of meetings/demo.py; writes nothing.
"""

import argparse
import json
import os
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT / "tests" / "import_corpus"
SEED = "00_seventh_annual_meeting"


def setup_django() -> None:
    sys.path.insert(0, str(PROJECT))
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baliwg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from meetings.demo import load_registry

    load_registry()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("filter", nargs="*", help="only statements whose file name contains one of these")
    parser.add_argument("--min-score", type=float, default=None, help="exit 1 below this score (0-1)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    setup_django()
    from baliwg.statements.scoring import evaluate_corpus

    totals, seed_exact = evaluate_corpus(CORPUS, args.filter)
    if args.json:
        print(json.dumps(report_json(totals, seed_exact), indent=2))
    else:
        print_report(totals, seed_exact)
    failed = totals.refused or (args.min_score is not None and totals.score < args.min_score)
    return 1 if failed else 0


def report_json(totals, seed_exact) -> dict:
    return {
        "score": round(totals.score, 4),
        "right": totals.right,
        "checked": totals.checked,
        "seed_exact": seed_exact,
        "invented": {
            "co_chairs": totals.invented("co_chairs"),
            "observers": totals.invented("observers"),
            "venues": totals.invented_venues,
        },
        "refused": totals.refused,
        "statements": [
            {
                "name": r.name,
                "right": r.right,
                "checked": r.checked,
                "fields": [
                    {
                        "field": f.field,
                        "right": f.right,
                        "missed": f.missed,
                        "wrong": [list(w) if isinstance(w, tuple) else w for w in f.wrong],
                    }
                    for f in r.fields
                ],
            }
            for r in totals.results
        ],
    }


def print_report(totals, seed_exact) -> None:
    for result in totals.results:
        status = "REFUSED" if result.refused else f"{result.right}/{result.checked}"
        print(f"{result.name}: {status}")
        for f in result.fields:
            if not f.missed and not f.wrong:
                print(f"    ok      {f.field}")
                continue
            if f.right:
                print(f"    ok      {f.field} ({f.right} right)")
            for value in f.missed:
                print(f"    MISSED  {f.field}: {value!r}")
            for value in f.wrong:
                if isinstance(value, tuple):
                    print(f"    WRONG   {f.field}: expected {value[0]!r}, got {value[1]!r}")
                else:
                    print(f"    INVENTED {f.field}: {value!r}")
    print()
    print(f"statements: {len(totals.results)}  refused: {len(totals.refused)}")
    print(f"fields right: {totals.right}/{totals.checked} = {totals.score:.1%}")
    print(f"seed exact: {'yes' if seed_exact else 'no' if seed_exact is False else 'not run'}")
    print(
        f"invented: co-chairs {totals.invented('co_chairs')}, observers {totals.invented('observers')}, "
        f"venues {totals.invented_venues}"
    )


if __name__ == "__main__":
    sys.exit(main())
