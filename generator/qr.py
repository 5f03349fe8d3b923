"""QR codes as inline SVG (segno): scanned from printed notices to open a page on the phone."""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re

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


@functools.lru_cache(maxsize=4096)  # `ailin serve` renders a community again after each edit
def qr_svg(url: str, title: str, best_mask: bool = False) -> Markup:
    """A scalable QR code for `url`; medium error correction survives a creased paper notice."""
    svg = None if best_mask else fixed_mask_svg(url, title)
    return Markup(segno_svg(url, title, None if best_mask else FAST_MASK) if svg is None else svg)


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
    symbol = _symbol(version, error)
    return symbol.svg(symbol.codewords(data), title)


def _max_bytes(version: int, error: int) -> int:
    """The longest byte-mode segment (mode indicator, character count, bytes) that fits."""
    count_bits = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][encoder.version_range(version)]
    return (consts.SYMBOL_CAPACITY[version][error] - 4 - count_bits) // 8


_BYTES_AT_M = [_max_bytes(version, _M) for version in range(1, 41)]


@functools.cache
def _symbol(version: int, error: int) -> _Symbol:
    return _Symbol(version, error)


class _Symbol:
    """Everything about a (version, error level, mask 4) code that is the same for any data.

    Attributes:
        size: modules per side, without the quiet zone.
        blocks: (data words, error words) of each Reed-Solomon block, in order.
        interleave: picks the final codeword sequence out of the data words followed by
            every block's error words.
        bits: modules the codewords (and 0 to 7 remainder bits) fill.
        mask: FAST_MASK's bit at each of them, as an integer in codeword bit order.
        modules: picks the symbol, row by row with a "\\n" after each row, out of the
            masked codeword bits followed by "01\\n" (the fixed light and dark modules).
        moves: the SVG path text of each light-then-dark run, filled as runs are met.
    """

    def __init__(self, version: int, error: int) -> None:
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
        encoder.add_format_info(matrix, version, error, FAST_MASK)
        encoder.add_version_info(matrix, version)
        masked = encoder.get_data_mask_functions(is_micro=False)[FAST_MASK]
        mask = bytearray(bits)
        sources = []
        for i, row in enumerate(matrix):
            for j, module in enumerate(row):
                if module < 0:
                    mask[-1 - module] = masked(i, j)
                    sources.append(-1 - module)
                else:
                    sources.append(bits + module)
            sources.append(bits + 2)
        self.mask = int(bytes(mask).translate(bytes.maketrans(b"\0\1", b"01")), 2)
        self.modules = operator.itemgetter(*sources)
        self.moves = _Moves(size)

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

    def svg(self, codewords: bytes, title: str | None) -> str:
        """segno's inline SVG: one path, a run of dark modules per "h", moves relative."""
        stream = int.from_bytes(codewords, "big") << (self.bits - 8 * len(codewords))
        bits = format(stream ^ self.mask, f"0{self.bits}b")
        runs = _RUN.findall("".join(self.modules(bits + "01\n")))
        first = runs[0]  # in the top row: the finder pattern starts it
        path = f"M{BORDER + first.index('1')} {BORDER + .5}h{len(first) - first.index('1')}"
        path += "".join(map(self.moves.__getitem__, runs[1:]))
        width = self.size + 2 * BORDER
        title_tag = "" if title is None else f"<title>{escape(title)}</title>"
        return f'<svg viewBox="0 0 {width} {width}" class="ab-qr">{title_tag}<path stroke="#000" d="{path}"/></svg>'


class _Moves(dict):
    """Path text for a run such as "000\\n0011": move from the end of the previous dark run
    (here 3 modules before the end of its row) to this one (2 in), then draw it (2 long)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __missing__(self, run: str) -> str:
        light = run.rstrip("1")
        rows = light.count("\n")
        dx = len(light) if not rows else light.index("\n") + len(light) - light.rindex("\n") - 1 - self.size
        self[run] = text = f"m{dx} {rows}h{len(run) - len(light)}"
        return text


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
