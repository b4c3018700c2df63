"""Write the seed corpus of the triage classifier (智能分拨种子语料): gongzhi/triage/data/corpus.jsonl.gz.

    python -m gongzhi.triage.data.make_corpus [--out FILE] [--per-category-train N] [--per-category-test N]

Deterministic: the same code writes the same bytes. Each record is one appeal as residents, grid workers and
12345 operators write them: ``{"id", "split", "text", "category", "subcategory", "tier", "template",
"ambiguous"}``. ``category`` is the first-level name of taxonomy.json, ``subcategory`` the second-level code.

Honest held-out data: the ``test`` split is built from different phrasings (phrases.py: ``-`` lines), different
openers, closers and asides than the ``train`` split, so held-out accuracy measures how the classifier does on
wording it has never seen. Label-independent noise (places, times, typos, colloquial particles, missing
punctuation, masked phone numbers) is shared. About 7% of the records are genuinely ambiguous: a second,
unrelated complaint from another category is appended (the label stays with the first, main complaint).

``duplicate_reports()`` builds the labelled set for duplicate detection: events (one matter at one place)
reported one to three times by different people in different words, within a few days.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
from pathlib import Path

from .phrases import PHRASES, parse

# ruff: noqa: S311 - deterministic, seeded randomness for synthetic text, not for security

DATA_DIR = Path(__file__).resolve().parent
TAXONOMY_PATH = DATA_DIR / "taxonomy.json"
CORPUS_PATH = DATA_DIR / "corpus.jsonl.gz"
SEED = 20261121
TRAIN_PER_CATEGORY = 360
TEST_PER_CATEGORY = 120

# ---- slot values (Fuzhou) ---------------------------------------------------------------------------------
ESTATES = [
    "南营巷小区", "横锦巷小区", "军门前小区", "老干部宿舍", "鼓东路宿舍", "冶山花园", "省府路小区", "军门新村",
    "东大路小区", "温泉新村", "华林苑", "屏东城", "福新花园", "金山碧水", "湖东花园", "五四新村", "白马苑",
    "达明大厦", "杨桥新村", "井大路小区",
]
ROADS = [
    "南营巷", "横锦巷", "鼓东路", "冶山路", "省府路", "东街", "庆城路", "东大路", "鼓屏路", "湖东路", "杨桥路",
    "八一七路", "华林路", "五四路", "温泉路", "福马路", "工业路", "白马路", "六一路", "井大路", "达明路",
    "古田路", "树汤路", "北环路", "屏东路", "晋安路",
]
SHOPS = ["沙县小吃", "烧烤店", "大排档", "火锅店", "麻辣烫店", "鱼丸店", "锅边糊店", "拌面扁肉店", "海鲜酒楼",
         "炸鸡店", "快餐店", "小炒店"]
STORES = ["超市", "便利店", "水果店", "家电城", "服装店", "手机店", "母婴店", "建材店"]
COMPANIES = ["某建筑公司", "某装修公司", "某物流公司", "某餐饮公司", "某科技公司", "某劳务公司", "某保洁公司"]
MONEY = ["2000元", "五千多块", "1.2万元", "三千块钱", "八千多元", "四万多", "6500元", "一万五"]
TIMES = ["晚上十一点", "凌晨两点", "半夜十二点", "早上六点", "凌晨一点多", "晚上十点半"]
RIVERS = ["晋安河", "白马河", "东西河", "琼东河", "光明港", "新店溪", "安泰河"]
MARKETS = ["东街菜市场", "鼓东农贸市场", "湖前菜市场", "井大菜市场", "屏西菜市场"]
SCHOOLS = ["鼓楼第一中心小学", "温泉小学", "军门幼儿园", "福州十九中", "屏东中学", "鼓楼实验小学"]
HOSPITALS = ["省立医院", "协和医院", "鼓楼医院", "东街街道社区卫生服务中心", "市一医院", "中医院"]
BUSES = ["1路", "20路", "52路", "K1路", "地铁1号线", "地铁2号线", "306路"]
VILLAGES = ["湖南村", "上洋村", "新店村", "林浦村", "洋里村", "营前村", "鹤上村"]
ATTRACTIONS = ["三坊七巷", "鼓山", "西湖公园", "上下杭", "烟台山", "于山"]
SURNAMES = ["林", "陈", "黄", "郑", "王", "李", "张", "刘", "吴", "杨"]
TITLES = ["先生", "女士", "阿姨", "大爷", "老伯", "师傅"]

# ---- frames: openers, asides and closers, written separately for each split --------------------------------
OPENERS = {
    "train": [
        "", "", "", "", "来电人反映：", "市民来电反映，", "来电人称，", "居民反映：", "网格员巡查发现：",
        "我是{estate}的居民，", "我家住在{estate}{bld}，", "你好，", "您好，我想反映一个问题，",
        "{surname}{title}来电反映，", "{road}附近，", "投诉：", "我要投诉，", "咨询：", "请问一下，",
    ],
    "test": [
        "", "", "", "", "市民诉求：", "有群众通过12345热线反映：", "居民在恳谈日上提出，", "匿名来信：",
        "民情日记：走访{estate}时，{surname}{title}说", "工单内容：来电人称其住在{road}一带，", "领导好，", "求助！",
        "反映一下，", "书记您好，", "居民信箱来信：", "{surname}{title}通过网上平台留言：", "诉求人表示，",
    ],
}
ASIDES = {
    "train": ["已经好几天了", "反映过好多次都没人管", "老人小孩都受影响", "实在受不了了", "找过物业也没用",
              "网格员来看过但是没解决", "这个问题存在很久了", "周围邻居意见都很大", "打过好几次电话"],
    "test": ["前前后后打了三次热线", "这事拖了大半年", "社区说不归他们管", "家里有病人需要休息", "大家都很有怨言",
             "之前答复说会处理但一直没动静", "一直没有得到解决", "我已经七十多岁了"],
}
CLOSERS = {
    "train": ["", "", "", "希望相关部门尽快处理。", "请尽快解决！", "麻烦管一管。", "望尽快回复。",
              "来电人诉求：请相关部门核实处理。", "谢谢！", "希望有人来看看。", "请帮忙协调。", "盼复。"],
    "test": ["", "", "", "恳请有关部门重视。", "诉求：尽快整改并答复。", "求求你们管管吧。", "请给个说法。",
             "希望早日解决，谢谢。", "期待回复！", "望核实处理为盼。", "请转相关单位办理。"],
}
WHEN = {
    "train": ["{month}月{day}日，", "这几天", "昨天晚上", "上周"],
    "test": ["最近", "这段时间", "今天早上", "{month}月份以来，"],
}
# Label-independent noise: common typos of hotline and phone-typed text, colloquial particles.
TYPOS = [("反映", "反应"), ("已经", "以经"), ("垃圾", "拉圾"), ("噪音", "燥音"), ("再次", "在次"), ("安装", "按装"),
         ("哪里", "那里"), ("的时候", "得时候"), ("一直", "一只"), ("麻烦", "麻繁")]
PARTICLES = ["啊", "呀", "哦", "嘛", "咯", "啦"]
# Training only: sentences around a category's words, as a terse work order or a catalogue would put them.
WORD_PATTERNS = ["{a}的问题", "反映{a}的问题", "{a}，{b}", "关于{a}和{b}的事", "{a}问题比较突出，{b}也需要处理",
                 "咨询{a}相关事宜", "{a}和{b}没人管", "投诉{a}", "我们这里{a}，还有{b}", "{a}问题反映多次未解决",
                 "{a}、{b}、{c}", "{a}{b}"]
WORDS_SHARE = 0.25  # of the training records


def taxonomy() -> dict:
    return json.loads(TAXONOMY_PATH.read_text(encoding="utf-8"))


def subcategories() -> dict[str, dict]:
    """Second-level code → {"code","name","tier","handler","items","category"}."""
    out = {}
    for cat in taxonomy()["categories"]:
        for child in cat["children"]:
            out[child["code"]] = {**child, "category": cat["name"]}
    return out


def catalogue_keywords() -> dict[str, list[str]]:
    """District catalogue item code → its keywords (gongzhi/appeals/data/default_catalogue.json)."""
    path = DATA_DIR.parent.parent / "appeals" / "data" / "default_catalogue.json"
    items = json.loads(path.read_text(encoding="utf-8"))["items"]
    return {i["code"]: list(i.get("keywords", [])) for i in items}


def templates() -> dict[str, dict[str, list[str]]]:
    """Second-level code → {"train": [...], "test": [...], "words": [...]}; every node has phrasings of both
    splits. ``words`` (training only): the block's ``*`` words and the catalogue keywords of its items."""
    subs = subcategories()
    missing = sorted(set(subs) - set(PHRASES))
    unknown = sorted(set(PHRASES) - set(subs))
    if missing or unknown:
        raise ValueError(f"phrases and taxonomy disagree: missing {missing}, unknown {unknown}")
    keywords = catalogue_keywords()
    out = {}
    for code, node in subs.items():
        train, test, words = parse(PHRASES[code])
        if not train or not test:
            raise ValueError(f"{code}: needs training and held-out phrasings")
        for item in node["items"]:
            words.extend(k for k in keywords.get(item, []) if k not in words)
        out[code] = {"train": train, "test": test, "words": words}
    return out


_SLOT = re.compile(r"\{(\w+)\}")


def slot_values(rng: random.Random) -> dict[str, str]:
    return {
        "estate": rng.choice(ESTATES),
        "road": rng.choice(ROADS),
        "bld": rng.choice([f"{rng.randint(1, 20)}号楼", f"{rng.randint(1, 30)}栋", f"{rng.randint(1, 12)}座"]),
        "shop": rng.choice(SHOPS),
        "store": rng.choice(STORES),
        "company": rng.choice(COMPANIES),
        "money": rng.choice(MONEY),
        "time": rng.choice(TIMES),
        "river": rng.choice(RIVERS),
        "market": rng.choice(MARKETS),
        "school": rng.choice(SCHOOLS),
        "hospital": rng.choice(HOSPITALS),
        "bus": rng.choice(BUSES),
        "village": rng.choice(VILLAGES),
        "attraction": rng.choice(ATTRACTIONS),
        "surname": rng.choice(SURNAMES),
        "title": rng.choice(TITLES),
        "floor": str(rng.randint(2, 30)),
        "month": str(rng.randint(1, 12)),
        "day": str(rng.randint(1, 28)),
    }


def fill(template: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: values[m.group(1)], template)


def _first_clause(text: str) -> str:
    return re.split(r"[，,。！？]", text, maxsplit=1)[0]


def noisy(text: str, rng: random.Random) -> str:
    """Label-independent noise: typos, particles, lost punctuation, repeated marks, masked phone numbers."""
    if rng.random() < 0.12:
        wrong = [(a, b) for a, b in TYPOS if a in text]
        if wrong:
            a, b = rng.choice(wrong)
            text = text.replace(a, b, 1)
    if rng.random() < 0.08:
        text = re.sub(r"[，。]", " ", text).strip()  # typed by voice or in a hurry
    if rng.random() < 0.08:
        text = text.rstrip("。！") + rng.choice(PARTICLES) + rng.choice(["！", "！！！", "。", "…"])
    if rng.random() < 0.04:
        text += f"联系电话：1{rng.choice('3589')}{rng.randint(0, 9)}****{rng.randint(0, 9999):04d}"
    return text


def compose(code: str, split: str, rng: random.Random, tmpl: dict, *, values: dict | None = None,
            phrasing: int | None = None, style: str = "") -> tuple[str, int]:
    """One appeal text of second-level ``code`` from ``split``'s phrasings; returns (text, phrasing index)."""
    phrasings = tmpl[code][split]
    index = rng.randrange(len(phrasings)) if phrasing is None else phrasing
    values = values or slot_values(rng)
    core = fill(phrasings[index], values)
    if split == "train" and phrasing is None and rng.random() < WORDS_SHARE:
        a, b, c = rng.sample(tmpl[code]["words"], 3)
        core, index = fill(rng.choice(WORD_PATTERNS), {"a": a, "b": b, "c": c}), -1
    style = style or rng.choices(["short", "bare", "framed", "double", "long"], [10, 22, 40, 13, 15])[0]
    if style == "short":
        text = _first_clause(core) if "，" in core else core
    elif style == "bare":
        text = core
    else:
        opener = fill(rng.choice(OPENERS[split]), values)
        when = fill(rng.choice(WHEN[split]), values) if rng.random() < 0.15 else ""
        body = core
        if style in ("double", "long") and len(phrasings) > 1:
            other = rng.choice([p for i, p in enumerate(phrasings) if i != index])
            body = f"{core}，{rng.choice(['而且', '另外', '还有', ''])}{fill(other, values)}"
        aside = rng.choice(ASIDES[split]) if style == "long" or rng.random() < 0.25 else ""
        closer = rng.choice(CLOSERS[split]) if style == "long" else rng.choice(CLOSERS[split][:8])
        text = f"{opener}{when}{body}" + (f"，{aside}" if aside else "") + "。" + closer
    return noisy(text, rng), index


def generate(*, train_per_category: int = TRAIN_PER_CATEGORY, test_per_category: int = TEST_PER_CATEGORY,
             seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    tmpl = templates()
    subs = subcategories()
    by_category: dict[str, list[str]] = {}
    for code, node in subs.items():
        by_category.setdefault(node["category"], []).append(code)
    categories = list(by_category)
    records: list[dict] = []
    for split, per_category in (("train", train_per_category), ("test", test_per_category)):
        seen: set[str] = set()
        for category in categories:
            made, attempts = 0, 0
            while made < per_category and attempts < per_category * 20:
                attempts += 1
                code = rng.choice(by_category[category])
                text, index = compose(code, split, rng, tmpl)
                ambiguous = rng.random() < 0.07
                if ambiguous:
                    other_category = rng.choice([c for c in categories if c != category])
                    other, _i = compose(rng.choice(by_category[other_category]), split, rng, tmpl,
                                        style=rng.choice(["short", "bare"]))
                    joint = rng.choice(["另外", "顺便说一下，", "还有就是", "再反映一个事，"])
                    text = f"{text.rstrip('。！')}。{joint}{other}"
                if text in seen:
                    continue
                seen.add(text)
                made += 1
                records.append({
                    "id": f"{split}-{len(records) + 1:05d}",
                    "split": split,
                    "text": text,
                    "category": category,
                    "subcategory": code,
                    "tier": subs[code]["tier"],
                    "template": f"{code}#{split}{index}",
                    "ambiguous": ambiguous,
                })
    return records


def write(records: list[dict], path: Path = CORPUS_PATH) -> None:
    buffer = io.BytesIO()
    # mtime=0 and no file name: the same records give the same bytes
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as fh:
        for r in records:
            fh.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def read(path: Path = CORPUS_PATH) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


ESTATES_PER_COMMUNITY = 6


def duplicate_reports(*, split: str = "test", events: int = 400, seed: int = SEED + 1,
                      window_days: int = 30) -> list[dict]:
    """A labelled set for duplicate detection: ``[{"event","text","subcategory","estate","bld","grid","level",
    "day"}]`` (``level``: the report names a building, only the estate, or only the community).

    One event is one matter at one place (a second-level category, an estate and a building, and the slot
    values: the same shop, the same road); it is reported one to three times, in different words (any of the
    split's phrasings, different openers and asides), by reports at most three days apart. Reports of the same
    event are duplicates of each other, every other pair is not. All events happen in one community of six
    estates (three grids, six buildings each) within ``window_days``, so many events share a building, an estate
    or a category with others — the hard negatives.
    """
    rng = random.Random(seed)
    tmpl = templates()
    codes = list(subcategories())
    estates = ESTATES[:ESTATES_PER_COMMUNITY]
    grids = {estate: f"grid{i % 3 + 1}" for i, estate in enumerate(estates)}
    out: list[dict] = []
    for event in range(events):
        code = rng.choice(codes)
        values = slot_values(rng)
        values["estate"] = rng.choice(estates)  # one community: six estates in three grids, six buildings each
        values["bld"] = f"{rng.randint(1, 6)}号楼"
        day = rng.randrange(window_days)
        reports = rng.choices([1, 2, 3], [50, 35, 15])[0]
        for _n in range(reports):
            text, _index = compose(code, split, rng, tmpl, values=values)
            if rng.random() < 0.6:  # most callers say where: the same estate, building or road
                forms = ["{estate}{bld}", "{estate}", "{road}附近", "{estate}{bld}楼下", "我们{estate}"]
                where = fill(rng.choice(forms), values)
                text = f"{where}，{text}" if rng.random() < 0.5 else f"{text.rstrip('。')}，地点：{where}。"
            out.append({
                "event": event,
                "text": text,
                "subcategory": code,
                "estate": values["estate"],
                "bld": values["bld"],
                "grid": grids[values["estate"]],
                # how precisely the report was placed: a building, only the estate, or only the community
                "level": rng.choices(["building", "estate", "community"], [60, 30, 10])[0],
                "day": day + rng.randint(0, 3),
            })
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(CORPUS_PATH))
    parser.add_argument("--per-category-train", type=int, default=TRAIN_PER_CATEGORY)
    parser.add_argument("--per-category-test", type=int, default=TEST_PER_CATEGORY)
    args = parser.parse_args(argv)
    records = generate(train_per_category=args.per_category_train, test_per_category=args.per_category_test)
    write(records, Path(args.out))
    counts: dict[str, int] = {}
    for r in records:
        counts[r["split"]] = counts.get(r["split"], 0) + 1
    print(json.dumps({"out": args.out, "records": len(records), **counts}, ensure_ascii=False))  # noqa: T201


if __name__ == "__main__":
    main()
