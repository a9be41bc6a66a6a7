"""Command line: ``python -m geo outline PATH`` and friends (see ``python -m geo --help``)."""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; errors a user can fix print one line and exit 2."""
    parser = argparse.ArgumentParser(prog="python -m geo", description="规划一张图: plan texts to map layers")
    sub = parser.add_subparsers(dest="command", required=True)
    p_outline = sub.add_parser("outline", help="print a plan text's clause outline, places and slogans as JSON")
    p_outline.add_argument("path")
    p_draft = sub.add_parser("draft", help="print the draft layers of a plan text file as one GeoJSON FeatureCollection")
    p_draft.add_argument("path")
    sub.add_parser("prepare", help="build what the app needs at run time (gazetteer cache, static assets)")
    sub.add_parser("build", help="regenerate layers/ and the cleaned plan texts from data/ (deterministic)")
    sub.add_parser("check", help="validate layers/ against the plans, the gazetteer and the budget")
    p_export = sub.add_parser("export", help="export a plan's map (png, pdf), layers (geojson, gpkg) or clauses (csv)")
    p_export.add_argument("plan", help="plan id: a bundled plan (guizhou) or a saved imported plan (16 letters, "
                                       "from the store at $GEO_STORE_PATH or data/store/plans.sqlite3)")
    p_export.add_argument("--format", required=True, choices=("png", "pdf", "geojson", "gpkg", "csv"))
    p_export.add_argument("--out", required=True, help="file to write, or a directory (the file is named for you)")
    p_export.add_argument("--layers", nargs="+", metavar="LAYER", help="visible layers (default: all the plan has)")
    p_export.add_argument("--select", metavar="FEATURE", help="feature id to highlight on the map")
    p_export.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300)")
    p_export.add_argument("--lang", choices=("zh", "en"), default="zh")
    p_publish = sub.add_parser("publish", help="draft and publish plan files (.txt, .docx, .pdf, or folders of them) "
                                              "into the plan store ($GEO_STORE_URL or $GEO_STORE_PATH)")
    p_publish.add_argument("paths", nargs="+", metavar="PATH", help="plan files, or folders searched for them")
    p_publish.add_argument("--unlisted", action="store_true",
                           help="publish unlisted: reached by their links only, not in the catalogue or pickers")
    p_publish.add_argument("--owner", default="cli", help="who publishes them (the Admin page's usage; default: cli)")
    p_reindex = sub.add_parser("reindex", help="build the plan store's index again for every stored plan")
    p_reindex.set_defaults()
    args = parser.parse_args(argv)

    if args.command in ("outline", "draft", "prepare", "build", "check", "export", "publish"):
        from geo.places.build import ensure_cache, print_progress

        ensure_cache(print_progress)  # once per machine; a first run says what it waits for, on stderr
    if args.command == "outline":
        return _outline(args.path)
    if args.command == "draft":
        return _draft(args.path)
    if args.command == "prepare":
        return _prepare()
    if args.command == "build":
        from geo.layers import write_layers

        for path in write_layers():
            print(path.relative_to(path.parents[2]) if len(path.parents) > 2 else path)
        return 0
    if args.command == "check":
        from geo.layers import check_layers

        report = check_layers()
        print(report.render())
        return 0 if report.ok else 1
    if args.command == "export":
        return _export(args)
    if args.command == "publish":
        from geo.publishing import publish_paths

        return publish_paths(args.paths, listed=not args.unlisted, owner=args.owner)
    if args.command == "reindex":
        return _reindex()
    return 2


def _reindex() -> int:
    """Index every plan of the configured store again (what migration 4 does once)."""
    from geo.store import StoreError, default_store

    try:
        n = default_store().reindex()
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"indexed {n} plans")
    return 0


NO_CLAUSE = "error: 文本中没有可识别的条文 / no clause found in this text"


def _read_text(path: str, *, uploads: bool = False) -> str | None:
    """A plan file's text, or None after printing the one-line reason it cannot be read."""
    from geo.text.decode import PlanTextError, read_plan_file, read_upload_file

    try:
        return (read_upload_file if uploads else read_plan_file)(path).text
    except PlanTextError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def _outline(path: str) -> int:
    """Print the outline JSON of a plan file."""
    text = _read_text(path)
    if text is None:
        return 2
    from geo.importer.outline import outline_document
    from geo.places.gazetteer import load_gazetteer

    doc = outline_document(text, load_gazetteer())
    if not doc["clauses"]:
        print(NO_CLAUSE, file=sys.stderr)
        return 2
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def _export(args: argparse.Namespace) -> int:
    """Write one export; a plan, layer, feature or path the user can fix is one line on stderr, exit 2."""
    import os
    from pathlib import Path

    from geo.export import ExportError, FontMissingError, export_filename
    from geo.store import StoreError
    from geo.text.plans import UnknownPlanError

    layers = None if args.layers is None else [n for arg in args.layers for n in arg.split(",") if n]
    try:
        from geo.importer.editing import is_draft_id

        if is_draft_id(args.plan):
            raise ExportError(f"{args.plan!r} is a private draft (its link is its author's): "
                              "publish it on the Map page, then export its published id")
        out = Path(args.out)
        if out.is_dir():
            out = out / export_filename(args.plan, args.format)
        if not out.parent.is_dir() or not os.access(out.parent, os.W_OK) or out.is_dir():
            raise OSError(f"cannot write {str(out)!r}: no such directory or not writable")
        out.write_bytes(_export_bytes(args, layers))
    except (UnknownPlanError, ExportError, FontMissingError, OSError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


def _export_bytes(args: argparse.Namespace, layers: list[str] | None) -> bytes:
    """The bytes of one export: a bundled plan by `geo.export.export`, a saved imported plan from the store.

    A saved plan is read from the store the dashboard writes (``$GEO_STORE_PATH`` or the default path), and
    exported by what the Map page's export panel calls (`geo.view.model.stored_plan_export`), so the files are
    the same. A draft id (``draft…``) names an author's private draft: it is exported once published.
    """
    import os

    from geo.export import ExportError, export
    from geo.layers import KINDS
    from geo.store import DEFAULT_STORE_PATH, STORED_ID
    from geo.text.plans import UnknownPlanError

    if not STORED_ID.fullmatch(args.plan):
        return export(args.plan, args.format, layers=layers, selected=args.select, lang=args.lang,
                      dpi=args.dpi).data
    unknown = [n for n in layers or () if n not in KINDS]
    if unknown:
        raise ExportError(f"unknown layer {unknown[0]!r}; layers are {', '.join(KINDS)}")
    path = os.environ.get("GEO_STORE_PATH") or str(DEFAULT_STORE_PATH)
    if path != ":memory:" and not os.path.isfile(path):  # a look-up must not create an empty store
        raise ExportError(f"no saved plan {args.plan!r}: there is no plan store at {path} (set GEO_STORE_PATH)")
    from geo.view.model import stored_plan_export

    try:
        return stored_plan_export(args.plan, args.format, layers or (), args.lang, selected=args.select,
                                  dpi=args.dpi)
    except UnknownPlanError:
        raise ExportError(f"no saved plan {args.plan!r} in the plan store at {path}") from None


def _draft(path: str) -> int:
    """Print the draft layers of a plan file (`geo.importer.draft.draft_plan`) as one GeoJSON FeatureCollection."""
    text = _read_text(path, uploads=True)
    if text is None:
        return 2
    from geo.importer.draft import draft_plan
    from geo.layers import dumps

    draft = draft_plan(text)
    if not draft.outline.clauses:
        print(NO_CLAUSE, file=sys.stderr)
        return 2
    sys.stdout.write(dumps(draft.collection))
    return 0


def _prepare() -> int:
    """Gazetteer cache and the app's offline static assets."""
    from pathlib import Path

    from geo.assets import install_static_assets
    from geo.places.gazetteer import load_gazetteer

    load_gazetteer()  # the cache main() ensured reads back
    install_static_assets(Path(__file__).resolve().parents[1] / "static")
    return 0


if __name__ == "__main__":
    sys.exit(main())
