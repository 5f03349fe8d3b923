"""The privacy guard: no resident's personal information reaches a public page.

China's Personal Information Protection Law (PIPL, 《个人信息保护法》) forbids publishing
personal information without the person's separate consent, and the generator is the last
line of defence. `check_privacy` reads every text of every record that reaches the site,
board.yaml included (schema types `string`, `markdown`, `labels` and `path`), and reports each
phone number, resident ID number, bank card number, e-mail address, WeChat/QQ account, licence
plate, full name with a form of address, door-level address and unmasked submitter name,
quoting it masked and suggesting a masked form.

Context decides: amounts, counts, years, document numbers, rooms of public buildings, schools
and groups are not personal. A finding the rules cannot be sure of (a bare 3-2-501, an ID
number whose check digit is right but whose region is unknown) is a warning that names the rule,
never an error: a guard that cries wolf teaches volunteers to add exceptions until it guards nothing.

A record may list reviewed `privacy_exceptions` ({field, reason}): findings in that field are
not reported but one warning per exception is, so every exception shows in the check output. The
community's public `contact.phone` is never scanned, and the same number elsewhere in that
community's records is not reported.

`scan_text` is the detector on one text; it knows nothing of records and is what tests and
benchmarks/bench_privacy.py call. The word lists are data, in privacy_words.yaml.

Length (about 700 lines): one detector. The rules share the masking, the number contexts and
the word lists (privacy_words.yaml); split by rule, each file would import all of them back.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import read_data, schema
from .schema import FieldSpec

if TYPE_CHECKING:
    from .problems import Problems
    from .records import Record

WORDS_FILE = Path(__file__).with_name("privacy_words.yaml")
TEXT_TYPES = ("string", "markdown", "path")  # a photo's file name is in its address on the site
SUBMITTER_DISPLAY = ("submitter", "display")
EXCEPTIONS_FIELD = "privacy_exceptions"
_RAW_WORDS = read_data(WORDS_FILE)


def _any_of(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=lambda w: (-len(w), w))))


# -- numbers ------------------------------------------------------------------------------

# A run of digits, single separators allowed between them: 138 1234 5678, 028-8765 4321,
# 139.1234.5678, 139/1234/5678, +86 138..., (028)87654321, 5101...123X. Each run is classified as a whole.
NUMBER_RUN = re.compile(
    r"(?<![\d.])(?:\+\s?)?(?:\(\d{2,4}\)\s?)?\d(?:(?:\s?[-–—.]\s?|[ \u3000/])?\d)*(?:[Xx](?![A-Za-z0-9]))?",
    re.ASCII,
)
# Number detectors run only on texts with 7 digits or more (counted with `match`, anchored, so
# a long text without digits is read once).
SEVEN_DIGITS = re.compile(r"(?:\D*\d){7}", re.ASCII)
MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
# 0 + area code (010, 02x, 0xxx) + a local number of 7-8 digits not starting with 0 or 1.
LANDLINE = re.compile(r"0(?:10|2\d|[3-9]\d{2})[2-9]\d{6,7}", re.ASCII)
LOCAL_NUMBER = re.compile(r"[2-9]\d{6,7}", re.ASCII)
# A bare local number counts only right after words that say phone: 电话 8765 4321, 座机：87654321.
PHONE_CONTEXT = re.compile(r"(?:电话|手机|座机|固话|致电|拨打|来电|热线|联系|号码|tel|phone|☎|📞)\D{0,3}$", re.IGNORECASE)
# ...and never after words that say it is a document's number: 发票号码 87654321, 工单号 ...
DOCUMENT_CONTEXT = re.compile(rf"(?:{_any_of(_RAW_WORDS['document_numbers'])})\D{{0,4}}$")
COUNTED = re.compile(r"\s*(?:元|万|亿|人|户|名|个|次|米|平|㎡|m|年|届|期|件|张)")
# Dates and year ranges written with dots or dashes: 2024.03.05, 2023-2024.
DATE_OR_YEARS = re.compile(r"(?:19|20)\d{2}\s?[-–—./]\s?(?:(?:0?[1-9]|1[0-2])(?:\s?[-–—./]\s?\d{1,2})?|(?:19|20)\d{2})", re.ASCII)
PROVINCE_CODES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65", "71", "81", "82",
}
MAX_CHUNKS = 5  # groups of digits one number is written in, at most: 6222 0212 3456 7890 128
MAX_RUN_DIGITS = 40  # a longer run of spaced groups is a table of figures: its groups are read alone
# Digits written in Chinese: 一三九一二三四五六七八 (幺 is how 1 is read out in phone numbers).
CHINESE_DIGITS = "〇零一二三四五六七八九幺"
CHINESE_DIGIT_RUN = re.compile(rf"[{CHINESE_DIGITS}](?:[\s-]?[{CHINESE_DIGITS}0-9]){{6,}}")
TO_DIGIT = str.maketrans(CHINESE_DIGITS, "001234567891")

# -- other patterns -----------------------------------------------------------------------

# zhang@163.com, zhang(at)163.com, 张@例子.中国, zhang@163。com
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._%+-]*)\s?(?:@|\(at\)|\[at\]|（at）)\s?"
    r"((?:[A-Za-z0-9\u4e00-\u9fff-]+\s?(?:[.。]|\(dot\))\s?)+(?:[A-Za-z]{2,}|[\u4e00-\u9fff]{2,4}))",
    re.IGNORECASE,
)
# An account given as a contact: 微信号 abc123, VX: abc123, V信 abc123, V：abc123, 加V abc123, QQ 12345678…
# 微信公众号, 微信群 and QQ群 do not match: the id must follow the keyword directly. A WeChat id
# starts with a letter, so 微信 12000 元 (a payment) is no account; QQ numbers are digits.
WECHAT_ACCOUNT = re.compile(
    r"(?<![A-Za-z])(微信|薇信|威信|[VvWw][Xx]|[Vv]信|[Ww]e[Cc]hat|[Vv](?=\s*[:：])|(?<=加)[Vv])\s*(?:号码?|ID|id)?\s*(?:[:：是为]\s*)?"
    r"([A-Za-z][A-Za-z0-9_-]{5,19})(?![A-Za-z0-9_-])"
)
QQ_ACCOUNT = re.compile(r"(?<![A-Za-z])([Qq]{2}|扣扣)\s*(?:号码?|ID|id)?\s*(?:[:：是为]\s*)?([1-9]\d{4,11})(?![\d])")
PLATE = re.compile(
    r"(?<![A-Za-z0-9])([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼])\s?([A-HJ-NP-Za-hj-np-z])"
    r"[·•・. -]?([A-HJ-NP-Za-hj-np-z0-9]{5,6})(?![A-Za-z0-9])"
)
_N = r"(?:\d{1,3}|[一二三四五六七八九十]{1,3})"
# After a room number: not a count, an amount, a date or another number (3栋 150户, 2栋 120 支灯管).
_ROOM_END = rf"(?:室|号房?|房|(?!\s*(?:[\d:：./-]|{_any_of(_RAW_WORDS['counted_after_building'])})))"
# Building (+ unit) + room: 3栋2单元501室, 3幢2单元501, 5号楼302室, A座1203.
ADDRESS = re.compile(
    rf"(?P<head>(?:{_N}|[A-Za-z])\s*(?:栋|幢|号楼|座)\s*(?:{_N}\s*单元)?)\s*(?P<room>\d{{3,4}})(?P<tail>{_ROOM_END})"
)
# Unit + room without the building: 2单元501, 2单元501室.
ADDRESS_UNIT_ROOM = re.compile(rf"(?P<head>{_N}\s*单元)\s*(?P<room>\d{{3,4}})(?P<tail>{_ROOM_END})")
# Street number + room, with 室 written: 幸福路12号302室.
ADDRESS_STREET_ROOM = re.compile(r"(?P<head>\d{1,4}号)\s*(?P<room>\d{3,4})(?P<tail>室|房)")
# Building + unit + floor: 5号楼2单元3楼 is two doors at most.
ADDRESS_FLOOR = re.compile(rf"(?P<head>(?:{_N}|[A-Za-z])\s*(?:栋|幢|号楼|座)\s*{_N}\s*单元)\s*(?P<room>{_N})\s*(?P<tail>楼|层)(?!\s*(?:以上|以下|及|至|到|[-—~]|{_any_of(_RAW_WORDS['counted_after_building'])}))")
# A road number with a sub-number: 幸福路12号附3号, 人民南路4段12号附5号.
ADDRESS_ANNEX = re.compile(
    r"(?P<head>[\u4e00-\u9fff]{0,8}?(?:路|街|巷|道)(?:\s*[\d一二三四五六七八九]{1,2}\s*段)?)\s*(?P<number>\d{1,4}\s*号\s*附\s*\d{1,3}\s*号)"
)
# 2-1-302 or 3栋2-1-302 (not 2024-03-05); without a word that says address, only a warning.
DASHED_ADDRESS = re.compile(
    rf"(?<![\d./:-])(?P<head>(?:{_N}\s*(?:栋|幢|号楼))?)(?P<building>\d{{1,2}})-(?P<unit>\d{{1,2}})-(?P<room>\d{{3,4}})(?![\d-])(?P<tail>室|号|房|户)?"
)
# 2栋1-302: building, then unit-room.
DASHED_SHORT = re.compile(rf"(?P<head>{_N}\s*(?:栋|幢|号楼))\s*(?P<unit>\d{{1,2}})-(?P<room>\d{{3,4}})(?![\d-])")
ADDRESS_CONTEXT = re.compile(r"栋|幢|号楼|单元|小区|院|住|家|户|门牌|地址|业主|楼")
# Rooms of public buildings are no home: 办事处 B座305 会议室, 党群服务中心 2 楼 201 活动室.
PUBLIC_PLACE = re.compile(_any_of(_RAW_WORDS["public_places"]))
ADDRESS_HINT = re.compile(r"[\dA-Za-z一二三四五六七八九十]\s*(?:栋|幢|号楼|座|单元)|\d-\d|\d号\s*\d|\d号\s*附")
FUNCTION_WORDS = set("向于连经管谢")  # surnames that are also words met before a name
MASKED_MARKS = set("*＊×xX某○〇")
CJK = re.compile(r"[\u4e00-\u9fff]+")
BRACKETED = re.compile(r"[（(\[【][^)）\]】]*[)）\]】]")
# One look decides what runs: a text without a digit, a Latin letter or @ (most of them) can only
# hold a name. Full-width １３８… and ＱＱ are read as their half-width forms.
CONTACT_HINT = re.compile(rf"[0-9A-Za-z@\uff10-\uff19\uff20-\uff3a\uff41-\uff5a]|{CHINESE_DIGIT_RUN.pattern}")
FULL_WIDTH = re.compile(r"[\uff01-\uff5e]")
LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Finding:
    """One piece of personal information in a text: where, what kind, how to show it masked."""

    code: str  # privacy-mobile, privacy-person-name, ...
    start: int
    end: int
    found: str  # the text as quoted back in a message: masked, never the full value
    masked: str  # the suggested replacement
    certain: bool = True  # False: the rule cannot be sure, so a warning, not an error

    def __repr__(self) -> str:
        return f"Finding({self.code!r}, {self.found!r} -> {self.masked!r}{'' if self.certain else ', uncertain'})"


# -- word lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Words:
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    given: frozenset[str]
    given_first_only: frozenset[str]
    roles: tuple[str, ...]  # forms of address and roles, longest first
    not_names: frozenset[str]
    role_pattern: re.Pattern
    not_before_roles: re.Pattern  # 金沙小学 + 老师, 夕阳红 + 老人: a place or a group, not a name


def _load_words(raw: dict) -> _Words:
    chars = lambda text: frozenset(re.sub(r"\s", "", text))  # noqa: E731 - folded YAML adds spaces
    roles = tuple(sorted(set(raw["forms_of_address"]) | set(raw["roles"]), key=lambda r: (-len(r), r)))
    return _Words(
        surnames=chars(raw["surnames"]),
        compound_surnames=frozenset(raw["compound_surnames"]),
        given=chars(raw["given_name_characters"]) - {"大", "小"},
        given_first_only=frozenset("大小"),
        roles=roles,
        not_names=frozenset(raw["not_names"]),
        role_pattern=re.compile("|".join(map(re.escape, roles))),
        not_before_roles=re.compile(f"(?:{_any_of(raw['not_before_roles'])})$"),
    )


WORDS = _load_words(_RAW_WORDS)
ROLE = WORDS.role_pattern

# -- the detectors ------------------------------------------------------------------------


def scan_text(text: str, public_numbers: frozenset[str] = frozenset(), names: bool = True) -> list[Finding]:
    """Every piece of personal information in `text`, in order; overlaps keep the first found.

    `public_numbers` are digit strings that may appear (the community's contact phone);
    `names=False` skips the name detector (for a field that is itself a name).
    """
    findings: list[Finding] = []
    if CONTACT_HINT.search(text):
        findings = _contacts(_half_width(text), public_numbers)
    if names and ROLE.search(text):
        findings += _names(text)
    return _without_overlaps(findings) if len(findings) > 1 else findings


def _half_width(text: str) -> str:
    """Full-width letters, digits and signs as their half-width forms (１３８ as 138, ＱＱ as QQ,
    （０２８） as (028)), one character for one: offsets stay. Each one found is replaced on
    its own: Chinese punctuation (，：) puts one in almost every text, and str.translate would
    look up every character of the text in a dict, ten times as slow."""
    for char in set(FULL_WIDTH.findall(text)):
        text = text.replace(char, chr(ord(char) - 0xFEE0))
    return text


def _contacts(text: str, public_numbers: frozenset[str]) -> list[Finding]:
    """Numbers first, then the rest: the most specific detector wins an overlap."""
    findings: list[Finding] = []
    digits = _with_chinese_digits(text)
    if SEVEN_DIGITS.match(digits):
        findings += _numbers(digits, public_numbers)
    latin = LATIN.search(text) is not None
    if "@" in text or "(at)" in text or "[at]" in text or "（at）" in text:
        findings += _emails(text)
    if latin or "扣扣" in text:
        findings += _im_accounts(text)
    if latin:
        findings += _plates(text)
    if ADDRESS_HINT.search(text):
        findings += _addresses(text)
    return findings


def _with_chinese_digits(text: str) -> str:
    """Runs of seven or more Chinese digits read as digits, one character for one."""
    if not CHINESE_DIGIT_RUN.search(text):
        return text
    return CHINESE_DIGIT_RUN.sub(lambda m: m.group().translate(TO_DIGIT), text)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    """In text order; of two findings that overlap, the one found first (the more specific
    detector, which runs first) is kept."""
    kept: list[tuple[int, Finding]] = []
    for rank, finding in sorted(enumerate(findings), key=lambda item: item[1].start):
        if kept and finding.start < kept[-1][1].end:  # kept findings never overlap each other
            if rank < kept[-1][0]:
                kept[-1] = (rank, finding)
            continue
        kept.append((rank, finding))
    return [finding for _, finding in kept]


def _numbers(text: str, public_numbers: frozenset[str]) -> list[Finding]:
    findings = []
    for run in NUMBER_RUN.finditer(text):
        raw = run.group()
        digits = sum(c.isdigit() for c in raw)
        if digits < 7:
            continue
        finding = _classify_number(raw, run.start(), text, public_numbers)
        if finding:
            findings.append(finding)
        elif " " in raw or "\u3000" in raw:  # numbers side by side: 2024 13812345678
            findings += _number_chunks(raw, run.start(), text, public_numbers, digits <= MAX_RUN_DIGITS)
    return findings


def _number_chunks(raw: str, offset: int, text: str, public_numbers: frozenset[str], join: bool) -> list[Finding]:
    """Numbers inside a run of space-separated groups: the longest of up to MAX_CHUNKS groups,
    or, in a long run (a table of figures), each group on its own."""
    chunks = [(m.start(), m.end(), sum(c.isdigit() for c in m.group())) for m in re.finditer(r"\S+", raw)]
    findings: list[Finding] = []
    i = 0
    while i < len(chunks):
        for j in range(min(len(chunks), i + MAX_CHUNKS) if join else i + 1, i, -1):
            if (i, j) == (0, len(chunks)) or sum(c[2] for c in chunks[i:j]) < 7:
                continue
            start, end = chunks[i][0], chunks[j - 1][1]
            finding = _classify_number(raw[start:end], offset + start, text, public_numbers)
            if finding:
                findings.append(finding)
                i = j
                break
        else:
            i += 1
    return findings


def _classify_number(raw: str, start: int, text: str, public_numbers: frozenset[str]) -> Finding | None:
    digits = re.sub(r"[^\dXx]", "", raw).upper()
    end = start + len(raw)
    national = digits
    if raw.startswith("+") and digits.startswith("86"):
        national = digits[2:]
    elif digits.startswith("0086"):
        national = digits[4:]
    elif re.match(r"86[\s-]", raw):  # 86-139…, 86 28 8765 4321: the country code without a plus
        national = digits[2:] if MOBILE.fullmatch(digits[2:]) else "0" + digits[2:]
    if digits.endswith("X"):
        if len(digits) == 18:
            return _id_number(digits, start, end)
        return None
    if DATE_OR_YEARS.fullmatch(raw) or _is_public(national, public_numbers):
        return None
    mobile = national[1:] if national[:1] == "0" else national  # 0 dialled before a mobile
    if MOBILE.fullmatch(mobile):
        return Finding("privacy-mobile", start, end, *_twice(_mask(mobile, 3, 4)))
    document = DOCUMENT_CONTEXT.search(text, max(0, start - 12), start) is not None
    area = re.match(r"\s*\((\d{2,4})\)", raw.lstrip("+"))
    if not document and (LANDLINE.fullmatch(national) or (area and LOCAL_NUMBER.fullmatch(national[len(area.group(1)):]))):
        code = area.group(1) if area else national[:3] if national[1] in "12" else national[:4]
        return Finding("privacy-landline", start, end, *_twice(f"{code}-" + _mask(national[len(code):], 0, 4)))
    if len(digits) == 18:
        return _id_number(digits, start, end)
    if len(digits) == 15 and _is_id15(digits):
        return Finding("privacy-id-number", start, end, _mask(digits, 3, 4), "****" + digits[-4:])
    if 16 <= len(digits) <= 19 and digits[0] in "345689" and _luhn_valid(digits):
        return Finding("privacy-bank-card", start, end, _mask(digits, 4, 4), "****" + digits[-4:])
    if (LOCAL_NUMBER.fullmatch(digits) and not document and PHONE_CONTEXT.search(text[max(0, start - 12):start])
            and not COUNTED.match(text, end)):
        return Finding("privacy-landline", start, end, *_twice(_mask(digits, 0, 4)))
    return None


def _luhn_valid(digits: str) -> bool:
    """A bank card's Luhn check digit, by python-stdnum (imported here, as in `_id_number`)."""
    from stdnum import luhn

    return luhn.is_valid(digits)


def _id_number(digits: str, start: int, end: int) -> Finding | None:
    """An 18-digit resident ID: GB 11643 check digit and a birth date (python-stdnum); a known
    province makes it certain, otherwise it is a warning (an order number can pass the rest)."""
    from stdnum.cn import ric  # here: python-stdnum's import is a tenth of `ailin check`'s start

    if not digits[:17].isdigit() or ric.calc_check_digit(digits) != digits[17] or not _is_birth_date(digits[6:14]):
        return None
    return Finding("privacy-id-number", start, end, _mask(digits, 3, 4), "****" + digits[-4:],
                   certain=digits[:2] in PROVINCE_CODES)


def _is_public(number: str, public_numbers: frozenset[str]) -> bool:
    """The community's contact phone, also when written with or without its area code."""
    return any(
        number == public or len(min(number, public, key=len)) >= 7 and (public.endswith(number) or number.endswith(public))
        for public in public_numbers
    )


def _is_id15(digits: str) -> bool:
    """Old 15-digit ids (before 1999): region, YYMMDD of a 19xx birth, 3-digit sequence."""
    return digits.isdigit() and digits[:2] in PROVINCE_CODES and _is_birth_date("19" + digits[6:12])


def _is_birth_date(text: str) -> bool:
    try:
        day = dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= day <= dt.date.today()


def _mask(text: str, keep_start: int, keep_end: int) -> str:
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + "*" * hidden + text[len(text) - keep_end:] if hidden > 0 else "*" * len(text)


def _twice(masked: str) -> tuple[str, str]:
    """Quoted and suggested forms are the same masked text."""
    return masked, masked


def _emails(text: str) -> list[Finding]:
    findings = []
    for m in EMAIL.finditer(text):
        domain = re.sub(r"\s|\(dot\)", lambda d: "" if d.group().isspace() else ".", m.group(2), flags=re.I).replace("。", ".")
        findings.append(Finding("privacy-email", m.start(), m.end(), *_twice(f"{m.group(1)[0]}***@{domain}")))
    return findings


def _im_accounts(text: str) -> list[Finding]:
    findings = []
    for pattern in (WECHAT_ACCOUNT, QQ_ACCOUNT):
        for m in pattern.finditer(text):
            keyword, account = m.group(1), m.group(2)
            if COUNTED.match(text, m.end()):  # QQ 12000 元
                continue
            if account.isalpha() and (keyword in "Vv" or keyword.lower() == "wechat" and text[m.start() + 6:m.start() + 7].isspace()):
                continue  # English prose: "WeChat blocks", "V: vitamin"; an id given so says ID or has a digit
            shown = f"{keyword} {account[0]}***{account[-1]}"
            findings.append(Finding("privacy-im-account", m.start(), m.end(), shown, shown))
    return findings


def _plates(text: str) -> list[Finding]:
    findings = []
    for m in PLATE.finditer(text):
        body = m.group(3).upper()  # 川a12345 is typed too
        digits = sum(c.isdigit() for c in body)
        if len(body) == 5 and digits < 3:
            continue
        if len(body) == 6 and not (body[0] in "DF" and digits >= 4 or body[-1] in "DF" and body[:-1].isdigit()):
            continue
        masked = m.group(1) + m.group(2).upper() + _mask(body, 0, 2)
        findings.append(Finding("privacy-plate", m.start(), m.end(), masked, masked))
    return findings


def _is_public_place(text: str, start: int, end: int) -> bool:
    """A room of a public building: 办事处 B座305 会议室, 党群服务中心3栋201."""
    return PUBLIC_PLACE.search(text, max(0, start - 12), min(len(text), end + 8)) is not None


def _addresses(text: str) -> list[Finding]:
    findings = []
    for pattern in (ADDRESS, ADDRESS_UNIT_ROOM, ADDRESS_STREET_ROOM, ADDRESS_FLOOR):
        for m in pattern.finditer(text):
            if _is_public_place(text, m.start(), m.end()):
                continue
            head = re.sub(r"\s", "", m.group("head"))
            found = head + "*" * len(re.sub(r"\s", "", m.group("room"))) + m.group("tail")
            findings.append(Finding("privacy-address", m.start(), m.end(), found, head))
    for m in ADDRESS_ANNEX.finditer(text):
        if not _is_public_place(text, m.start(), m.end()):
            head = m.group("head")
            findings.append(Finding("privacy-address", m.start(), m.end(), f"{head}**号附*号", head))
    for m in DASHED_ADDRESS.finditer(text):
        head = re.sub(r"\s", "", m.group("head"))
        building, unit, room = m.group("building"), m.group("unit"), m.group("room")
        context = bool(head or m.group("tail") or ADDRESS_CONTEXT.search(text, max(0, m.start() - 8), m.start())
                       or ADDRESS_CONTEXT.match(text[m.end():m.end() + 8].lstrip()))  # 12-1-1801 业主
        looks_like_date = room[:2] in ("19", "20") and int(unit) <= 12 and int(building) <= 31  # 05-03-2024
        if (not context and looks_like_date) or _is_public_place(text, m.start(), m.end()):
            continue
        found = f"{head}{building}-{unit}-" + "*" * len(room) + (m.group("tail") or "")
        findings.append(Finding("privacy-address", m.start(), m.end(), found, f"{head or building + '栋'}{unit}单元",
                                certain=context))
    for m in DASHED_SHORT.finditer(text):
        if _is_public_place(text, m.start(), m.end()):
            continue
        head = re.sub(r"\s", "", m.group("head"))
        found = f"{head}{m.group('unit')}-" + "*" * len(m.group("room"))
        findings.append(Finding("privacy-address", m.start(), m.end(), found, f"{head}{m.group('unit')}单元"))
    return findings


def _names(text: str) -> list[Finding]:
    """A surname and a given name right before a form of address or a role: 张建国先生,
    张建国 先生, 张建国副主任; not after a place or a group's name (金沙小学老师, 夕阳红老人)."""
    findings = []
    for role in ROLE.finditer(text):
        end = role.start()
        while end > 0 and text[end - 1] in " \u3000":
            end -= 1
        if end > 0 and text[end - 1] in "副代":  # 副主任, 代理: the rank is not the name
            end -= 1
        if WORDS.not_before_roles.search(text, max(0, end - 8), end):
            continue
        name = _name_before(text, end)
        if name:
            surname, given = name
            start = end - len(surname) - len(given)
            findings.append(Finding(
                "privacy-person-name", start, role.end(),
                surname + "*" * len(given) + role.group(), surname + role.group(),
            ))
    return findings


def _name_before(text: str, end: int) -> tuple[str, str] | None:
    """(surname, given name) ending at `end`, or None; two-character given names first."""
    for size in (2, 1):
        given = text[max(0, end - size):end]
        if len(given) < size or not _is_given_name(given):
            continue
        for surname_size in (2, 1):
            surname = text[max(0, end - size - surname_size):end - size]
            if len(surname) < surname_size:
                continue
            if surname_size == 2 and surname not in WORDS.compound_surnames:
                continue
            if surname_size == 1 and surname not in WORDS.surnames:
                continue
            if _is_ordinary_word(surname, given):
                continue
            return surname, given
    return None


def _is_given_name(given: str) -> bool:
    if given[-1] not in WORDS.given:
        return False
    return len(given) == 1 or given[0] in WORDS.given or given[0] in WORDS.given_first_only


def _is_ordinary_word(surname: str, given: str) -> bool:
    """关爱 + 老人, 向 + 王 + 师傅 (向王师傅反映), 王家 + 大爷: not a full name."""
    if surname + given in WORDS.not_names or surname + given[0] in WORDS.not_names:
        return True
    # a word like 向 (to) before a surname: 向王师傅, 向林建国书记 are 王师傅, 林建国书记
    if surname in FUNCTION_WORDS and given[0] in WORDS.surnames:
        return True
    return given == "家"  # 王家大爷: the Wangs' grandfather


def unmasked_display(display: str) -> Finding | None:
    """A submitter's display name that shows a name in full: 李华, 李建华, 李 建华, 李华先生,
    李建华（楼栋长）."""
    text = re.sub(r"\s", "", BRACKETED.sub("", display))
    if not text or MASKED_MARKS & set(text) or not CJK.fullmatch(text):
        return None
    role = next((r for r in WORDS.roles if text.endswith(r) and len(text) > len(r)), "")
    core = text[: len(text) - len(role)]
    for surname_size in (2, 1):
        surname, given = core[:surname_size], core[surname_size:]
        known = surname in WORDS.compound_surnames if surname_size == 2 else surname in WORDS.surnames
        if known and 1 <= len(given) <= 2 and surname + given not in WORDS.not_names:
            masked = surname + "*" * len(given) + role
            return Finding("privacy-unmasked-submitter", 0, len(display), masked, masked)
    return None


def scan_field(text: str, public_numbers: frozenset[str] = frozenset(), is_display: bool = False) -> list[Finding]:
    """The findings of one field's text; a submitter's display name is a name, read as one."""
    if not is_display:
        return scan_text(text, public_numbers)
    unmasked = unmasked_display(text)
    return ([unmasked] if unmasked else []) + scan_text(text, public_numbers, names=False)


# -- records ------------------------------------------------------------------------------


def field_name(path: tuple) -> str:
    """`steps[2].note` from ("steps", 1, "note"): list items count from 1, as in messages."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


# A plan says where a kind's text can be: key -> TEXT, LABELS, a plan for an object, or
# (LIST, what each item is, the keys when each item is an object of texts only, like steps'
# notes). Fields that hold no text (ids, dates, counts) are not in it.
TEXT, LABELS, LIST = "text", "labels", "list"


@functools.cache
def _plan(kind: str) -> dict:
    return _plan_of(schema.record_schema(kind).fields)


def _plan_of(fields: dict[str, FieldSpec]) -> dict:
    plan = {}
    for key, spec in fields.items():
        node = _node_of(spec)
        if node and key != EXCEPTIONS_FIELD:  # reviewers' notes, never published
            plan[key] = node
    return plan


def _node_of(spec: FieldSpec) -> Any:
    if spec.type in TEXT_TYPES:
        return TEXT
    if spec.type == "labels":
        return LABELS
    if spec.type == "object":
        return _plan_of(spec.fields) or None
    if spec.type == "list" and spec.items is not None:
        item = _node_of(spec.items)
        flat = tuple(item) if type(item) is dict and all(n is TEXT for n in item.values()) else None
        return (LIST, item, flat) if item else None
    return None


def record_texts(record: Record, suspect_only: bool = False) -> list[tuple[tuple, str]]:
    """(path, text) of every free-text value of a record.

    With `suspect_only`, only the texts that pass the first look (a digit, a Latin letter, @ or
    a role word), the only ones that can hold a finding: most texts are dropped here, before
    any path is built.
    """
    out: list[tuple[tuple, str]] = []
    _collect(record.data, _plan(record.kind), (), out, suspect_only)
    return out


_HINT, _ROLE = CONTACT_HINT.search, ROLE.search


def _collect(data: dict, plan: dict, path: tuple, out: list, suspect_only: bool) -> None:
    for key, node in plan.items():
        value = data.get(key)
        if value is None:
            continue
        if node is TEXT:
            if type(value) is str and (not suspect_only or _HINT(value) or _ROLE(value)):
                out.append(((*path, key), value))
        elif type(node) is dict:
            if type(value) is dict:
                _collect(value, node, (*path, key), out, suspect_only)
        elif node is LABELS:
            if type(value) is dict:
                _collect(value, dict.fromkeys(value, TEXT), (*path, key), out, suspect_only)
        elif type(value) is list:
            _collect_items(value, node, (*path, key), out, suspect_only)


def _collect_items(items: list, node: tuple, path: tuple, out: list, suspect_only: bool) -> None:
    _, item_node, flat = node
    for index, item in enumerate(items):
        if flat is not None:  # steps: [{step, date, note}], the common case, without recursion
            if type(item) is dict:
                for key in flat:
                    text = item.get(key)
                    if type(text) is str and (not suspect_only or _HINT(text) or _ROLE(text)):
                        out.append(((*path, index, key), text))
        elif item_node is TEXT:
            if type(item) is str and (not suspect_only or _HINT(item) or _ROLE(item)):
                out.append(((*path, index), item))
        elif type(item) is dict and type(item_node) is dict:
            _collect(item, item_node, (*path, index), out, suspect_only)
        elif type(item) is dict and item_node is LABELS:
            _collect(item, dict.fromkeys(item, TEXT), (*path, index), out, suspect_only)
        elif type(item) is list and type(item_node) is tuple:
            _collect_items(item, item_node, (*path, index), out, suspect_only)


def _public_numbers(records: list[Record]) -> dict[str | None, frozenset[str]]:
    """Each community's contact phone, as digits without a country code."""
    numbers: dict[str | None, frozenset[str]] = {}
    for record in records:
        phone = (record.data.get("contact") or {}).get("phone") if record.kind == "community" else None
        if isinstance(phone, str):
            digits = re.sub(r"\D", "", phone)
            digits = digits[2:] if phone.strip().startswith("+86") else digits[4:] if digits.startswith("0086") else digits
            if digits:
                numbers[record.community] = frozenset({digits})
    return numbers


def _exceptions(record: Record) -> list[tuple[int, str, str]]:
    """(index, field, reason) of each well-formed privacy exception of a record."""
    items = record.data.get(EXCEPTIONS_FIELD) or []
    return [
        (index, re.sub(r"\s", "", item["field"]), item["reason"])
        for index, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("field"), str) and isinstance(item.get("reason"), str)
    ]


def _covers(exception: str, name: str) -> bool:
    """An exception names a field (`steps[2].note`) or a whole item around it (`steps[2]`)."""
    return name == exception or name.startswith(exception) and name[len(exception)] in ".["


def check_record(record: Record, problems: Problems, public_numbers: frozenset[str] = frozenset()) -> None:
    """Report the personal information of one record; its exceptions turn errors into warnings."""
    exceptions = _exceptions(record) if EXCEPTIONS_FIELD in record.data else []
    suppressed = [0] * len(exceptions)
    texts = record_texts(record, suspect_only=True)
    display = (record.data.get("submitter") or {}).get("display") if record.kind == "suggestion" else None
    if type(display) is str and not any(path == SUBMITTER_DISPLAY for path, _ in texts):
        texts.append((SUBMITTER_DISPLAY, display))  # a bare name passes the first look
    for path, text in texts:
        findings = scan_field(text, public_numbers, is_display=path == SUBMITTER_DISPLAY)
        if not findings:
            continue
        name = field_name(path)
        covering = [i for i, (_, field, _) in enumerate(exceptions) if _covers(field, name)]
        if covering:
            for i in covering:
                suppressed[i] += len(findings)
            continue
        seen: set[tuple[str, str]] = set()
        for finding in findings:
            if (finding.code, finding.found) not in seen:
                seen.add((finding.code, finding.found))
                if finding.certain:
                    problems.error(record.at(*path), finding.code, field=name, found=finding.found, masked=finding.masked)
                else:
                    problems.warning(record.at(*path), "privacy-uncertain", field=name, found=finding.found,
                                     masked=finding.masked, rule=finding.code)
    for (index, field, reason), count in zip(exceptions, suppressed):
        where = record.at(EXCEPTIONS_FIELD, index, "field")
        if count:
            problems.warning(where, "privacy-exception", field=field, reason=reason, count=count)
        else:
            problems.warning(where, "privacy-exception-unused", field=field)


def check_privacy(records: list[Record], problems: Problems) -> None:
    """Scan every free-text value of every record for personal information (see the module doc)."""
    public = _public_numbers(records)
    for record in records:
        check_record(record, problems, public.get(record.community, frozenset()))
