"""Authoring: the commands that write content files rather than outputs.

Markdown import (`markdown.py`), scaffolding a new report (`scaffold.py`), and the translators'
PO round trip with its YAML write-back (`po.py`, `writeback.py`). They sit beside compose and
the engines, above the readers: they read a report as the build does, and write only into the
report folder they are given.
"""
