"""The fast classifier against HermiT on a large synthetic sample (run by `make bench`).

``tests/test_reasoning.py`` compares the two engines on the real graph, the fixtures and 24
synthetic studies; this script does the same on ``--studies`` (default 1,000) studies from
``benchmarks/generate.py``, which takes HermiT minutes, and exits 1 on any difference.

Usage: ``python benchmarks/check_engines.py [--studies 1000] [--seed 7]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> int:
    """Compare the engines; print the figures.

    :param argv: the arguments.
    :returns: 0 when the classifications are identical, else 1.
    """
    from generate import PREFIXES, synthetic_studies

    from ibmkg.reasoning import Engine, reason

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--studies", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    ontology = HERE.parent / "ontology" / "ibmkg.ttl"
    with tempfile.TemporaryDirectory() as tmp:
        # One file per study, as a project holds them: HermiT then reasons over batches of
        # files (one HermiT run over 1,000 studies grows quadratically and does not finish).
        files = []
        for number, body in synthetic_studies(args.studies, seed=args.seed):
            path = Path(tmp) / f"synthetic-{number:05d}.ttl"
            path.write_text(PREFIXES + body, encoding="utf-8")
            files.append(path)
        results = {}
        for engine in (Engine.FAST, Engine.HERMIT):
            started = time.perf_counter()
            results[engine] = reason(ontology, files, engine=engine)
            print(f"{engine.value}: {time.perf_counter() - started:.1f} s, "
                  f"{len(results[engine].inferred_triples)} inferred triples")
    fast, hermit = set(results[Engine.FAST].inferred_triples), set(
        results[Engine.HERMIT].inferred_triples)
    justified = {s: [(t.class_iri, t.justification) for t in ts]
                 for s, ts in results[Engine.FAST].inferred.items()} == {
        s: [(t.class_iri, t.justification) for t in ts]
        for s, ts in results[Engine.HERMIT].inferred.items()}
    if fast == hermit and justified:
        print(f"identical classifications on {args.studies} synthetic studies")
        return 0
    for triple in sorted(map(str, fast ^ hermit))[:20]:
        print(f"differs: {triple}")
    print(f"DIFFERENT: {len(fast - hermit)} only fast, {len(hermit - fast)} only HermiT, "
          f"justifications equal: {justified}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
