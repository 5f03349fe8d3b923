"""QR codes as inline SVG (segno): scanned from printed notices to open a page on the phone."""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from typing import Any

import segno
from markupsafe import Markup
from segno import consts, encoder
from xml.sax.saxutils import escape

# segno scores all eight mask patterns to pick the most readable one, in pure Python: 5 ms a
# code, minutes for a district's 20,000 suggestion pages. Every mask is valid for every reader;
# record pages take a fixed one, the printed notices keep the best.
FAST_MASK = 4
BORDER = 2
_M, _Q, _H = consts.ERROR_LEVEL_M, consts.ERROR_LEVEL_Q, consts.ERROR_LEVEL_H
_RUN = re.compile(r"[0\n]*1+")  # light modules and row ends, then a run of dark modules
_RUNS = re.compile(r"(?:[0\n]*1+){1,2}")  # two runs at a time: half the matches and look-ups


@functools.lru_cache(maxsize=4096)  # `ailin serve` renders a community again after each edit
def qr_svg(url: str, title: str, best_mask: bool = False) -> Markup:
    """A scalable QR code for `url`; medium error correction survives a creased paper notice."""
    mask = None if best_mask else FAST_MASK
    svg = _fast_svg(url, title, mask)
    return Markup(segno_svg(url, title, mask) if svg is None else svg)


def segno_svg(url: str, title: str | None, mask: int | None) -> str:
    """The code as segno makes and writes it: the reference `fixed_mask_svg` reproduces."""
    code = segno.make(url, error="m", micro=False, mask=mask)
    return code.svg_inline(scale=1, border=BORDER, omitsize=True, title=title, svgclass="ab-qr", lineclass=None)


def fixed_mask_svg(url: str, title: str | None) -> str | None:
    """`segno_svg(url, title, FAST_MASK)`, byte for byte, in a tenth of the time; None where
    `url` is not a single byte-mode segment (segno would pick numeric, alphanumeric or kanji)
    or fits no QR code (segno then raises).

    It follows what segno 1.6 does with exactly these options: the smallest version holding
    the bytes at level M, the level raised to Q or H while the bytes still fit (boost_error),
    no ECI header, a 0x00 codeword after the terminator before the 0xEC/0x11 pads (segno pads
    a whole byte when the stream is already byte-aligned). What does not depend on the data
    is taken once per version and level from segno's own functions (`_Symbol`); per URL
    remain the codewords, their Reed-Solomon words and one pass over the modules.
    """
    return _fast_svg(url, title, FAST_MASK)


def _fast_svg(url: str, title: str | None, mask: int | None) -> str | None:
    """`segno_svg(url, title, mask)` as `fixed_mask_svg` makes it; with no mask given, the one
    segno picks: the first of the eight with the lowest penalty, scored as segno scores it."""
    data, _, _ = encoder.data_to_bytes(url, None)  # latin-1, else Shift JIS, else UTF-8
    if encoder.find_mode(data) != consts.MODE_BYTE:
        return None
    version = bisect.bisect_left(_BYTES_AT_M, len(data)) + 1
    if version > 40:
        return None
    error = _M
    for level in (_Q, _H):
        if len(data) > _max_bytes(version, level):
            break
        error = level
    codewords = _symbol(version, error, FAST_MASK).codewords(data)  # the same under any mask
    if mask is None:
        mask = min(range(8), key=lambda m: _symbol(version, error, m).penalty(codewords))
    return _symbol(version, error, mask).svg(codewords, title)


def _max_bytes(version: int, error: int) -> int:
    """The longest byte-mode segment (mode indicator, character count, bytes) that fits."""
    count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][encoder.version_range(version)]
    return (consts.SYMBOL_CAPACITY[version][error] - 4 - count_bits) // 8


_BYTES_AT_M = [_max_bytes(version, _M) for version in range(1, 41)]


@functools.cache
def _symbol(version: int, error: int, mask: int) -> _Symbol:
    return _Symbol(version, error, mask)


# penalty N1: five or more modules of one colour in a line (one pattern each: a literal start
# lets the search skip ahead, three times faster than "0{5,}|1{5,}")
_LONG_RUNS = (re.compile("00000+"), re.compile("11111+"))
_FINDER_LIKE = "1011101"  # penalty N3: dark, light, three dark, light, dark


class _Symbol:
    """Everything about a (version, error level, mask) code that is the same for any data.

    Attributes:
        size: modules per side, without the quiet zone.
        blocks: (data words, error words) of each Reed-Solomon block, in order.
        interleave: picks the final codeword sequence out of the data words followed by
            every block's error words.
        bits: modules the codewords (and 0 to 7 remainder bits) fill.
        mask: the mask's bit at each of them, as an integer in codeword bit order.
        modules: picks the symbol, row by row with a "\\n" after each row, out of the
            masked codeword bits followed by "01\\n" (the fixed light and dark modules).
        scored_rows, scored_columns: pick the symbol as segno scores it, its format and
            version areas still light, row by row and column by column.
        moves: the SVG path text of each light-then-dark run (two at a time), filled as met.
    """

    def __init__(self, version: int, error: int, mask_number: int) -> None:
        self.size = size = encoder.calc_matrix_size(version)
        self.capacity = consts.SYMBOL_CAPACITY[version][error]
        self.count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][encoder.version_range(version)]
        self.blocks = [(ec.num_data, ec.num_total - ec.num_data) for ec in consts.ECC[version][error]
                       for _ in range(ec.num_blocks)]
        self.interleave = operator.itemgetter(*self._interleaving())
        codewords = sum(map(sum, self.blocks))
        # segno's own placement: run its functions on a matrix whose data modules receive
        # -1 - (bit index) instead of bits.
        matrix = tuple(map(list, encoder.make_matrix(size, size)))
        encoder.add_finder_patterns(matrix, size, size)
        encoder.add_alignment_patterns(matrix, size, size)
        self.bits = bits = sum(row.count(2) for row in matrix)
        assert 0 <= bits - 8 * codewords < 8, version  # the rest are remainder bits, 0
        encoder.add_codewords(matrix, range(-1, -bits - 1, -1), version)
        # segno scores a mask before it adds the format and version information
        self.scored_rows = operator.itemgetter(*self._sources(matrix))
        self.scored_columns = operator.itemgetter(*self._sources(tuple(zip(*matrix))))
        encoder.add_format_info(matrix, version, error, mask_number)
        encoder.add_version_info(matrix, version)
        masked = encoder.get_data_mask_functions(is_micro=False)[mask_number]
        mask = bytearray(bits)
        for i, row in enumerate(matrix):
            for j, module in enumerate(row):
                if module < 0:
                    mask[-1 - module] = masked(i, j)
        self.mask = int(bytes(mask).translate(bytes.maketrans(b"\0\1", b"01")), 2)
        self.modules = operator.itemgetter(*self._sources(matrix))
        self.moves = _Moves(size)

    def _sources(self, lines: Any) -> list[int]:
        """Where each module of `lines` (rows or columns) comes from in the masked codeword
        bits followed by "01\\n": a codeword bit, a fixed light or dark module, a line end."""
        bits = self.bits
        sources = []
        for line in lines:
            sources += [-1 - module if module < 0 else bits + module for module in line]
            sources.append(bits + 2)
        return sources

    def _interleaving(self) -> list[int]:
        """Where each final codeword comes from in data words + each block's error words:
        segno's make_final_message, a word from each block in turn, data then errors."""
        data_blocks, error_blocks = [], []
        data_start, error_start = 0, sum(data for data, _ in self.blocks)
        for data, errors in self.blocks:
            data_blocks.append(range(data_start, data_start + data))
            error_blocks.append(range(error_start, error_start + errors))
            data_start, error_start = data_start + data, error_start + errors
        columns = [*itertools.zip_longest(*data_blocks), *zip(*error_blocks)]
        return [index for column in columns for index in column if index is not None]

    def codewords(self, data: bytes) -> bytes:
        """The final message: data words as segno writes them, then the error words, interleaved."""
        length = 4 + self.count_bits + 8 * len(data)  # mode indicator, character count, bytes
        stream = (consts.MODE_BYTE << self.count_bits | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
        terminator = min(self.capacity - length, 4)
        padding = 8 - (length + terminator) % 8  # segno's write_padding_bits: 8 when aligned
        length += terminator + padding
        pads = self.capacity // 8 - length // 8
        words = (stream << terminator + padding).to_bytes(length // 8, "big") + (b"\xec\x11" * pads)[:pads]
        words = words[:self.capacity // 8]
        message, start = bytearray(words), 0
        for data_words, error_words in self.blocks:
            message += _reed_solomon(words[start:start + data_words], error_words)
            start += data_words
        return bytes(self.interleave(message))

    def _masked(self, codewords: bytes) -> str:
        """The codeword bits under the mask, and "01\\n" for the modules that are not data."""
        stream = int.from_bytes(codewords, "big") << (self.bits - 8 * len(codewords))
        return format(stream ^ self.mask, f"0{self.bits}b") + "01\n"

    def penalty(self, codewords: bytes) -> int:
        """segno's score of the code under this mask (its mask_scores: N1 + N2 + N3 + N4)."""
        source = self._masked(codewords)
        rows = "".join(self.scored_rows(source))
        lines = rows + "".join(self.scored_columns(source))
        size = self.size
        n1 = sum(len(run) - 2 for runs in _LONG_RUNS for run in runs.findall(lines))
        # N2: 3 for each 2x2 block of one colour, found in two rows at once as bits of integers
        same = (1 << size - 1) - 1  # bit k: modules k and k + 1 from the right end of a row
        n2, above = 0, None
        for row in map(functools.partial(int, base=2), rows.split()):
            if above is not None:
                n2 += 3 * (~(above ^ above >> 1) & ~(row ^ row >> 1) & ~(above ^ row) & same).bit_count()
            above = row
        n3 = 0
        for line in lines.split():
            at = line.find(_FINDER_LIKE)
            while at != -1:  # segno's n3_pattern_occurrences, light areas cut off at the edges
                end = at + 7
                if at in (0, size - 7) or "1" not in line[max(at - 4, 0):at] or "1" not in line[end:end + 4]:
                    n3 += 40
                else:
                    end = at + 4
                at = line.find(_FINDER_LIKE, end)
        percent = float(rows.count("1")) / (size ** 2)
        n4 = 10 * int(abs(percent * 100 - 50) / 5)
        return n1 + n2 + n3 + n4

    def svg(self, codewords: bytes, title: str | None) -> str:
        """segno's inline SVG: one path, a run of dark modules per "h", moves relative."""
        modules = "".join(self.modules(self._masked(codewords)))
        first = _RUN.match(modules)  # in the top row: the finder pattern starts it
        start = first.group().index("1")
        path = f"M{BORDER + start} {BORDER + .5}h{first.end() - start}"
        path += "".join(map(self.moves.__getitem__, _RUNS.findall(modules, first.end())))
        width = self.size + 2 * BORDER
        title_tag = "" if title is None else f"<title>{escape(title)}</title>"
        return f'<svg viewBox="0 0 {width} {width}" class="ab-qr">{title_tag}<path stroke="#000" d="{path}"/></svg>'


class _Moves(dict):
    """Path text for a run such as "000\\n0011": move from the end of the previous dark run
    (here 3 modules before the end of its row) to this one (2 in), then draw it (2 long).
    The keys are two runs at a time: half the look-ups, and the district's 20,200 codes hold
    12,000 different pairs."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __missing__(self, runs: str) -> str:
        self[runs] = text = "".join(map(self._move, _RUN.findall(runs)))
        return text

    def _move(self, run: str) -> str:
        light = run.rstrip("1")
        rows = light.count("\n")
        dx = len(light) if not rows else light.index("\n") + len(light) - light.rindex("\n") - 1 - self.size
        return f"m{dx} {rows}h{len(run) - len(light)}"


@functools.cache
def _generator_table(error_words: int) -> tuple[int, ...]:
    """For each leading coefficient, segno's generator polynomial times it, as one integer."""
    log, exp, generator = consts.GALIOS_LOG, consts.GALIOS_EXP, consts.GEN_POLY[error_words]
    return (0, *(int.from_bytes(bytes(exp[log[c] + g] for g in generator), "big") for c in range(1, 256)))


def _reed_solomon(data: bytes, error_words: int) -> bytes:
    """The error words of one block: segno's division, one shift register step per word."""
    table, top, full = _generator_table(error_words), 8 * (error_words - 1), (1 << 8 * error_words) - 1
    remainder = 0
    for word in data:
        remainder = (remainder << 8 & full) ^ table[(remainder >> top) ^ word]
    return remainder.to_bytes(error_words, "big")
