"""Text written into a spreadsheet's cell (the API's CSV, the admin's CSV and XLSX exports).

A cell that begins with =, +, - or @ (or a tab or carriage return, which some programs skip
before one) is read by Excel, LibreOffice and Google Sheets as a formula, which a record's
name could then smuggle into an editor's or a reader's spreadsheet (CSV injection). As
OWASP recommends, such text is written with a leading apostrophe, which spreadsheets show
as text and do not evaluate. Numbers are left as they are: only text is made inert."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """`value` as a cell may hold it: text beginning as a formula would, behind an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value
