"""report-builder: bilingual reports with data-driven charts, built to PDF and DOCX."""

__version__ = "0.1.0"
