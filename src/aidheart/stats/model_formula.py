"""MMRM formulas in R mmrm's syntax: ``FEV1 ~ RACE + SEX + ARMCD * AVISIT + us(AVISIT | USUBJID)``.

Grammar (whitespace free)::

    formula    := NAME "~" sum
    sum        := product (("+" | "-") product)*
    product    := atom (("*" | ":") atom)*
    atom       := NAME | "0" | "1" | "(" sum ")" | STRUCTURE "(" NAME "|" NAME ")"

``a * b`` expands to ``a + b + a:b``; ``a:b`` is the interaction alone; ``1`` is the
intercept (there by default), ``- 1`` or ``+ 0`` removes it. Exactly one covariance
term ``STRUCTURE(VISIT | SUBJECT)`` must appear, added at the top level, with STRUCTURE
one of :data:`aidheart.stats.covariance.STRUCTURES`. Names are R names: letters,
digits, ``.`` and ``_``, not starting with a digit.

Terms come out as R's ``terms()`` orders them: by the number of variables, then as
they first appear; the variables inside a term in the order they first appear in the
formula, so ``AVISIT + BASE + BASE:AVISIT`` gives the term ``AVISIT:BASE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aidheart.stats.covariance import STRUCTURES

_ZERO = object()  # the atom "0": no intercept
_TOKEN = re.compile(r"\s*(?:([A-Za-z.][A-Za-z0-9._]*)|(\d+)|(.))")


class FormulaError(ValueError):
    """The formula cannot be read; the message says where."""


@dataclass(frozen=True)
class CovarianceTerm:
    """``structure(visit | subject)``."""

    structure: str
    visit: str
    subject: str


@dataclass(frozen=True)
class ModelFormula:
    """A parsed formula: response, intercept, fixed terms (tuples of variable names), covariance."""

    response: str
    intercept: bool
    terms: tuple[tuple[str, ...], ...]
    covariance: CovarianceTerm

    @property
    def variables(self) -> list[str]:
        """The variables of the fixed terms, in order of first appearance."""
        return list(dict.fromkeys(name for term in self.terms for name in term))

    def with_structure(self, structure: str) -> ModelFormula:
        """The same model with another covariance structure over the same visit and subject."""
        covariance = CovarianceTerm(structure, self.covariance.visit, self.covariance.subject)
        return ModelFormula(self.response, self.intercept, self.terms, covariance)

    def __str__(self) -> str:
        rhs = [":".join(term) for term in self.terms]
        if not self.intercept:
            rhs.insert(0, "0")
        c = self.covariance
        rhs.append(f"{c.structure}({c.visit} | {c.subject})")
        return f"{self.response} ~ {' + '.join(rhs)}"


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        tokens.append(match.group(match.lastindex))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens; a term set is a list of frozensets (the empty one = intercept)."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0
        self.covariance: list[CovarianceTerm] = []
        self.order: dict[str, int] = {}

    def fail(self, message: str):
        raise FormulaError(f"formula {self.text!r}: {message}")

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            self.fail(f"expected {expected or 'more'} but found {token or 'the end'}")
        self.position += 1
        return token

    def name(self) -> str:
        token = self.take()
        if not re.fullmatch(r"[A-Za-z.][A-Za-z0-9._]*", token):
            self.fail(f"expected a column name but found {token!r}")
        self.order.setdefault(token, len(self.order))
        return token

    def sum(self, top: bool) -> tuple[list[frozenset], bool | None]:
        """Terms and the intercept request (``True`` = ``+ 1``, ``False`` = removed, ``None`` = unsaid)."""
        terms: list[frozenset] = []
        intercept = None
        sign = self.take() if self.peek() in ("+", "-") else "+"
        while True:
            product = self.product(top)
            if product is _ZERO:
                intercept = False
            elif product is not None:
                for term in product:
                    if not term:
                        intercept = sign == "+"
                    elif sign == "+" and term not in terms:
                        terms.append(term)
                    elif sign == "-" and term in terms:
                        terms.remove(term)
            if self.peek() not in ("+", "-"):
                return terms, intercept
            sign = self.take()

    def product(self, top: bool):
        atom = self.atom(top)
        while self.peek() in ("*", ":"):
            operator = self.take()
            right = self.atom(top)
            if atom is None or right is None or atom is _ZERO or right is _ZERO:
                self.fail(f"a covariance term or 0 cannot take part in {operator!r}")
            crossed = [a | b for a in atom for b in right]
            kept = atom + [t for t in right if t not in atom] if operator == "*" else []
            atom = kept + [t for t in crossed if t not in kept]
        return atom

    def atom(self, top: bool):
        token = self.peek()
        if token == "(":
            self.take("(")
            terms, intercept = self.sum(top=False)
            self.take(")")
            return terms + ([frozenset()] if intercept else [])
        if token == "1":
            self.take()
            return [frozenset()]
        if token == "0":
            self.take()
            return _ZERO
        if token is not None and token in STRUCTURES and self.tokens[self.position + 1: self.position + 2] == ["("]:
            if not top:
                self.fail(f"the covariance term {token}(...) must be added at the top level")
            structure = self.take()
            self.take("(")
            visit = self.name()
            self.take("|")
            subject = self.name()
            self.take(")")
            self.covariance.append(CovarianceTerm(structure, visit, subject))
            return None
        if token is not None and self.tokens[self.position + 1: self.position + 2] == ["("]:
            self.fail(f"unknown function or covariance structure {token!r}; structures are {', '.join(STRUCTURES)}")
        return [frozenset([self.name()])]


def parse_formula(text: str) -> ModelFormula:
    """Parse ``text`` (see the module notes); :class:`FormulaError` names what is wrong."""
    parser = _Parser(text)
    if "~" not in parser.tokens:
        parser.fail("no '~' between the response and the model terms")
    response = parser.name()
    parser.take("~")
    terms, intercept = parser.sum(top=True)
    if parser.peek() is not None:
        parser.fail(f"unexpected {parser.peek()!r}")
    if len(parser.covariance) != 1:
        parser.fail(f"needs exactly one covariance term such as us(VISIT | SUBJECT), found {len(parser.covariance)}")
    covariance = parser.covariance[0]
    for name in (response, covariance.subject):
        if any(name in term for term in terms):
            role = "the response" if name == response else "the subject"
            parser.fail(f"{name} cannot be both {role} and a model term")
    rank = parser.order
    ordered = sorted((tuple(sorted(t, key=rank.__getitem__)) for t in terms), key=len)
    return ModelFormula(response=response, intercept=intercept is not False, terms=tuple(ordered),
                        covariance=covariance)
