"""Synthetic content generator for benchmarks.

Writes a complete, valid content folder (see docs/format.md) of any size, deterministic for a
seed. The default sizes are the "district": 200 communities, 20,000 suggestions, 2,000
meetings and 1,000 projects, spread unevenly over the communities.

The text is plausible Chinese built from phrase lists and contains no personal data: no names
with honorifics, no door-level addresses and no digit runs longer than six, so a privacy scan
over it must stay silent. Numbers appear only as counts, amounts and dates.

Usage::

    python benchmarks/synthetic.py OUT_DIR [--communities N] [--suggestions M]
                                           [--meetings K] [--projects P] [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import struct
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

AS_OF = dt.date(2025, 12, 31)
FIRST_DAY = dt.date(2024, 1, 1)

Record = dict[str, Any]

# --------------------------------------------------------------------------------------------
# Vocabularies (English keys, as in docs/format.md and shared/DESIGN.md)
# --------------------------------------------------------------------------------------------

STEPS = ("accept", "investigate", "evaluate", "plan", "act", "supervise", "feedback", "score")
CHANNELS = (
    "suggestion_box", "courtyard_meeting", "deliberation_meeting", "secretary_reception",
    "door_visit", "wechat_column", "resident_group", "property_company", "hotline_12345",
    "other",
)
PRIORITIES = ("red", "orange", "yellow", "blue")
PRIORITY_WEIGHTS = (1, 3, 5, 6)
LEVELS = ("secretary", "committee", "grid", "micro_grid")
LEVEL_WEIGHTS = (1, 3, 5, 4)
MEETING_KINDS = ("deliberation", "courtyard", "five_party", "review_panel", "other")
MEETING_KIND_WEIGHTS = (6, 4, 2, 1, 1)
PROJECT_KINDS = ("micro_venture", "renovation", "service", "other")
PROJECT_KIND_WEIGHTS = (3, 4, 3, 1)
PROJECT_STATUSES = ("completed", "in_progress", "planned", "suspended")
PROJECT_STATUS_WEIGHTS = (11, 5, 2, 1)
FUNDING_SOURCES = (
    "community_fund", "guarantee_fund", "maintenance_fund", "property", "co_builders",
    "residents", "government", "charity", "other",
)
FUNDING_WEIGHTS = (6, 5, 2, 2, 3, 2, 3, 1, 1)

# Target statuses a suggestion is generated for; "closed_partial" is a closed suggestion whose
# decision is partially_adopted. The first entries of a board cycle through all of them.
TARGETS = (
    "new", "in_progress", "awaiting_score", "closed", "closed_partial", "declined",
    "duplicate", "referred",
)
TARGET_WEIGHTS = (6, 22, 10, 36, 7, 8, 4, 7)
RECENT_DAYS = 45  # suggestions received this close to as_of are mostly still open
COMMUNITIES_PER_STREET = 10

BOARD_EXTRA_CATEGORIES = {"culture": "文化活动"}
BOARD_EXTRA_FUNDING = {"charity": "慈善捐赠"}
DEFAULT_PRIORITIES: dict[str, Record] = {
    "red": {"label": "紧急重要", "respond_days": 1, "close_days": 7},
    "orange": {"label": "紧急", "respond_days": 3, "close_days": 15},
    "yellow": {"label": "重要", "respond_days": 7, "close_days": 30},
    "blue": {"label": "一般", "respond_days": 15, "close_days": 60},
}

# --------------------------------------------------------------------------------------------
# Phrase lists
# --------------------------------------------------------------------------------------------

COMMUNITY_HEADS = (
    ("金", "jin"), ("石", "shi"), ("东", "dong"), ("锦", "jin"), ("翠", "cui"), ("桂", "gui"),
    ("青", "qing"), ("玉", "yu"), ("红", "hong"), ("新", "xin"), ("光", "guang"),
    ("龙", "long"), ("凤", "feng"), ("白", "bai"), ("莲", "lian"), ("华", "hua"),
    ("清", "qing"), ("安", "an"), ("福", "fu"), ("和", "he"), ("双", "shuang"), ("万", "wan"),
    ("桃", "tao"), ("水", "shui"), ("沙", "sha"), ("望", "wang"), ("春", "chun"),
    ("柳", "liu"),
)
COMMUNITY_TAILS = (
    ("土", "tu"), ("牛堰", "niuyan"), ("湖", "hu"), ("江", "jiang"), ("林", "lin"),
    ("桥", "qiao"), ("苑", "yuan"), ("坝", "ba"), ("井", "jing"), ("塘", "tang"),
    ("院", "yuan"), ("河", "he"), ("园", "yuan"), ("岭", "ling"), ("泉", "quan"),
    ("溪", "xi"), ("街", "jie"), ("坪", "ping"), ("巷", "xiang"),
)
STREETS = (
    "东湖", "沙河", "春熙路", "书院街", "合江亭", "牛市口", "双桂路", "柳江", "成龙路",
    "狮子山", "锦官驿", "盐市口", "莲新", "三圣", "龙舟路", "望江路", "府南", "白莲池",
    "猛追湾", "双桥子", "驷马桥", "青龙", "桂溪", "肖家河", "玉林", "簇桥", "晋阳",
)
DISTRICTS = ("锦江区", "成华区", "武侯区", "青羊区", "金牛区", "高新区")
COMPOUND_HEADS = (
    ("书香", "shuxiang"), ("锦绣", "jinxiu"), ("翠竹", "cuizhu"), ("桂花", "guihua"),
    ("阳光", "yangguang"), ("和美", "hemei"), ("幸福", "xingfu"), ("滨江", "binjiang"),
    ("蓝天", "lantian"), ("紫荆", "zijing"), ("银杏", "yinxing"), ("芙蓉", "furong"),
    ("东篱", "dongli"), ("南苑", "nanyuan"), ("电力", "dianli"), ("纺织", "fangzhi"),
    ("机械", "jixie"), ("粮油", "liangyou"), ("邮电", "youdian"), ("教院", "jiaoyuan"),
    ("水文", "shuiwen"), ("建工", "jiangong"),
)
COMPOUND_TAILS = (
    ("云亭", "yunting"), ("花园", "huayuan"), ("家园", "jiayuan"), ("雅居", "yaju"),
    ("小区", "xiaoqu"), ("宿舍", "sushe"), ("院落", "yuanluo"), ("新村", "xincun"),
    ("名苑", "mingyuan"), ("公寓", "gongyu"), ("里", "li"), ("大院", "dayuan"),
)
IMPACTS = (
    "影响居民日常出行", "存在一定安全隐患", "老年居民反映强烈", "夜间通行很不方便",
    "雨天尤其明显", "周边住户意见较大", "已多次向物业反映未果", "小朋友玩耍时容易受伤",
    "给邻里关系带来不少矛盾",
)
ASKS = (
    "希望社区牵头协调解决", "建议尽快安排维修", "请物业和业委会共同商量办法",
    "建议纳入本月议事日讨论", "希望能听取更多居民的意见后再实施", "建议由网格员跟进督促",
)


@dataclass(frozen=True)
class Problem:
    """One kind of issue residents raise, with the matching action and project output."""

    category: str
    problem: str
    action: str
    project: str
    output: str
    units: tuple[str, ...]
    quantity: tuple[int, int]
    places: tuple[str, ...]  # where in a compound it happens; empty when nowhere in particular


PROBLEMS: tuple[Problem, ...] = (
    Problem("facilities", "楼道灯损坏", "更换楼道声控灯", "楼道点亮行动", "更换声控灯",
            ("盏", "个"), (10, 120), ("楼道", "单元门口", "地下车库")),
    Problem("facilities", "老旧楼栋没有电梯上下楼困难", "推进老旧楼栋加装电梯", "加装电梯",
            "加装电梯", ("部", "台"), (1, 6), ("老旧楼栋", "东侧楼栋")),
    Problem("facilities", "休闲座椅破损", "更换休闲座椅", "椅变新生", "更换座椅",
            ("张", "把"), (5, 80), ("中心花园", "休闲步道", "健身区")),
    Problem("parking", "停车难", "重新规划停车位", "停车秩序整治", "新增停车位",
            ("个",), (10, 90), ("主干道", "北门", "地下车库")),
    Problem("parking", "电瓶车充电难", "建设电瓶车集中充电棚", "安心充电棚", "新增充电口",
            ("个", "口"), (20, 120), ("非机动车棚", "楼道")),
    Problem("greenery", "绿化破坏", "补植绿化苗木", "添绿行动", "补植苗木",
            ("棵", "株"), (30, 400), ("绿化带", "中心花园", "围墙边")),
    Problem("greenery", "楼顶种菜", "清理楼顶菜地并建设共享花园", "屋顶微花园", "清理屋顶面积",
            ("平方米", "㎡", "m²", "平米", "m2"), (50, 900), ("屋顶平台",)),
    Problem("environment", "垃圾分类点设置不合理", "调整垃圾分类投放点", "分类新风尚", "改造分类亭",
            ("个", "处"), (1, 12), ("垃圾投放点", "南门入口")),
    Problem("environment", "雨污管道堵塞", "疏通改造雨污管网", "管网畅通工程", "疏通管道",
            ("米",), (50, 800), ("院坝", "主干道")),
    Problem("environment", "墙面脱落环境脏乱", "粉刷墙面整治环境", "院落焕新", "粉刷墙面",
            ("平方米", "㎡", "m²"), (100, 3000), ("围墙边", "楼道", "院坝")),
    Problem("safety", "艺术架锈蚀有安全隐患", "对艺术架进行改造升级", "艺架新颜", "改造艺术架",
            ("处", "个"), (1, 6), ("中心花园", "休闲步道")),
    Problem("safety", "消防通道被杂物占用", "清理消防通道杂物", "生命通道畅通行动", "清理杂物",
            ("吨",), (1, 30), ("消防通道", "楼道")),
    Problem("safety", "高空抛物隐患", "安装高空抛物监控", "守护头顶安全", "安装摄像头",
            ("个", "台"), (4, 40), ("东侧通道", "单元门口")),
    Problem("elderly_children", "缺少儿童活动场地", "建设儿童游乐区", "童趣乐园", "建成活动场地",
            ("平方米", "㎡", "m²"), (60, 600), ("中心花园", "院坝")),
    Problem("elderly_children", "老年人就餐不便", "开设长者助餐点", "邻里助餐", "提供助餐服务",
            ("人次",), (200, 6000), ()),
    Problem("property", "物业服务响应慢", "建立物业服务评价机制", "物业服务提升", "召开物业座谈会",
            ("场", "次"), (2, 12), ()),
    Problem("property", "电梯经常故障", "督促物业维修保养电梯", "电梯安心行动", "维修电梯",
            ("部", "台"), (1, 10), ("单元门口",)),
    Problem("housing_title", "房产证迟迟办不下来", "协调相关部门办理不动产权证", "产权办理帮办",
            "办理产权证", ("户",), (20, 600), ()),
    Problem("neighbour_relations", "宠物扰民", "制定文明养宠公约", "文明养宠", "开展宣传活动",
            ("场", "次"), (2, 20), ("中心花园", "休闲步道")),
    Problem("neighbour_relations", "楼上漏水引发邻里纠纷", "开展邻里调解", "和睦邻里", "调解纠纷",
            ("件", "起"), (3, 60), ()),
    Problem("services", "缺少便民维修点", "引入便民维修服务", "便民服务进院落", "开展便民服务",
            ("场", "次"), (4, 48), ("北门", "活动室")),
    Problem("services", "快递堆放混乱", "设置智能快递柜", "快递有家", "安装快递柜",
            ("组", "个"), (1, 8), ("北门", "南门入口", "单元门口")),
    Problem("other", "缺少公共议事空间", "打造院落议事空间", "议事小亭", "建成议事空间",
            ("处", "个"), (1, 4), ("院坝", "活动室")),
    Problem("culture", "缺少文化活动", "举办邻里文化节", "邻里文化节", "举办文化活动",
            ("场", "次"), (2, 24), ()),
)


def _round_robin(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    """Problems reordered to take one of each category in turn."""
    by_category: dict[str, list[Problem]] = {}
    for p in problems:
        by_category.setdefault(p.category, []).append(p)
    rounds = max(len(group) for group in by_category.values())
    return tuple(g[r] for r in range(rounds) for g in by_category.values() if r < len(g))


# The first suggestions of a board take one problem of each category in turn.
PROBLEM_CYCLE = _round_robin(PROBLEMS)

STEP_NOTES: dict[str, tuple[str, ...]] = {
    "accept": ("网格员登记", "意见箱开箱后登记", "微信专栏留言受理", "接待日现场受理",
               "下访时收集并登记"),
    "investigate": ("网格员现场查看", "入户走访听取意见", "召开院落坝坝会了解情况",
                    "会同物业实地踏勘"),
    "evaluate": ("社区两委评估可行性", "邀请专业机构评估", "议事会成员评估", "测算所需资金"),
    "plan": ("制定实施方案", "纳入本月议事清单", "明确责任人和完成时限", "方案在公示栏公示"),
    "act": ("施工队进场", "物业组织实施", "志愿者参与实施", "共建单位协助实施"),
    "supervise": ("居民监督小组现场督查", "社区组织验收", "网格员跟踪督办"),
    "feedback": ("在公示栏公布办理结果", "电话回访建议人", "在居民群通报结果", "上门反馈"),
    "score": ("居民满意度测评", "回访评分", "院落居民代表评分"),
}
DECLINE_REASONS = (
    "涉及改变公共部位用途，业主意见不一致",
    "所需资金超出社区基金承受范围，暂不具备实施条件",
    "经现场调研，现有设施仍可正常使用",
    "方案涉及结构安全，专业评估认为不宜实施",
    "多数居民在坝坝会上表示反对",
)
PARTIAL_REASONS = (
    "受场地限制，只能在部分区域实施",
    "资金有限，先实施第一期",
    "保留居民意见较一致的部分，其余继续协商",
    "部分内容属于物业合同范围，由物业另行办理",
)
REFERRAL_REASONS = (
    "属于职能部门职责范围",
    "涉及市政设施，需由主管部门处理",
    "超出社区职责范围，已按程序转办",
)
REFERRAL_BODIES = (
    "区住建局", "区城管局", "区交通运输局", "街道办事处", "供电公司", "自来水公司",
    "区市场监管局", "区规划和自然资源局", "燃气公司", "区卫健局",
)
DUPLICATE_REASONS = ("与此前建议内容相同，合并办理", "同一问题已受理，并入原建议跟踪")
MEETING_PLACES = (
    "{community}党群服务中心", "{community}议事厅", "{compound}院坝", "{compound}活动室",
    "{community}邻里中心",
)
MINUTES_OPENINGS = (
    "本次会议由社区党委主持，", "会议在院坝召开，", "会前在公示栏公示了议题，",
    "会议邀请物业、业委会和共建单位参加，",
)
RESOLUTION_TEXTS = {
    "agreed": ("同意{action}，由社区牵头落实", "同意{action}，请物业配合实施",
               "同意{action}，资金从社区基金列支"),
    "rejected": ("暂不实施{action}，向建议人说明原因", "不同意{action}，另行研究替代办法"),
    "deferred": ("{action}事项暂缓，待进一步征求意见后再议",
                 "{action}方案需补充测算，下次议事日再议"),
}
PHOTO_CAPTIONS = {
    "before": ("改造前", "实施前现场", "整治前"),
    "after": ("改造后", "完工后", "整治后"),
}


# --------------------------------------------------------------------------------------------
# Plan: the records of one board, before they are written
# --------------------------------------------------------------------------------------------


@dataclass
class Community:
    """A community and the records generated for it."""

    id: str
    name: str
    record: Record
    compounds: list[tuple[str, str]]
    channels: list[str]
    deliberation_day: int
    suggestions: list[Record] = field(default_factory=list)
    meetings: list[Record] = field(default_factory=list)
    projects: list[Record] = field(default_factory=list)
    media: list[str] = field(default_factory=list)


@dataclass
class Board:
    """A whole generated board: board.yaml plus its communities.

    Records may carry private keys starting with "_" (generator bookkeeping); they are never
    written.
    """

    record: Record
    communities: list[Community]

    def files(self) -> list[tuple[str, Record]]:
        """Every YAML record with its path relative to the content folder."""
        out: list[tuple[str, Record]] = [("board.yaml", self.record)]
        for c in self.communities:
            base = f"communities/{c.id}"
            out.append((f"{base}/community.yaml", c.record))
            out += [(f"{base}/suggestions/{s['id']}.yaml", s) for s in c.suggestions]
            out += [(f"{base}/meetings/{m['id']}.yaml", m) for m in c.meetings]
            out += [(f"{base}/projects/{p['id']}.yaml", p) for p in c.projects]
        return out


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split total into parts uneven non-negative integers (largest remainder method)."""
    if parts <= 0:
        return []
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(parts), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """A random date in [start, end]."""
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _pick(rng: random.Random, values: Sequence[str], weights: Sequence[int], index: int) -> str:
    """Cycle through values for the first len(values) indexes, then pick by weight."""
    if index < len(values):
        return values[index]
    return rng.choices(values, weights)[0]


# --- communities ---


def _make_communities(count: int, rng: random.Random) -> list[Community]:
    """Communities with unique names and ids, grouped into streets of a few districts."""
    pairs = [(h, t) for h in COMMUNITY_HEADS for t in COMMUNITY_TAILS]
    rng.shuffle(pairs)
    used_ids: set[str] = set()
    communities: list[Community] = []
    for i in range(count):
        (hz, hp), (tz, tp) = pairs[i % len(pairs)]
        round_no = i // len(pairs)
        name = f"{hz}{tz}" + ("" if round_no == 0 else "新城" * round_no)
        cid = f"{hp}{tp}" + ("" if round_no == 0 else f"-{round_no + 1}")
        base, n = cid, 2
        while cid in used_ids:
            cid, n = f"{base}-{n}", n + 1
        used_ids.add(cid)
        street_no = i // COMMUNITIES_PER_STREET
        street = STREETS[street_no % len(STREETS)] + "街道"
        district = DISTRICTS[(street_no // 4) % len(DISTRICTS)]
        communities.append(_make_community(cid, f"{name}社区", street, district, rng))
    return communities


def _make_community(
    cid: str, name: str, street: str, district: str, rng: random.Random
) -> Community:
    """One community record with its compounds, teams, channels and public contact."""
    heads = rng.sample(COMPOUND_HEADS, rng.randint(2, 6))
    compounds = [
        (f"{hp}-{tp}", f"{hz}{tz}")
        for (hz, hp), (tz, tp) in ((h, rng.choice(COMPOUND_TAILS)) for h in heads)
    ]
    channels = sorted(rng.sample(CHANNELS, rng.randint(4, len(CHANNELS))), key=CHANNELS.index)
    grid = rng.randint(4, 16)
    day = rng.choice((20, 20, 20, 15, 10, 25, 28))
    summary = (
        f"{name}隶属{street}，辖区有{len(compounds)}个小区（院落），"
        f"常住居民约{rng.randint(30, 260) * 100}人。\n\n"
        f"社区每月{day}日为“爱邻议事日”，通过“三单八步”工作法办理居民建议。\n"
    )
    record: Record = {
        "id": cid,
        "name": name,
        "street": street,
        "district": district,
        "summary": summary,
        "compounds": [{"id": k, "name": v} for k, v in compounds],
        "teams": {
            "secretary": 1,
            "committee": rng.randint(5, 12),
            "grid": grid,
            "micro_grid": grid * rng.randint(4, 9),
        },
        "channels": channels,
        "deliberation_day": day,
        "contact": {"address": f"{name}党群服务中心", "hours": "周一至周五 9:00-17:00"},
    }
    return Community(cid, name, record, compounds, channels, day)


# --- suggestions ---


def _target_status(rng: random.Random, index: int, received: dt.date) -> str:
    """The status a suggestion is generated for; recent ones are mostly still open."""
    if index < len(TARGETS):
        return TARGETS[index]
    if (AS_OF - received).days < RECENT_DAYS and rng.random() < 0.8:
        return rng.choice(("new", "in_progress", "in_progress"))
    return rng.choices(TARGETS, TARGET_WEIGHTS)[0]


def _step_names(target: str, rng: random.Random) -> list[str]:
    """Canonical-order step names for a target status, with some middle steps skipped."""
    if target == "new":
        return []
    if target in ("declined", "duplicate", "referred"):
        optional = [s for s in ("investigate", "evaluate", "feedback") if rng.random() < 0.5]
        return ["accept", *optional]
    if target == "in_progress":
        last = rng.choice(STEPS[:6])
    elif target == "awaiting_score":
        last = "feedback"
    else:
        last = "score"
    names = list(STEPS[: STEPS.index(last) + 1])
    return [s for s in names if s in ("accept", last) or rng.random() > 0.15]


def _make_steps(
    names: list[str], received: dt.date, priority: str, rng: random.Random
) -> list[Record]:
    """Steps with non-decreasing dates from the received date, never after AS_OF."""
    respond: int = DEFAULT_PRIORITIES[priority]["respond_days"]
    day = received + dt.timedelta(days=rng.randint(0, respond + 1))
    steps: list[Record] = []
    for name in names:
        step: Record = {"step": name, "date": min(day, AS_OF)}
        if rng.random() < 0.65:
            step["note"] = rng.choice(STEP_NOTES[name])
        steps.append(step)
        day += dt.timedelta(days=rng.randint(0, 2 * respond + 3))
    return steps


def _make_title(where: str, problem: Problem, rng: random.Random) -> str:
    """A short title: where, sometimes the spot, and the problem."""
    spot = rng.choice(problem.places) if problem.places and rng.random() < 0.4 else ""
    return f"{where}{spot}{problem.problem}"


def _make_summary(compound: str, problem: Problem, rng: random.Random) -> str:
    """A two-paragraph Markdown summary of a suggestion."""
    place = rng.choice(problem.places) if problem.places else ""
    households = rng.randint(5, 200)
    first = f"{compound}{place}{problem.problem}，{rng.choice(IMPACTS)}，涉及约{households}户居民。"
    second = f"{rng.choice(ASKS)}，具体建议：{problem.action}。"
    if rng.random() < 0.3:
        second += f"\n\n- 居民已自发收集意见{rng.randint(5, 60)}条\n- {rng.choice(IMPACTS)}"
    return f"{first}\n\n{second}\n"


def _make_suggestions(c: Community, count: int, offset: int, rng: random.Random) -> None:
    """Fill c.suggestions with count suggestions received in 2024-2025, oldest first.

    offset is the number of suggestions made before on the board: the board's first ones cycle
    through every vocabulary value so that even a small board uses them all.
    """
    received = sorted(_day(rng, FIRST_DAY, AS_OF - dt.timedelta(days=3)) for _ in range(count))
    per_year: dict[int, int] = {}
    for j, day in enumerate(received):
        cycle = offset + j
        per_year[day.year] = per_year.get(day.year, 0) + 1
        problem = PROBLEM_CYCLE[cycle] if cycle < len(PROBLEM_CYCLE) else rng.choice(PROBLEMS)
        priority = _pick(rng, PRIORITIES, PRIORITY_WEIGHTS, cycle)
        channel = CHANNELS[cycle] if cycle < len(CHANNELS) else rng.choice(c.channels)
        if channel not in c.channels:
            c.channels = sorted({*c.channels, channel}, key=CHANNELS.index)
            c.record["channels"] = c.channels
        target = _target_status(rng, cycle, day)
        compound_id, compound_name = rng.choice(c.compounds)
        with_compound = rng.random() < 0.85
        s: Record = {
            "id": f"{c.id}-{day.year}-{per_year[day.year]:03d}",
            "title": _make_title(compound_name if with_compound else c.name, problem, rng),
            "received": day,
            "channel": channel,
            "category": problem.category,
        }
        if with_compound:
            s["compound"] = compound_id
        s["priority"] = priority
        s["summary"] = _make_summary(compound_name if with_compound else "社区", problem, rng)
        if rng.random() < 0.12:
            s["submitter"] = {"display": rng.choice("王李张刘陈杨黄赵吴周") + "**", "consent": True}
        s["level"] = _pick(rng, LEVELS, LEVEL_WEIGHTS, cycle)
        s["steps"] = _make_steps(_step_names(target, rng), day, priority, rng)
        _decide(s, target, c.suggestions, rng)
        if s["steps"] and s["steps"][-1]["step"] == "score":
            s["satisfaction"] = _satisfaction(rng, s.get("decision") == "adopted")
        s["meetings"] = []
        s["projects"] = []
        s["_problem"] = problem
        c.suggestions.append(s)


def _decide(s: Record, target: str, earlier: list[Record], rng: random.Random) -> None:
    """Set decision and its reason, duplicate_of or referred_to for the target status."""
    reached = {step["step"] for step in s["steps"]}
    if target == "duplicate":
        originals = [e for e in earlier if e.get("decision") != "duplicate" and e["steps"]]
        if not originals:
            target = "declined"
        else:
            s["decision"] = "duplicate"
            s["reason"] = rng.choice(DUPLICATE_REASONS)
            s["duplicate_of"] = rng.choice(originals[-30:])["id"]
            return
    if target == "declined":
        s["decision"], s["reason"] = "declined", rng.choice(DECLINE_REASONS)
    elif target == "referred":
        s["decision"], s["reason"] = "referred", rng.choice(REFERRAL_REASONS)
        s["referred_to"] = rng.choice(REFERRAL_BODIES)
    elif reached & {"evaluate", "plan", "act", "supervise", "feedback", "score"}:
        if target == "closed_partial" or rng.random() < 0.12:
            s["decision"], s["reason"] = "partially_adopted", rng.choice(PARTIAL_REASONS)
        else:
            s["decision"] = "adopted"


def _satisfaction(rng: random.Random, adopted: bool) -> Record:
    """Satisfaction counts from the score step."""
    return {
        "satisfied": rng.randint(3, 40) if adopted else rng.randint(0, 15),
        "basically_satisfied": rng.randint(0, 12),
        "dissatisfied": rng.randint(0, 2) if adopted else rng.randint(0, 6),
    }


# --- meetings ---


def _meeting_dates(c: Community, count: int, rng: random.Random) -> list[dt.date]:
    """Meeting dates after the first handled suggestion, most on the monthly deliberation day."""
    handled = [s["received"] for s in c.suggestions if s["steps"]]
    start = (min(handled) if handled else FIRST_DAY) + dt.timedelta(days=3)
    dates = []
    for _ in range(count):
        day = _day(rng, start, AS_OF)
        if rng.random() < 0.6:
            moved = day.replace(day=c.deliberation_day)
            day = moved if start <= moved <= AS_OF else day
        dates.append(day)
    return sorted(dates)


def _pick_agenda(c: Community, date: dt.date, rng: random.Random) -> list[Record]:
    """Handled suggestions received before the meeting, at most two meetings each."""
    recent = date - dt.timedelta(days=120)
    pool = [
        s for s in c.suggestions
        if s["steps"] and s["received"] <= date and len(s["meetings"]) < 2
        and s.get("decision") not in ("duplicate", "referred")
    ]
    near = [s for s in pool if s["received"] >= recent] or pool
    return rng.sample(near, min(len(near), rng.randint(1, 6)))


def _resolution_class(s: Record) -> str:
    """The resolution decision that fits a suggestion's decision."""
    decision = s.get("decision")
    if decision in ("adopted", "partially_adopted"):
        return "agreed"
    return "rejected" if decision == "declined" else "deferred"


def _make_resolutions(agenda: list[Record], present: int, rng: random.Random) -> list[Record]:
    """One resolution per decision class on the agenda; a few items get none."""
    groups: dict[str, list[Record]] = {}
    for s in agenda:
        groups.setdefault(_resolution_class(s), []).append(s)
    resolutions: list[Record] = []
    for decision in ("agreed", "rejected", "deferred"):
        items = groups.get(decision, [])
        if not items or (decision == "deferred" and rng.random() < 0.3):
            continue
        action = items[0]["_problem"].action
        text = rng.choice(RESOLUTION_TEXTS[decision]).format(action=action)
        resolutions.append({
            "id": f"r{len(resolutions) + 1}",
            "text": text,
            "decision": decision,
            "votes": _votes(decision, present, rng),
            "suggestions": [s["id"] for s in items],
        })
    return resolutions


def _votes(decision: str, present: int, rng: random.Random) -> Record:
    """Votes that add up to at most the attendance and fit the decision."""
    share = {"agreed": (0.7, 0.95), "rejected": (0.1, 0.35), "deferred": (0.35, 0.55)}[decision]
    voters = rng.randint(max(1, present * 3 // 4), max(1, present))
    yes = round(voters * rng.uniform(*share))
    against = rng.randint(0, voters - yes)
    return {"for": yes, "against": against, "abstain": voters - yes - against}


def _attendance(kind: str, rng: random.Random) -> Record:
    """Attendance counts by group for a meeting kind."""
    if kind == "review_panel":
        return {"panel_members": rng.randint(5, 11), "officials": rng.randint(1, 4),
                "residents": rng.randint(3, 15)}
    if kind == "five_party":
        return {"residents": rng.randint(3, 12), "party_members": rng.randint(1, 5),
                "property": rng.randint(1, 3), "officials": rng.randint(1, 3),
                "volunteers": rng.randint(0, 4)}
    counts = {"residents": rng.randint(8, 60), "party_members": rng.randint(2, 12),
              "property": rng.randint(0, 3)}
    if rng.random() < 0.5:
        counts["volunteers"] = rng.randint(1, 10)
    return counts


def _make_meetings(c: Community, count: int, offset: int, rng: random.Random) -> None:
    """Fill c.meetings and link their agendas back from the suggestions."""
    seen: dict[str, int] = {}
    for k, date in enumerate(_meeting_dates(c, count, rng)):
        kind = _pick(rng, MEETING_KINDS, MEETING_KIND_WEIGHTS, offset + k)
        mid = f"{c.id}-meeting-{date.isoformat()}"
        seen[mid] = seen.get(mid, 0) + 1
        if seen[mid] > 1:
            mid += f"-{seen[mid]}"
        compound = rng.choice(c.compounds)[1]
        place = rng.choice(MEETING_PLACES).format(community=c.name, compound=compound)
        attendance = _attendance(kind, rng)
        agenda = _pick_agenda(c, date, rng)
        m: Record = {
            "id": mid,
            "kind": kind,
            "date": date,
            "place": place,
            "attendance": attendance,
            "agenda": [s["id"] for s in agenda],
            "resolutions": _make_resolutions(agenda, sum(attendance.values()), rng),
        }
        if rng.random() < 0.6:
            m["minutes"] = (
                f"{rng.choice(MINUTES_OPENINGS)}共有{sum(attendance.values())}人参加。\n\n"
                f"会议讨论了{len(agenda)}项居民建议，形成{len(m['resolutions'])}项决议。\n"
            )
        for s in agenda:
            s["meetings"].append(mid)
        c.meetings.append(m)


# --- projects ---


def _project_sources(c: Community) -> list[tuple[Record, Record, list[Record]]]:
    """(meeting, agreed resolution, its adopted suggestions) a project can carry out."""
    by_id = {s["id"]: s for s in c.suggestions}
    out = []
    for m in c.meetings:
        for r in m["resolutions"]:
            if r["decision"] == "agreed":
                out.append((m, r, [by_id[i] for i in r["suggestions"]]))
    return out


def _make_projects(c: Community, count: int, offset: int, rng: random.Random) -> None:
    """Fill c.projects from agreed resolutions and link them back from the suggestions."""
    sources = _project_sources(c)
    rng.shuffle(sources)
    adopted = [s for s in c.suggestions if s.get("decision") in ("adopted", "partially_adopted")]
    for k in range(count):
        pid = f"{c.id}-project-{k + 1:03d}"
        if sources:
            meeting, resolution, linked = sources[k % len(sources)]
            start_from: dt.date = meeting["date"]
            ref: str | None = f"{meeting['id']}#{resolution['id']}"
        else:  # degenerate sizes: no agreed resolution in this community
            linked = [rng.choice(adopted)] if adopted else []
            start_from = max((s["received"] for s in linked), default=FIRST_DAY)
            ref = None
        problem: Problem = linked[0]["_problem"] if linked else rng.choice(PROBLEMS)
        where = _compound_name(c, linked[0]) if linked else rng.choice(c.compounds)[1]
        p = _make_project(c, pid, where, problem, start_from, ref, offset + k, rng)
        p["suggestions"] = [s["id"] for s in linked]
        for s in linked:
            s["projects"].append(pid)
        c.projects.append(_order_project(p))


def _compound_name(c: Community, s: Record) -> str:
    """The name of a suggestion's compound, or of its community when it names none."""
    return dict(c.compounds).get(s.get("compound", ""), c.name.removesuffix("社区"))


def _make_project(
    c: Community, pid: str, where: str, problem: Problem, start_from: dt.date,
    resolution: str | None, cycle: int, rng: random.Random,
) -> Record:
    """One project record (without its suggestion links)."""
    started = _day(rng, start_from + dt.timedelta(days=5), start_from + dt.timedelta(days=60))
    started = min(started, AS_OF)
    status = _pick(rng, PROJECT_STATUSES, PROJECT_STATUS_WEIGHTS, cycle)
    completed = started + dt.timedelta(days=rng.randint(7, 120))
    if status == "completed" and completed > AS_OF:
        status = status if cycle < len(PROJECT_STATUSES) else "in_progress"
        completed = AS_OF
    p: Record = {
        "id": pid,
        "title": f"{where}{problem.project}",
        "kind": _pick(rng, PROJECT_KINDS, PROJECT_KIND_WEIGHTS, cycle),
        "status": status,
        "started": started,
    }
    if status == "completed":
        p["completed"] = completed
    if resolution:
        p["resolution"] = resolution
    p["funding"] = _funding(rng)
    low, high = problem.quantity
    p["outputs"] = [{"label": problem.output, "quantity": rng.randint(low, high),
                     "unit": rng.choice(problem.units)}]
    p["beneficiaries"] = {"households": rng.randint(20, 1500)}
    if rng.random() < 0.4:
        p["beneficiaries"]["people"] = rng.randint(50, 4000)
    if status == "completed" and rng.random() < 0.35:
        p["photos"] = [
            {"file": f"{pid}-{when}.png", "caption": rng.choice(PHOTO_CAPTIONS[when]), "when": when}
            for when in ("before", "after")
        ]
        c.media += [photo["file"] for photo in p["photos"]]
    p["summary"] = (
        f"针对居民反映的{problem.problem}问题，{problem.action}。\n\n"
        f"项目由社区、物业和居民代表共同推进，{rng.choice(ASKS[1:])}。\n"
    )
    return p


def _funding(rng: random.Random) -> list[Record]:
    """One to three funding lines in CNY, each under one million."""
    lines = rng.choices((1, 2, 3), (5, 3, 1))[0]
    sources: list[str] = []
    while len(sources) < lines:
        source = rng.choices(FUNDING_SOURCES, FUNDING_WEIGHTS)[0]
        if source not in sources:
            sources.append(source)
    return [{"source": s, "amount": rng.randint(5, 3000) * 100} for s in sources]


def _order_project(p: Record) -> Record:
    """Put the suggestion links after the dates, as people write them."""
    keys = ("id", "title", "kind", "status", "started", "completed", "suggestions",
            "resolution", "funding", "outputs", "beneficiaries", "photos", "summary")
    return {k: p[k] for k in keys if k in p}


def build(
    communities: int = 200, suggestions: int = 20000, meetings: int = 2000, projects: int = 1000,
    seed: int = 1,
) -> Board:
    """Plan a whole board in memory, deterministic for a seed."""
    rng = random.Random(seed)
    board_record: Record = {
        "title": "爱邻协商议事公示板（基准测试）",
        "language": "zh",
        "base_url": "https://example.org/ailin/",
        "region": "成都市",
        "as_of": AS_OF,
        "priorities": DEFAULT_PRIORITIES,
        "categories": BOARD_EXTRA_CATEGORIES,
        "funding_sources": BOARD_EXTRA_FUNDING,
    }
    comms = _make_communities(communities, rng)
    counts = zip(
        _split(suggestions, communities, rng), _split(meetings, communities, rng),
        _split(projects, communities, rng), strict=True,
    )
    done_s = done_m = done_p = 0
    for c, (n_s, n_m, n_p) in zip(comms, counts, strict=True):
        _make_suggestions(c, n_s, done_s, rng)
        _make_meetings(c, n_m, done_m, rng)
        _make_projects(c, n_p, done_p, rng)
        done_s, done_m, done_p = done_s + n_s, done_m + n_m, done_p + n_p
        for s in c.suggestions:  # links nobody made are left out, as people write them
            for key in ("meetings", "projects"):
                if not s[key]:
                    del s[key]
    return Board(board_record, comms)


# --------------------------------------------------------------------------------------------
# YAML writing: a small block-style emitter, much faster than yaml.safe_dump
# --------------------------------------------------------------------------------------------

_SPECIAL_START = set("-?:,[]{}#&*!|>'\"%@` ")
_YAML11_WORDS = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", "=", "<<",
}
_NUMBERISH = re.compile(r"[-+0-9.:_ eE]+|\.inf|\.nan", re.IGNORECASE)
_UNSAFE_BLOCK = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|: | #")
_UNSAFE_FLOW = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff,\\[\\]{}:#]")
_BREAKS = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")  # json.dumps leaves these as they are


def _is_plain(text: str, flow: bool) -> bool:
    """Whether text can be written as a plain YAML scalar and read back as the same string."""
    return bool(text) and not (
        text[0] in _SPECIAL_START
        or text[-1] in " :"
        or (_UNSAFE_FLOW if flow else _UNSAFE_BLOCK).search(text)
        or text.lower() in _YAML11_WORDS
        or _NUMBERISH.fullmatch(text)
    )


def _scalar(value: Any, flow: bool = False) -> str:
    """A scalar on one line: plain where safe, otherwise a double-quoted (JSON) string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    if _is_plain(text, flow):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _BREAKS.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _is_flat(value: Any) -> bool:
    """A mapping or list of scalars only, written in flow style on one line."""
    items = value.values() if isinstance(value, dict) else value
    return all(not isinstance(v, (dict, list)) and not (isinstance(v, str) and "\n" in v)
               for v in items)


def _flow(value: Record | list[Any]) -> str:
    """A flat mapping or list in flow style: {a: 1, b: x} or [x, y]."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_scalar(v, True)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_scalar(v, True) for v in value) + "]"


def _emit(mapping: Record, indent: int, lines: list[str]) -> None:
    """Append the block-style lines of a mapping; keys starting with "_" are private."""
    pad = " " * indent
    for key, value in mapping.items():
        if key.startswith("_"):
            continue
        if isinstance(value, (dict, list)) and (not value or _is_flat(value)):
            lines.append(f"{pad}{key}: {_flow(value)}")
        elif isinstance(value, dict):
            lines.append(f"{pad}{key}:")
            _emit(value, indent + 2, lines)
        elif isinstance(value, list):
            lines.append(f"{pad}{key}:")
            for item in value:
                if isinstance(item, dict) and not _is_flat(item):
                    sub: list[str] = []
                    _emit(item, indent + 4, sub)
                    sub[0] = f"{pad}  - {sub[0].lstrip()}"
                    lines += sub
                else:
                    text = _flow(item) if isinstance(item, dict) else _scalar(item)
                    lines.append(f"{pad}  - {text}")
        elif isinstance(value, str) and "\n" in value:
            lines.append(f"{pad}{key}: |")
            lines += [f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n")]
        else:
            lines.append(f"{pad}{key}: {_scalar(value)}")


def to_yaml(record: Record) -> str:
    """The YAML text of one record."""
    lines: list[str] = []
    _emit(record, 0, lines)
    return "\n".join(lines) + "\n"


def _png(rgb: tuple[int, int, int], width: int = 16, height: int = 12) -> bytes:
    """A small solid-colour PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def write(board: Board, out_dir: Path) -> int:
    """Write a planned board under out_dir; return the number of files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    for c in board.communities:
        base = out_dir / "communities" / c.id
        for sub in ("suggestions", "meetings", "projects"):
            (base / sub).mkdir(parents=True, exist_ok=True)
        if c.media:
            (base / "media").mkdir(exist_ok=True)
            for name in c.media:
                colour = (120, 150, 110) if name.endswith("-after.png") else (150, 140, 130)
                (base / "media" / name).write_bytes(_png(colour))
                written += 1
    for rel, record in board.files():
        (out_dir / rel).write_text(to_yaml(record), encoding="utf-8")
        written += 1
    return written


def generate(
    out_dir: Path, communities: int = 200, suggestions: int = 20000, meetings: int = 2000,
    projects: int = 1000, seed: int = 1,
) -> None:
    """Generate a full content folder under out_dir (see the module docstring)."""
    write(build(communities, suggestions, meetings, projects, seed), Path(out_dir))


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description="Write a synthetic Ailin Board content folder.")
    parser.add_argument("out_dir", type=Path, help="content folder to write (created if missing)")
    parser.add_argument("--communities", type=int, default=200)
    parser.add_argument("--suggestions", type=int, default=20000)
    parser.add_argument("--meetings", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if min(args.suggestions, args.meetings, args.projects) < 0 or args.communities < 1:
        parser.error("sizes must be non-negative and --communities at least 1")
    if args.out_dir.exists() and any(args.out_dir.iterdir()):
        parser.error(f"{args.out_dir} is not empty")
    started = time.perf_counter()
    board = build(args.communities, args.suggestions, args.meetings, args.projects, args.seed)
    files = write(board, args.out_dir)
    print(f"wrote {files} files to {args.out_dir} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
