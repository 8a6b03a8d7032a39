"""The FEEL grammar and the one LALR parser built from it.

FEEL expressions as Camunda's engine (feel-scala) parses them, written for lark's LALR(1)
parser with the contextual lexer: a terminal is only tried where the parser can accept it,
which is what lets context keys, named arguments and multi-word function names contain spaces.

The only shift/reduce conflicts (lark resolves them as shift) are on `and`/`or` after
`x in <test>`: the test is a full expression and extends as far right as it can, exactly like
Camunda's PEG parser does it. So `x in [1,2] and y` is `x in ([1,2] and y)`.

The grammar lives in this module (not in a ``.lark`` data file) so that it ships with the
package without packaging configuration. Building the parser takes tens of milliseconds, so it
is built once per process, on first use; lark's LALR parser keeps no state between ``parse``
calls, so the one instance serves all threads.
"""

from __future__ import annotations

import threading

from lark import Lark

__all__ = ["GRAMMAR", "KEYWORDS", "RESERVED_NAMES", "feel_parser"]

# Words that start or continue FEEL syntax. They never form part of a several-word name.
KEYWORDS = (
    "if",
    "then",
    "else",
    "for",
    "return",
    "some",
    "every",
    "satisfies",
    "in",
    "and",
    "or",
    "between",
    "instance",
    "of",
    "function",
    "null",
    "true",
    "false",
)

# Names Camunda refuses as variable names or context path keys (its parser reserves them).
RESERVED_NAMES = frozenset(
    {"null", "true", "false", "function", "in", "return", "then", "else", "satisfies", "and", "or"}
)

GRAMMAR = r"""
?start: expr
      | interval                    -> whole_range

?expr: if_expr
     | for_expr
     | quantified
     | function_definition
     | disjunction

if_expr: IF expr THEN expr ELSE expr
function_definition: FUNCTION "(" [parameter ("," parameter)*] ")" expr
for_expr: FOR iterators RETURN expr
quantified: (SOME | EVERY) iterators SATISFIES expr
iterators: iterator ("," iterator)*
iterator: NAME IN arith
        | NAME IN arith ".." arith          -> range_iterator

?disjunction: conjunction
            | disjunction OR conjunction    -> disjunction
?conjunction: comparison
            | conjunction AND comparison    -> conjunction
?comparison: arith
           | arith COMPARATOR arith         -> compare
           | arith BETWEEN arith AND arith  -> between
           | arith INSTANCE OF TYPE_NAME    -> instance_of
           | arith IN in_tests              -> in_test

// the right-hand side of `in`: one positive unary test, or several in parentheses
?in_tests: positive_test
         | "(" positive_test ("," positive_test)+ ")"  -> test_list
         | "(" simple_test ")"
?positive_test: expr                                   -> test_expr
              | simple_test
?simple_test: TEST_COMPARATOR arith                    -> test_compare
            | interval
!interval: ("(" | "[" | "]") arith ".." arith (")" | "]" | OPEN_END)

?arith: sum
?sum: product
    | sum "+" product                -> add
    | sum "-" product                -> subtract
?product: power
        | product "*" power          -> multiply
        | product "/" power          -> divide
?power: unary
      | power "**" unary             -> power
?unary: postfix
      | "-" postfix                  -> negate
      | "-" "-" NUMBER               -> double_negate
?postfix: primary
        | postfix "." path_name      -> path
        | postfix "[" expr "]"       -> filter
        | postfix "(" [arguments] ")" -> call

?primary: NUMBER                     -> number
        | STRING                     -> string
        | TRUE                       -> true
        | FALSE                      -> false
        | NULL                       -> null
        | name                       -> name_ref
        | FUNCTION_NAME              -> function_name
        | TEMPORAL                   -> temporal
        | "(" expr ")"
        | "[" [expr ("," expr)*] "]" -> list
        | "{" [entry ("," entry)*] "}" -> context

entry: (CONTEXT_KEY | STRING | BACKTICK_NAME) ":" expr
?name: NAME | BACKTICK_NAME
path_name: NAME | BACKTICK_NAME | TIME_OFFSET
parameter: NAME | BACKTICK_NAME | PARAMETER_NAME
// a range is a value only as a function's argument (`before(x, [1..5])`), as in Camunda
?argument: expr | interval
arguments: argument ("," argument)*                -> positional_arguments
         | named_argument ("," named_argument)*   -> named_arguments
named_argument: (NAME | BACKTICK_NAME | PARAMETER_NAME) ":" argument

IF: "if"
THEN: "then"
ELSE: "else"
FOR: "for"
RETURN: "return"
SOME: "some"
EVERY: "every"
SATISFIES: "satisfies"
IN: "in"
AND: "and"
OR: "or"
BETWEEN: "between"
INSTANCE: "instance"
OF: "of"
FUNCTION: "function"
TRUE: "true"
FALSE: "false"
NULL: "null"

COMPARATOR: "<=" | ">=" | "!=" | "=" | "<" | ">"
TEST_COMPARATOR: "<=" | ">=" | "<" | ">"
NUMBER: /\d+(\.\d+)?|\.\d+/
STRING: /"(?:[^"\\]|\\.)*"/s
TEMPORAL: /@\s*"(?:[^"\\]|\\.)*"/s
// `[` closing an open interval (`]1..5[`): one that no filter could start, so `5[` is not a filter
OPEN_END.2: /\[(?=\s*(?:$|[),\]}]|(?:and|or|then|else|return|satisfies)(?![\w$])))/
TIME_OFFSET.2: /time offset(?![\w$])/
NAME: /__NAME__/
BACKTICK_NAME: /`[^`]+`/
FUNCTION_NAME.2: /(?:__KEYWORD_FUNCTIONS__)(?=\s*\()/ | /__WORDS__(?=\s*\()/
PARAMETER_NAME.2: /__WORDS__(?=\s*[:,)])/
CONTEXT_KEY.2: /[^\s"{}:,\[\]`](?:[^"{}:,\[\]`]*[^\s"{}:,\[\]`])?(?=\s*:)/
TYPE_NAME: /(?:__TYPE_NAMES__)(?![\w-])|__NAME__/

COMMENT: /\/\/[^\n]*|\/\*(?:.|\n)*?\*\//
WHITESPACE: /[\s\u180e\u200b\ufeff]+/
%ignore WHITESPACE
%ignore COMMENT
"""

_NAME = r"(?:[^\W\d]|\$)[\w$]*"  # a Java identifier, as Camunda's parser takes it
# The words of a several-word name may not be keywords, or `a and upper case(b)` would be one
# name; the few built-in names that do contain a keyword are listed explicitly.
_WORD = rf"(?!(?:{'|'.join(KEYWORDS)})\b){_NAME}"
_KEYWORD_FUNCTIONS = (
    "date and time",
    "years and months duration",
    "get or else",
    "index of",
    "day of year",
    "day of week",
    "month of year",
    "week of year",
    "last day of month",
)
_TYPE_NAMES = ("years and months duration", "days and time duration", "date and time")
_PATTERNS = {
    "__KEYWORD_FUNCTIONS__": "|".join(_KEYWORD_FUNCTIONS),
    "__WORDS__": rf"{_WORD}(?: +{_WORD})+",
    "__TYPE_NAMES__": "|".join(_TYPE_NAMES),
    "__NAME__": _NAME,
}

_lock = threading.Lock()
_parser: Lark | None = None


def feel_parser() -> Lark:
    """The shared LALR parser for FEEL expressions (built on first call)."""
    global _parser
    if _parser is None:
        with _lock:
            if _parser is None:
                _parser = _build()
    return _parser


def _build() -> Lark:
    grammar = GRAMMAR
    for placeholder, pattern in _PATTERNS.items():
        grammar = grammar.replace(placeholder, pattern)
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=True,
    )
