"""Results files → checked rows. Pure functions (pandas/numpy), no ORM: the services store the outcome."""
from .checks import Checked, SpecTask, check_table
from .layouts import EXPORT, EXPORT_2020, FORMAT_NAMES, POSITIONAL, PROTOCOL, QUARANTINE_COLUMN, TEMPLATE, LayoutError, RawTable, recognise

__all__ = ["Checked", "SpecTask", "check_table", "EXPORT", "EXPORT_2020", "FORMAT_NAMES", "POSITIONAL", "PROTOCOL", "QUARANTINE_COLUMN",
           "TEMPLATE", "LayoutError", "RawTable", "recognise"]
