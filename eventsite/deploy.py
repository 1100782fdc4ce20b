"""Upload a built site to S3 (behind CloudFront): the plan, and the upload itself.

:func:`plan_upload` says, for every file of the output folder, the key it
goes to, its ``Content-Type`` and its ``Cache-Control`` (the policy of
:mod:`eventsite.hosting`, the same as ``_headers`` for Netlify and
Cloudflare), and which keys of the previous upload (its manifest) are no
longer in the site and would be deleted. A dry run prints that and touches
no network. A real run needs boto3 (not a dependency of eventsite); it
uploads fingerprinted assets first and pages last, so that no page ever
names an asset that is not there yet, deletes stale keys at the very end,
and writes the new manifest. Files the previous manifest lists with the
same hash are not sent again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .hosting import HOST_FILES, cache_control, content_type, is_fingerprinted

MANIFEST_VERSION = 1


class DeployError(ValueError):
    pass


@dataclass(frozen=True)
class Upload:
    key: str
    path: Path
    content_type: str
    cache_control: str
    sha256: str
    unchanged: bool  # the previous upload had these very bytes at this key


@dataclass
class UploadPlan:
    bucket: str
    prefix: str  # "" or ends with "/"
    uploads: list[Upload] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # host files for other hosts

    @property
    def target(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def manifest(self) -> dict[str, Any]:
        return {
            "version": MANIFEST_VERSION,
            "target": self.target,
            "files": {upload.key: upload.sha256 for upload in self.uploads},
        }

    def lines(self) -> list[str]:
        """What a dry run prints: one tab-separated line per key, then a summary."""
        out = []
        for upload in self.uploads:
            action = "unchanged" if upload.unchanged else "upload"
            out.append(f"{action}\t{upload.key}\t{upload.content_type}\t{upload.cache_control}")
        out += [f"delete\t{key}" for key in self.deletions]
        out += [f"skip\t{name}\t(for other hosts)" for name in self.skipped]
        sent = sum(not upload.unchanged for upload in self.uploads)
        out.append(
            f"{self.target}: {sent} to upload, {len(self.uploads) - sent} unchanged, {len(self.deletions)} to delete"
        )
        return out


def parse_target(target: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → ("bucket", "some/prefix/")."""
    if not target.startswith("s3://"):
        raise DeployError(f"--target must look like s3://bucket/prefix, not {target!r}")
    bucket, _, prefix = target[len("s3://"):].partition("/")
    if not bucket:
        raise DeployError(f"--target has no bucket: {target!r}")
    prefix = prefix.strip("/")
    return bucket, prefix + "/" if prefix else ""


def _normal(target: str) -> str:
    try:
        bucket, prefix = parse_target(target)
    except DeployError:
        return target
    return f"s3://{bucket}/{prefix}"


def read_manifest(path: Path | None, target: str) -> dict[str, str]:
    """The keys and hashes of the previous upload to ``target`` ({} without a manifest)."""
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data["files"]
    except (ValueError, KeyError, TypeError) as error:
        raise DeployError(f"{path}: not a deploy manifest ({error})") from None
    if _normal(str(data.get("target"))) != _normal(target):
        raise DeployError(f"{path} is the manifest of {data.get('target')}, not of {target}: no deletions can be planned from it")
    return {str(key): str(value) for key, value in files.items()}


def plan_upload(output: Path, target: str, previous: dict[str, str] | None = None) -> UploadPlan:
    bucket, prefix = parse_target(target)
    if not output.is_dir():
        raise DeployError(f"{output}: no built site here (run `build.py build` or leave out --no-build)")
    previous = previous or {}
    plan = UploadPlan(bucket, prefix)
    for path in sorted(item for item in output.rglob("*") if item.is_file()):
        relative = path.relative_to(output).as_posix()
        if relative in HOST_FILES:
            plan.skipped.append(relative)
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        key = prefix + relative
        plan.uploads.append(
            Upload(key, path, content_type(relative), cache_control(relative), digest, previous.get(key) == digest)
        )
    # Assets first, pages last: a page never names an asset that is not uploaded yet.
    plan.uploads.sort(key=lambda upload: (not is_fingerprinted(upload.key[len(prefix):]), upload.key.endswith(".html"), upload.key))
    current = {upload.key for upload in plan.uploads}
    plan.deletions = sorted(key for key in previous if key not in current)
    return plan


class S3Client(Protocol):
    def upload_file(self, Filename: str, Bucket: str, Key: str, ExtraArgs: dict[str, str]) -> None: ...
    def delete_objects(self, Bucket: str, Delete: dict[str, Any]) -> Any: ...


def upload(plan: UploadPlan, client: S3Client, manifest: Path) -> None:
    for item in plan.uploads:
        if not item.unchanged:
            extra = {"ContentType": item.content_type, "CacheControl": item.cache_control}
            client.upload_file(Filename=str(item.path), Bucket=plan.bucket, Key=item.key, ExtraArgs=extra)
    for start in range(0, len(plan.deletions), 1000):  # S3's limit per request
        batch = plan.deletions[start : start + 1000]
        client.delete_objects(Bucket=plan.bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True})
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps(plan.manifest(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
