"""Mutation score of the Gherkin suite: mutmut 3 over the core modules, all or a seeded sample.

python -m bench.mutation_sample --sample 200 [--seed 14] [--max-children 2]
python -m bench.mutation_sample --all                      (every mutant: hours on 2 cores)
python -m bench.mutation_sample --smoke                    (CI: a few fixed mutants)

The modules and the test command (``pytest tests/bdd``) are ``[tool.mutmut]`` in
pyproject.toml. A sample is stratified: each module gets its share of the N mutants in
proportion to its size, drawn with ``random.Random(seed)`` from the sorted names, so the same
source and seed give the same sample. mutmut runs the sampled mutants, then this prints
killed / survived / timeout / no tests per module, the score with a rough 95 % interval, and
every survivor with its one-line diff. Run it niced on a shared machine (docs/mutation.md).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import random
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"
REPORT = MUTANTS / "mutation-sample.json"
# The outcomes that count as caught; survived and no tests (no scenario reaches it) do not.
KILLED = ("killed", "timeout")
# A fixed handful for CI, in code that only the shipping scenarios reach, so the run is short.
# The first two break every shipment notice (the mock's, in its server thread: "root = None")
# and every label (the connector's: "order = None"); if either survives, the suite is not
# running the mutated copy. The third may land either way: the score is not CI's business.
MUST_KILL = (
    "mock_inksoft.shipnotice.x_read_ship_notice__mutmut_1",
    "connector.shipping.xǁShipperǁship_one__mutmut_1",
)
SMOKE = (*MUST_KILL, "mock_inksoft.shipnotice.x_read_ship_notice__mutmut_4")


@dataclass(frozen=True)
class Mutant:
    name: str
    module: str  # the source file it mutates, e.g. connector/feed.py


def generate() -> list[Mutant]:
    """Copy the packages to mutants/ and write every mutant of the configured modules (mutmut's
    own generation step, the one ``mutmut run`` starts with); their names, sorted."""
    from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.utils.file_utils import walk_mutatable_files

    MUTANTS.mkdir(exist_ok=True)
    with contextlib.redirect_stdout(io.StringIO()):  # it names every file it copies
        copy_src_dir()
        copy_also_copy_files()
        create_mutants(os.cpu_count() or 2)
    mutants = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        mutants += [Mutant(name, str(path)) for name in data.exit_code_by_key]
    return sorted(mutants, key=lambda m: (m.module, m.name))


def stratified_sample(mutants: list[Mutant], size: int, seed: int) -> list[Mutant]:
    """``size`` mutants, each module's share proportional to its count (largest remainders,
    at least one each), drawn with ``random.Random(seed)``."""
    by_module: dict[str, list[Mutant]] = {}
    for mutant in mutants:
        by_module.setdefault(mutant.module, []).append(mutant)
    total = len(mutants)
    quotas = {module: size * len(group) / total for module, group in by_module.items()}
    counts = {module: max(1, math.floor(quota)) for module, quota in quotas.items()}
    by_remainder = sorted(quotas, key=lambda module: (counts[module] - quotas[module], module))
    for module in by_remainder[: max(0, size - sum(counts.values()))]:
        counts[module] += 1
    rng = random.Random(seed)
    sample: list[Mutant] = []
    for module in sorted(by_module):
        group = by_module[module]
        sample += rng.sample(group, min(counts[module], len(group)))
    return sample


def run_mutmut(names: list[str], max_children: int, log: Path) -> int:
    """``mutmut run`` over ``names`` (every mutant if empty), its output kept in ``log``."""
    command = ["mutmut", "run", "--max-children", str(max_children), *names]
    with log.open("w", encoding="utf-8") as out:
        return subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode


def outcomes(mutants: list[Mutant]) -> dict[str, tuple[str, float | None]]:
    """Each mutant's status as mutmut recorded it, and the seconds its tests took."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code

    found: dict[str, tuple[str, float | None]] = {}
    for module in sorted({m.module for m in mutants}):
        data = SourceFileMutationData(path=Path(module))
        data.load()
        for mutant in (m for m in mutants if m.module == module):
            code = data.exit_code_by_key.get(mutant.name)
            found[mutant.name] = (status_by_exit_code[code], data.durations_by_key.get(mutant.name))
    return found


def one_line_diff(mutant: Mutant) -> str:
    """The changed lines of a mutant, ``- old / + new``, each stripped."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    diff = get_diff_for_mutant(mutant.name, path=mutant.module)
    lines = diff.splitlines()[2:]  # past the --- / +++ header
    removed = " ".join(line[1:].strip() for line in lines if line.startswith("-"))
    added = " ".join(line[1:].strip() for line in lines if line.startswith("+"))
    return f"- {removed} / + {added}"


def wilson(killed: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson 95 % interval of a proportion."""
    if n == 0:
        return (0.0, 1.0)
    p = killed / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def stratified_score(
    tally: dict[str, Counter], population: Counter, z: float = 1.96
) -> tuple[float, float]:
    """The score over all mutants estimated from the per-module samples, and the half-width of
    its normal 95 % interval (each module weighted by its share of the population, with the
    finite-population correction)."""
    total = sum(population.values())
    estimate = variance = 0.0
    for module, counts in tally.items():
        n, size = sum(counts.values()), population[module]
        if n == 0:
            continue
        p = sum(counts[s] for s in KILLED) / n
        weight = size / total
        estimate += weight * p
        if n > 1:
            variance += weight**2 * p * (1 - p) / (n - 1) * (1 - n / size)
    return estimate, z * math.sqrt(variance)


def report(sample: list[Mutant], population: Counter, found: dict) -> dict:
    """Print the figure per module and overall, and the survivors; return it as data."""
    tally: dict[str, Counter] = {module: Counter() for module in sorted(population)}
    for mutant in sample:
        tally[mutant.module][found[mutant.name][0]] += 1
    statuses = ("killed", "survived", "timeout", "no tests")
    print(f"\n{'module':28} {'mutants':>7} {'sampled':>7} " + " ".join(f"{s:>9}" for s in statuses))
    for module, counts in tally.items():
        n = sum(counts.values())
        killed = sum(counts[s] for s in KILLED)
        low, high = wilson(killed, n)
        print(
            f"{module:28} {population[module]:7} {n:7} "
            + " ".join(f"{counts[s]:9}" for s in statuses)
            + (f"   {killed / n:6.1%} [{low:.0%}–{high:.0%}]" if n else "")
        )
    others = sum((counts for counts in tally.values()), Counter())
    for status in statuses:
        del others[status]
    if others:
        print(f"other outcomes (the tool, not the suite): {dict(others)}")
    n = len(sample)
    killed = sum(1 for m in sample if found[m.name][0] in KILLED)
    estimate, half = stratified_score(tally, population)
    print(f"\nscore: {killed}/{n} killed = {killed / n:.1%}", end="")
    if all(tally.values()):  # every module sampled: the estimate covers them all
        print(f"; over all {sum(population.values())} mutants ≈ {estimate:.1%} ± {half:.1%} (95 %)")
    else:
        print()
    durations = [found[m.name][1] for m in sample if found[m.name][1] is not None]
    if durations:
        print(f"seconds of tests per mutant: mean {sum(durations) / len(durations):.1f}")
    survivors = [m for m in sample if found[m.name][0] not in KILLED]
    if survivors:
        print(f"\nnot killed ({len(survivors)}):")
    for mutant in survivors:
        print(f"  {found[mutant.name][0]:8} {mutant.name}\n           {one_line_diff(mutant)}")
    return {
        "population": dict(population),
        "per_module": {module: dict(counts) for module, counts in tally.items()},
        "killed": killed,
        "sampled": n,
        "estimate": estimate,
        "half_width": half,
        "mutants": {m.name: {"module": m.module, "status": found[m.name][0]} for m in sample},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--sample", type=int, metavar="N", help="a stratified sample of N")
    which.add_argument("--all", action="store_true", help="every mutant")
    which.add_argument("--smoke", action="store_true", help="CI: a few fixed mutants")
    which.add_argument("--mutants", nargs="+", metavar="NAME", help="these mutants")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument(
        "--reuse", action="store_true", help="keep mutants/ (mutmut's test map) from a last run"
    )
    args = parser.parse_args(argv)

    os.chdir(ROOT)  # mutmut reads [tool.mutmut] from the working directory
    if not args.reuse:
        shutil.rmtree(MUTANTS, ignore_errors=True)
    mutants = generate()
    population = Counter(m.module for m in mutants)
    if args.all:
        sample = mutants
    elif args.sample:
        sample = stratified_sample(mutants, args.sample, args.seed)
    else:
        wanted = set(SMOKE if args.smoke else args.mutants)
        sample = [m for m in mutants if m.name in wanted]
        missing = wanted - {m.name for m in sample}
        if missing:  # a triage list outlives the source: what changed is left out
            print(f"no such mutants (the source changed?): {sorted(missing)}", file=sys.stderr)
            if args.smoke or not sample:
                return 2
    log = MUTANTS / "mutation-run.log"
    print(f"{len(sample)} of {len(mutants)} mutants; mutmut's output goes to {log}", flush=True)
    names = [] if args.all else [m.name for m in sample]
    code = run_mutmut(names, args.max_children, log)
    if code != 0:
        print(log.read_text(encoding="utf-8")[-3000:], file=sys.stderr)
        print(f"mutmut run failed (exit {code})", file=sys.stderr)
        return 1
    found = outcomes(sample)
    data = report(sample, population, found)
    REPORT.write_text(json.dumps(data, indent=1), encoding="utf-8")
    broken = {
        name: status
        for name, (status, _) in found.items()
        if status not in (*KILLED, "survived", "no tests")
    }
    if broken:
        print(f"mutmut did not judge every mutant: {broken}", file=sys.stderr)
        return 1
    alive = [name for name in MUST_KILL if args.smoke and found[name][0] != "killed"]
    if alive:
        print(
            f"{alive} break every notice or label and were not killed: the suite is not "
            "running the mutated code",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
