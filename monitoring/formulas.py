"""Formulas of the region's own indicators over the catalogue: «100 - vpr_pct_2», «(vpr_quality + oge_quality) / 2».

Pure functions, no ORM. A formula is arithmetic (+ − × ÷, brackets, numbers) over indicator codes; it
is read with Python's own parser and only those nodes are allowed, so nothing else can run. A value
is computed where every indicator it names has a value for the same group and period.
"""
from __future__ import annotations

import ast
import operator

OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
MAX_LENGTH = 500


class FormulaError(ValueError):
    """A formula that cannot be used; the message is in Russian."""


def parse_formula(text: str, known_codes: set[str]) -> set[str]:
    """The indicator codes a formula uses; FormulaError when it is not plain arithmetic over known codes."""
    text = (text or "").strip()
    if not text:
        raise FormulaError("Формула пуста.")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"Формула длиннее {MAX_LENGTH} символов.")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        raise FormulaError(f"Формула «{text}» не читается: допустимы коды показателей, числа, + − * / и скобки.") \
            from None
    codes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in known_codes:
                raise FormulaError(f"В каталоге нет показателя с кодом «{node.id}».")
            codes.add(node.id)
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, (int, float)) or isinstance(node.value, bool):
                raise FormulaError(f"В формуле допустимы только числа, а не «{node.value!r}».")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in OPERATORS:
                raise FormulaError("В формуле допустимы только действия + − * /.")
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise FormulaError("В формуле допустимы только действия + − * /.")
        elif not isinstance(node, (ast.Expression, ast.Load, ast.operator, ast.unaryop)):
            raise FormulaError("В формуле допустимы только коды показателей, числа, + − * / и скобки.")
    if not codes:
        raise FormulaError("Формула должна использовать хотя бы один показатель каталога.")
    return codes


def evaluate(text: str, values: dict[str, float | None]) -> float | None:
    """The formula's value, or None when an indicator it names has no value or a division by zero occurs."""
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            value = values.get(node.id)
            if value is None:
                raise LookupError(node.id)
            return float(value)
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        return OPERATORS[type(node.op)](walk(node.left), walk(node.right))

    try:
        return walk(ast.parse(text.strip(), mode="eval"))
    except (LookupError, ZeroDivisionError):
        return None
