"""The lock file `translations.yaml`: which source text each translation was made from.

Part of the translation workflow. One file per report, beside `report.yaml`, maps each text's
address to the hash of the source text its translation translates:

    en:
      executive-summary/exec-intro: 1a2b3c4d

A translation is *stale* when the source's hash no longer matches. The file is written by
`report-builder i18n import` and `i18n stamp` only; it is plain YAML so a reviewer sees in the
diff which translations were confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.diagnostics import BuildError
from builder.output import write_atomic
from builder.readers.content import LANGS
from builder.readers.yamlsrc import LDict, load_yaml

LOCK_NAME = "translations.yaml"
HEADER = """\
# Translation lock, written by `report-builder i18n import` and `i18n stamp`; not edited by hand.
# For each translated text (section/block/item address): the first 8 hex digits of the sha256
# of the source text it translates. `check` reports a translation as stale when its source text
# no longer has this hash.
"""


@dataclass
class Lock:
    """The recorded source hashes per target language, and the lines they stand on."""

    path: Path
    hashes: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: dict[str, dict[str, int]] = field(default_factory=dict)
    exists: bool = False

    def get(self, lang: str, key: str) -> str | None:
        """Return the recorded source hash of the `lang` translation at `key`, or None."""
        return self.hashes.get(lang, {}).get(key)

    def set(self, lang: str, key: str, digest: str) -> None:
        """Record that the `lang` translation at `key` translates the source hashed `digest`."""
        self.hashes.setdefault(lang, {})[key] = digest

    def save(self, order: list[str]) -> None:
        """Write the lock file; keys in `order` (reading order) first, unknown keys dropped."""
        rank = {key: i for i, key in enumerate(order)}
        out = [HEADER]
        for lang in LANGS:
            entries = {k: v for k, v in self.hashes.get(lang, {}).items() if k in rank}
            if not entries:
                continue
            out.append(f"{lang}:\n")
            for key in sorted(entries, key=rank.__getitem__):
                digest = entries[key]
                # An all-digit hash would read back as a number: quote it.
                shown = f'"{digest}"' if digest.isdigit() else digest
                out.append(f"  {key}: {shown}\n")
        write_atomic(self.path, "".join(out).encode("utf-8"))
        self.exists = True


def read_lock(root: Path) -> Lock:
    """Return the lock of the report folder `root` (empty when it has none)."""
    path = root / LOCK_NAME
    lock = Lock(path)
    if not path.is_file():
        return lock
    node = load_yaml(path)
    lock.exists = True
    if node is None:
        return lock
    if not isinstance(node, LDict):
        raise BuildError.at(path, 1, f"{LOCK_NAME} must map languages to hashes")
    for lang, entries in node.items():
        if lang not in LANGS or not isinstance(entries, LDict):
            raise BuildError.at(path, node.line_of(lang),
                                f"{LOCK_NAME}: expected `zh:` or `en:` mapping addresses to "
                                f"hashes, found {lang!r}",
                                hint="regenerate it with `report-builder i18n stamp`")
        lock.hashes[lang] = {str(k): str(v) for k, v in entries.items()}
        lock.lines[lang] = {str(k): entries.line_of(k) for k in entries}
    return lock
