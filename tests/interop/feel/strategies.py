"""Hypothesis strategies for FEEL expressions over numbers, strings, lists, contexts, temporals and ranges.

Each strategy draws FEEL source text of one kind (a number, a string, a date-time, ...), built from
literals, the variables of :data:`CONTEXT` and generated JSON values (``x``), operators and
built-ins, nested a few levels. They stay inside what both engines are meant to agree on: no
unknown functions, no function values as results, dates within the years 1..9999 (see
``connector/feel/UNSUPPORTED.md``); everything else -- nulls, wrong types, invalid texts, DST gaps --
is fair game.
"""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import strategies as st

CONTEXT: dict[str, Any] = {
    "n": 7,
    "m": -2.5,
    "s": "a b,c",
    "l": [3, 1, 2],
    "ls": ["b", "a", "c"],
    "nested": {"a": 1, "b": {"c": [1, 2]}, "s": "x"},
    "d": "2019-03-31",
    "dt": "2019-10-27T02:30:00@Europe/Berlin",
    "t": "10:30:00",
    "lastModified": "2024-06-14T08:15:00Z",
    "nothing": None,
}
ZONES = [
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Sydney",
    "UTC",
    "America/St_Johns",
    "Europe/London",
    "Asia/Tokyo",
    "Etc/GMT+5",
]
# days with a daylight-saving change in one of the zones above
DST_DAYS = ["2019-03-31", "2019-10-27", "2019-03-10", "2019-11-03", "2019-04-07", "2019-10-06", "2024-03-31"]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(-1e6, 1e6, allow_nan=False).map(lambda f: round(f, 3))
    | st.text("ab 1-:", max_size=4),
    # up to six keys: Camunda iterates a variable's context in Scala's hash orders
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "b", "c", "q", "zz", "aaa", "key"]), inner, max_size=6)
    ),
    max_leaves=6,
)

# ---- numbers -----------------------------------------------------------------------------------
number_literal = st.one_of(
    st.integers(-20, 100).map(str),
    st.decimals(-100, 100, places=2, allow_nan=False, allow_infinity=False).map(lambda d: str(d)),
    st.sampled_from(["0", "0.5", "1.0", "10", "-1"]),
)
number_leaf = number_literal | st.sampled_from(["n", "m", "x", "count(l)", "nothing", "nested.a"])
numbers = st.recursive(
    number_leaf,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(inner, st.sampled_from(["0", "1", "2", "3", "-1", "-3", "0.5", "1.5"])).map(
            lambda t: f"({t[0]} ** {t[1]})"
        ),
        st.tuples(st.sampled_from(["abs", "floor", "ceiling", "odd", "even", "sqrt"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(st.sampled_from(["decimal", "round up", "round half up"]), inner, st.integers(-3, 5)).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        ),
        st.tuples(inner, inner).map(lambda t: f"modulo({t[0]}, {t[1]})"),
        st.tuples(st.sampled_from(["sum", "min", "max", "mean", "count", "product"]), inner, inner).map(
            lambda t: f"{t[0]}([{t[1]}, {t[2]}])"
        ),
        inner.map(lambda e: f"-{e}"),
        inner.map(lambda e: f"string length(string({e}))"),
    ),
    max_leaves=5,
)

# ---- strings -----------------------------------------------------------------------------------
string_literal = st.text("ab ,.-xY", max_size=5).map(_quote)
string_leaf = string_literal | st.sampled_from(["s", "x", "nested.s", "ls[1]", "nothing"])
strings = st.recursive(
    string_leaf,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda t: f"({t[0]} + {t[1]})"),
        st.tuples(st.sampled_from(["upper case", "lower case", "trim", "string"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(inner, number_literal).map(lambda t: f"substring({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"substring before({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"substring after({t[0]}, {t[1]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"replace({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f'string join([{t[0]}, {t[1]}], ", ")'),
        numbers.map(lambda e: f"string({e})"),
    ),
    max_leaves=4,
)

# ---- temporal texts ----------------------------------------------------------------------------
_day = st.dates(min_value=datetime.date(1970, 1, 1), max_value=datetime.date(2100, 12, 31))
date_text = st.one_of(
    _day.map(lambda d: d.isoformat()),
    st.sampled_from(DST_DAYS),
    st.sampled_from(["2019-02-29", "2020-02-29", "2019-13-01", "2019-1-01", "x", "2019-06-31"]),
)
_clock = st.tuples(
    st.integers(0, 23), st.integers(0, 59), st.integers(0, 59), st.sampled_from(["", ".5", ".123456789"])
)
local_time_text = st.one_of(
    _clock.map(lambda c: f"{c[0]:02d}:{c[1]:02d}:{c[2]:02d}{c[3]}"),
    _clock.map(lambda c: f"{c[0]:02d}:{c[1]:02d}"),
    st.sampled_from(["02:30:00", "24:00:00", "T10:00:00", "10:60:00"]),
)
zone_part = st.one_of(
    st.sampled_from(["Z", "+01:00", "-05:00", "+05:30", "+14:00"]),
    st.sampled_from(ZONES).map(lambda z: "@" + z),
)
time_text = st.one_of(local_time_text, st.tuples(local_time_text, zone_part).map("".join))
date_time_text = st.one_of(
    st.tuples(date_text, local_time_text).map(lambda t: f"{t[0]}T{t[1]}"),
    st.tuples(date_text, local_time_text, zone_part).map(lambda t: f"{t[0]}T{t[1]}{t[2]}"),
    st.tuples(st.sampled_from(DST_DAYS), st.sampled_from(["01:30", "02:00", "02:30:00", "03:00"]), zone_part).map(
        lambda t: f"{t[0]}T{t[1]}{t[2]}"
    ),
    st.tuples(date_text, local_time_text, st.sampled_from(["+02:00[Europe/Berlin]", "+01:00[Europe/Berlin]"])).map(
        lambda t: f"{t[0]}T{t[1]}{t[2]}"
    ),
    date_text,
)
_amount = st.integers(-3, 30)
day_time_text = st.tuples(
    st.sampled_from(["", "-"]), _amount, _amount, _amount, st.sampled_from(["", "5", "1.5", "-2", "0.001"])
).map(lambda t: f"{t[0]}P{t[1]}DT{t[2]}H{t[3]}M" + (f"{t[4]}S" if t[4] else ""))
duration_text = st.one_of(
    day_time_text,
    st.tuples(st.sampled_from(["", "-"]), st.integers(0, 30), st.integers(-13, 25)).map(
        lambda t: f"{t[0]}P{t[1]}Y{t[2]}M"
    ),
    st.sampled_from(["PT1M", "P1D", "PT0S", "P0Y", "PT1.5S", "P1W", "pt1h", "P", "PT", "P1Y2M3D", "PT36H"]),
)
temporal_text = st.one_of(date_text, time_text, date_time_text, duration_text)

# ---- temporal expressions ----------------------------------------------------------------------
_parts = st.tuples(st.integers(1970, 2100), st.integers(0, 13), st.integers(0, 32))
temporal_leaf = st.one_of(
    temporal_text.map(lambda t: f"@{_quote(t)}"),
    date_text.map(lambda t: f"date({_quote(t)})"),
    time_text.map(lambda t: f"time({_quote(t)})"),
    date_time_text.map(lambda t: f"date and time({_quote(t)})"),
    duration_text.map(lambda t: f"duration({_quote(t)})"),
    _parts.map(lambda p: f"date({p[0]}, {p[1]}, {p[2]})"),
    _clock.map(lambda c: f"time({c[0]}, {c[1]}, {c[2]}{c[3]})"),
    st.sampled_from(["now()", "today()", "date(d)", "date and time(dt)", "time(t)", "date and time(lastModified)"]),
    st.sampled_from(["date(x)", "duration(x)", "time(x)"]),
)
durations = st.one_of(
    duration_text.map(lambda t: f"@{_quote(t)}"), duration_text.map(lambda t: f"duration({_quote(t)})")
)
PROPERTIES = ("year", "month", "day", "weekday", "hour", "minute", "second", "time offset", "timezone")
DURATION_PROPERTIES = ("days", "hours", "minutes", "seconds", "years", "months")
_property = st.sampled_from(PROPERTIES + DURATION_PROPERTIES)
_date_function = st.sampled_from(["day of week", "day of year", "week of year", "month of year", "last day of month"])
temporals = st.recursive(
    temporal_leaf,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-"]), durations).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(durations, inner).map(lambda t: f"({t[0]} + {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"({t[0]} - {t[1]})"),
        st.tuples(durations, st.sampled_from(["*", "/"]), st.sampled_from(["2", "3", "0.5", "-1", "0"])).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        ),
        st.tuples(inner, inner).map(lambda t: f"date and time(date({t[0]}), time({t[1]}))"),
        st.tuples(inner, st.sampled_from(ZONES)).map(lambda t: f"date and time({t[0]}, {_quote(t[1])})"),
        st.tuples(inner, inner).map(lambda t: f"years and months duration({t[0]}, {t[1]})"),
        st.tuples(inner, inner).map(lambda t: f"max([{t[0]}, {t[1]}])"),
        inner.map(lambda e: f"date({e})"),
        inner.map(lambda e: f"time({e})"),
        inner.map(lambda e: f"abs({e})"),
    ),
    max_leaves=3,
)
temporal_values = st.one_of(
    temporals,
    st.tuples(temporals, _property).map(lambda t: f"{t[0]}.{t[1]}"),
    st.tuples(_date_function, temporals).map(lambda t: f"{t[0]}({t[1]})"),
    st.tuples(temporals, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]), temporals).map(" ".join),
    st.tuples(durations, durations).map(lambda t: f"{t[0]} / {t[1]}"),
    temporals.map(lambda e: f"string({e})"),
    temporals.map(lambda e: f"to json({e})"),
    st.tuples(temporals, st.sampled_from(["date", "time", "date and time", "days and time duration"])).map(
        lambda t: f"{t[0]} instance of {t[1]}"
    ),
)

# ---- lists and contexts ------------------------------------------------------------------------
values = st.one_of(numbers, strings, temporals)
lists = st.recursive(
    st.lists(values, max_size=3).map(lambda items: "[" + ", ".join(items) + "]") | st.sampled_from(["l", "ls", "x"]),
    lambda inner: st.one_of(
        st.tuples(inner, number_literal).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(inner, number_literal).map(lambda t: f"{t[0]}[item > {t[1]}]"),
        st.tuples(st.sampled_from(["reverse", "distinct values", "flatten", "count", "min", "max", "sum"]), inner).map(
            lambda t: f"{t[0]}({t[1]})"
        ),
        st.tuples(inner, inner).map(lambda t: f"append({t[0]}, {t[1]})"),
        st.tuples(inner, values).map(lambda t: f"list contains({t[0]}, {t[1]})"),
        st.tuples(inner, values).map(lambda t: f"index of({t[0]}, {t[1]})"),
        st.tuples(inner, number_literal, number_literal).map(lambda t: f"sublist({t[0]}, {t[1]}, {t[2]})"),
        inner.map(lambda e: f"for i in {e} return [i, string(i)]"),
        inner.map(lambda e: f"some i in {e} satisfies i = 1"),
        inner.map(lambda e: f"every i in {e} satisfies i != null"),
        inner.map(lambda e: f"sort({e}, function(a, b) a < b)"),
    ),
    max_leaves=3,
)
_key = st.sampled_from(["a", "b", "c d", "x", "e", "zz", "q"])
contexts = st.recursive(
    st.lists(st.tuples(_key, values), max_size=6).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")
    | st.sampled_from(["nested", "x", "{}"]),
    lambda inner: st.one_of(
        st.tuples(inner, _key).map(lambda t: f"({t[0]}).{t[1].split()[0]}"),
        st.tuples(inner, _key).map(lambda t: f"get value({t[0]}, {_quote(t[1])})"),
        st.tuples(inner, _key, values).map(lambda t: f"context put({t[0]}, {_quote(t[1])}, {t[2]})"),
        st.tuples(inner, inner).map(lambda t: f"context merge([{t[0]}, {t[1]}])"),
        inner.map(lambda e: f"get entries({e})"),
        inner.map(lambda e: f"string({e})"),
        inner.map(lambda e: f"is defined({e}.a)"),
    ),
    max_leaves=3,
)

# ---- ranges ------------------------------------------------------------------------------------
_open = st.sampled_from(["[", "(", "]"])
_close = st.sampled_from(["]", ")", "["])
points = st.one_of(numbers, temporals)
ranges = st.tuples(_open, points, points, _close).map(lambda t: f"{t[0]}{t[1]}..{t[2]}{t[3]}")
RANGE_FUNCTIONS = ("before", "after", "meets", "met by", "overlaps", "overlaps before", "overlaps after")
RANGE_FUNCTIONS_2 = ("finishes", "finished by", "includes", "during", "starts", "started by", "coincides")
_range_function = st.sampled_from(RANGE_FUNCTIONS + RANGE_FUNCTIONS_2)
range_expressions = st.one_of(
    st.tuples(_range_function, points | ranges, points | ranges).map(lambda t: f"{t[0]}({t[1]}, {t[2]})"),
    st.tuples(points, ranges).map(lambda t: f"{t[0]} in {t[1]}"),
    st.tuples(strings, _open, strings, strings, _close).map(lambda t: f"{t[0]} in {t[1]}{t[2]}..{t[3]}{t[4]}"),
    st.tuples(points, st.sampled_from(["<", "<=", ">", ">="]), points).map(lambda t: f"{t[0]} in {t[1]} {t[2]}"),
    ranges.map(lambda r: f"string({r})"),
)

# ---- regular expressions -----------------------------------------------------------------------
# Java's syntax as Camunda's users write it, and what it rejects ("Illegal repetition" for a brace
# that is no quantifier), run on the `regex` package here and on java.util.regex there
_REGEX_ATOMS = [
    "a", "b", "x", ".", "\\ ", ",", "[ab]", "[^a]", "[a-c]", "[{]", "\\d", "\\s", "\\w", "\\W", "\\.",
    "(a|b)", "(a+)", "(?:ab)", "(?<g>a)", "\\Qa.\\E", "(", ")",
]  # fmt: skip
_REGEX_QUANTIFIERS = ["", "", "", "*", "+", "?", "*?", "+?", "{2}", "{1,}", "{0,2}", "{,2}", "{e<=1}", "{a}"]
_REGEX_ANCHORS = ["", "", "^", "$", "\\b", "\\z", "\\Z"]
# Java accepts, and Python's `re` refuses, a few forms this worker does not translate (listed in
# connector/feel/UNSUPPORTED.md): a quantifier with nothing before it or after an anchor, a flag
# group after the start, a back reference to a group not yet opened, a `[` inside a class. The
# patterns are built so as not to contain them (a space is escaped: the `x` flag would drop it).
_regex_piece = st.tuples(st.sampled_from(_REGEX_ATOMS), st.sampled_from(_REGEX_QUANTIFIERS)).map("".join)


def _pattern(start: str, pieces: list[str], back_reference: bool, anchor: str) -> str:
    body = "".join(pieces)
    opened = (body.startswith("(") and not body.startswith("(?")) or "(a" in body
    return start + body + ("\\1" if back_reference and opened else "") + anchor


regex_patterns = st.builds(
    _pattern,
    st.sampled_from(["", "", "(?i)", "^"]),
    st.lists(_regex_piece, min_size=1, max_size=3),
    st.booleans(),
    st.sampled_from(_REGEX_ANCHORS),
)
_regex_subject = st.text("abx ,.AB1", max_size=8).map(_quote) | st.sampled_from(["s", "x", "nothing"])
_regex_replacement = st.sampled_from(['"-"', '""', '"<$0>"', '"$1"', '"\\$"', '"${g}"', '"$2"'])
regex_expressions = st.one_of(
    st.tuples(_regex_subject, regex_patterns).map(lambda t: f"matches({t[0]}, {_quote(t[1])})"),
    st.tuples(_regex_subject, regex_patterns, st.sampled_from(['"i"', '"s"', '"m"', '"x"', '""'])).map(
        lambda t: f"matches({t[0]}, {_quote(t[1])}, {t[2]})"
    ),
    st.tuples(_regex_subject, regex_patterns, _regex_replacement).map(
        lambda t: f"replace({t[0]}, {_quote(t[1])}, {t[2]})"
    ),
    st.tuples(_regex_subject, regex_patterns).map(lambda t: f"split({t[0]}, {_quote(t[1])})"),
    st.tuples(_regex_subject, regex_patterns).map(lambda t: f"extract({t[0]}, {_quote(t[1])})"),
)


def cases(expressions: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """An expression with the fixed variables and a generated ``x``, sometimes wrapped in a context or a list."""
    wrapped = st.one_of(
        expressions,
        expressions.map(lambda e: "{result: " + e + "}"),
        st.tuples(expressions, expressions).map(lambda t: f"[{t[0]}, {t[1]}]"),
        st.tuples(expressions, expressions).map(lambda t: f"if {t[0]} = {t[1]} then {t[0]} else {t[1]}"),
    )
    return st.tuples(wrapped, json_values.map(lambda x: {**CONTEXT, "x": x}))
