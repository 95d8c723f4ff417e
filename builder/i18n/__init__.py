"""Translation workflow: which texts are translated, missing or stale, and the PO round trip.

Sits beside the readers: it walks the records of `builder.readers.content`, keeps the per-report
lock file `translations.yaml` (the source hash each translation was made from), and writes
translations back into the content YAML. Compose asks it for the status of an edition.
"""
