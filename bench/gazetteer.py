"""Time the gazetteer: cache rebuild, cold load in a fresh process, first geometry access; measure boundary error.

Run from the repo root::

    .venv/bin/python bench/gazetteer.py            # timings + error over a 300-leaf sample (~1.5 min)
    .venv/bin/python bench/gazetteer.py --all      # error over every leaf (~3 min more: full-res WGS84)
    .venv/bin/python bench/gazetteer.py --repeat 3 # cold loads/geometry timed 3 times, best kept

The rebuild goes to a temporary directory (``GEO_CACHE_DIR``), so the repo's cache is left alone, and is done
twice to check that it is byte-for-byte deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.places.build import build_cache
from geo.places.gazetteer import load_gazetteer

COLD = "from geo.places.gazetteer import load_gazetteer; load_gazetteer()"
FIRST_GEOMETRY = (
    "import time; from geo.places.gazetteer import load_gazetteer; g = load_gazetteer(); t = time.perf_counter(); "
    "g.geometry('510722'); print(time.perf_counter() - t)"
)


def _digest(cache: Path) -> str:
    """SHA-256 over the cache files, in name order."""
    h = hashlib.sha256()
    for f in sorted(cache.iterdir()):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _subprocess_seconds(code: str, env: dict, repeat: int) -> float:
    """Best wall time of ``python -c code`` in a fresh interpreter."""
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
        best = min(best, time.perf_counter() - t)
    return best


def _hausdorff_m(simple, source) -> float:
    """Boundary Hausdorff distance in metres, in a local equirectangular frame at the unit's centre."""
    c = shapely.centroid(source)
    k = math.cos(math.radians(c.y))

    def to_m(xy):
        return np.column_stack(((xy[:, 0] - c.x) * k * 111_320.0, (xy[:, 1] - c.y) * 110_900.0))

    return shapely.hausdorff_distance(shapely.transform(simple.boundary, to_m),
                                      shapely.transform(source.boundary, to_m))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="measure the error on every leaf, not a sample")
    parser.add_argument("--repeat", type=int, default=3, help="runs per subprocess timing (best kept)")
    args = parser.parse_args()

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GEO_CACHE_DIR=tmp)
        t = time.perf_counter()
        build_cache(Path(tmp))
        rows.append(("cache rebuild", f"{time.perf_counter() - t:.1f} s"))
        first = _digest(Path(tmp))
        build_cache(Path(tmp))
        rows.append(("rebuild deterministic", "yes" if _digest(Path(tmp)) == first else "NO"))
        sizes = {f.name: f.stat().st_size for f in Path(tmp).iterdir()}
        rows.append(("cache size", ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(sizes.items()))))
        bare = _subprocess_seconds("pass", env, args.repeat)
        cold = _subprocess_seconds(COLD, env, args.repeat)
        rows.append(("python start (no imports)", f"{bare * 1000:.0f} ms"))
        rows.append(("cold load, process start to loaded", f"{cold * 1000:.0f} ms"))
        rows.append(("cold load minus python start", f"{(cold - bare) * 1000:.0f} ms"))
        first_geom = min(float(subprocess.run([sys.executable, "-c", FIRST_GEOMETRY], cwd=ROOT, env=env,
                                              check=True, capture_output=True, text=True).stdout)
                         for _ in range(args.repeat))
        rows.append(("first geometry() (incl. shapely import)", f"{first_geom * 1000:.0f} ms"))

    gz = load_gazetteer()
    leaves = [a for a in gz.units if not gz.children(a)]
    counties = [a for a, u in gz.units.items() if u.level == "county"]
    vertices = shapely.get_num_coordinates(np.array([gz.geometry(a) for a in counties]))
    rows.append(("vertices per county (mean / median / max)",
                 f"{vertices.mean():.0f} / {np.median(vertices):.0f} / {vertices.max()}"))
    wkb = np.array([len(shapely.to_wkb(gz.geometry(a))) for a in counties])
    rows.append(("WKB bytes per county (mean / median)", f"{wkb.mean() / 1e3:.1f} / {np.median(wkb) / 1e3:.1f} kB"))

    sample = leaves if args.all else sorted(np.random.default_rng(0).choice(leaves, 300, replace=False))
    t = time.perf_counter()
    errors = np.array([_hausdorff_m(gz.geometry(a), gz.source_geometry(a)) for a in sample])
    worst = sample[int(errors.argmax())]
    summary = (f"{errors.max():.0f} / {np.percentile(errors, 95):.0f} / {np.median(errors):.0f} m "
               f"(worst {worst} {gz.unit(worst).name}; {time.perf_counter() - t:.0f} s)")
    rows.append((f"Hausdorff vs source, {len(sample)} leaves (max / p95 / median)", summary))

    width = max(len(k) for k, _ in rows)
    print(f"{'measure':<{width}}  value")
    print(f"{'-' * width}  {'-' * 40}")
    for k, v in rows:
        print(f"{k:<{width}}  {v}")


if __name__ == "__main__":
    main()
