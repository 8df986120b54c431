"""The rule pack for the national format (installed as gxlint.rules)."""
