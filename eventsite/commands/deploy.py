"""``build.py deploy --target s3://bucket/prefix [--dry-run]``: build, then upload to S3.

Logic in eventsite/deploy.py. ``--dry-run`` prints every key with its
Content-Type and Cache-Control and the keys that would be deleted, and sends
nothing. A real run needs boto3 and the usual AWS credentials.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..project import BuildOptions
from . import add_project_arguments, project_from

HELP = "build the site and upload it to S3 (--dry-run: only print what would be sent and deleted)"
DEFAULT_MANIFEST = Path(".cache") / "eventsite" / "deploy-manifest.json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_arguments(parser, writes=True)
    parser.add_argument("--target", required=True, help="where to upload: s3://bucket/prefix")
    parser.add_argument("--dry-run", action="store_true", help="print the plan; upload and delete nothing")
    parser.add_argument("--no-build", action="store_true", help="upload the existing --out folder as it is")
    parser.add_argument("--minify", action="store_true", help="minify HTML and CSS when building")
    parser.add_argument(
        "--manifest", type=Path,
        help=f"the previous upload's manifest: keys not in the site any more are deleted; a real run rewrites it (default: {DEFAULT_MANIFEST})",
    )


def run(args: argparse.Namespace, root: Path) -> int:
    from ..build import build_site
    from ..deploy import DeployError, plan_upload, read_manifest, upload
    from ..progress import stderr_progress

    project = project_from(args, root)
    manifest = args.manifest or root / DEFAULT_MANIFEST
    client = None
    if not args.dry_run:
        try:
            import boto3
        except ImportError:
            print("deploy: uploading needs boto3, which is not installed (pip install boto3); nothing was built or uploaded.", file=sys.stderr)
            print("deploy: add --dry-run to see what would be sent.", file=sys.stderr)
            return 2
        client = boto3.client("s3")
    try:
        previous = read_manifest(manifest, args.target)
        if not args.no_build:
            result = build_site(project, options=BuildOptions(minify=args.minify), progress=stderr_progress())
            print(result.summary(), file=sys.stderr)
        plan = plan_upload(project.output, args.target, previous)
    except DeployError as error:
        print(f"deploy: {error}", file=sys.stderr)
        return 2
    if client is None:
        print("\n".join(plan.lines()))
        print("dry run: nothing was uploaded or deleted", file=sys.stderr)
        return 0
    upload(plan, client, manifest)
    print(plan.lines()[-1])
    print(f"manifest written to {manifest}", file=sys.stderr)
    return 0
