"""演示与规模数据 — what ``gongzhi seed`` builds before the apps add theirs.

Two profiles share one builder:

* ``junmen``: 福州市鼓楼区 → 东街街道 → 军门社区 as seed 000 describes it: 6 grids, 68 buildings, about 3,500
  households and 13,000 residents in plausible families, 16 resident units (plus merchants and social
  organisations), the frontline work list (seed 003), the five-level party organisation with 274 members
  in 15 branches (built by ``gongzhi.party.seeding``), departments, and the demo accounts.
* ``city``: Junmen plus N-1 communities of the same size across Fuzhou's districts and streets, with an
  account for every street, community and grid.

Everything random comes from ``random.Random`` seeded from ``--seed`` and the community's number, so two
runs with the same seed (and the same ``--today``) build the same people. Rows are written with
``bulk_create`` one community per transaction; ID numbers are valid (GB 11643 checksum) but fictitious,
unique across the whole run, and encrypted like every other ID number (``gongzhi.core.crypto``).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from faker.providers.person.zh_CN import Provider as ZhCnNames
from pypinyin import lazy_pinyin

from gongzhi.accounts.enums import Role
from gongzhi.accounts.models import Department, User
from gongzhi.accounts.services import assign_role, create_user
from gongzhi.core import crypto, idcard, masking, paths

from . import services
from .enums import MoveKind, PlaceKind, Relation, ResidentStatus, ResidentUnitKind, Tag
from .models import Household, Place, Resident, ResidentMove, ResidentTagging, ResidentUnit, WorkListEntry

PROFILES = ("junmen", "city")
DEMO_PASSWORD = "gongzhi-demo"  # noqa: S105 - published demo credential, demo data only
DEMO_ACCOUNTS = ["admin", "street", "secretary", "worker", "grid01", "grid02", "resident01", "resident02",
                 "dept01"]
MAX_COMMUNITIES = 500

# ---------------------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------------------

# Fuzhou's districts (GB/T 2260 codes) and their streets (街道), in the order communities are spread.
DISTRICTS: list[tuple[str, str, list[str]]] = [
    ("鼓楼区", "350102", ["东街街道", "南街街道", "温泉街道", "鼓东街道", "鼓西街道", "华大街道", "水部街道",
                        "五凤街道", "安泰街道"]),
    ("台江区", "350103", ["瀛洲街道", "后洲街道", "义洲街道", "新港街道", "上海街道", "苍霞街道", "茶亭街道",
                        "洋中街道", "鳌峰街道", "宁化街道"]),
    ("仓山区", "350104", ["仓前街道", "东升街道", "对湖街道", "临江街道", "三叉街街道", "上渡街道", "下渡街道",
                        "金山街道"]),
    ("晋安区", "350111", ["茶园街道", "王庄街道", "象园街道"]),
    ("马尾区", "350105", ["罗星街道"]),
    ("长乐区", "350112", ["吴航街道", "航城街道", "营前街道", "漳港街道"]),
]
URBAN_CODES = ["350102", "350103", "350104", "350105", "350111", "350112"]
# 闽侯 连江 罗源 闽清 永泰 平潭 福清
COUNTY_CODES = ["350121", "350122", "350123", "350124", "350125", "350128", "350181"]

COMMUNITY_STEMS = [
    "斗池", "庆城", "旗汛口", "观风亭", "光禄", "渡鸡口", "朱紫坊", "虎节", "冶山", "鼓屏", "钱塘", "东湖",
    "湖东", "省府", "狮子楼", "法海", "乌山", "北大", "树兜", "琴亭", "屏西", "西湖", "铜盘", "五四", "华林",
    "梅峰", "凤湖", "杨桥", "白马", "三角井", "帮洲", "双杭", "万寿", "对湖", "城门", "螺洲", "盖山", "马江",
    "鹤上", "首占", "鳌峰", "苍霞", "瀛洲", "隆平", "达明", "安泰", "南公", "洪塘", "江滨", "榕西", "福新",
    "紫阳", "长汀", "新店", "岳峰", "连洋", "象峰", "福兴", "后坂", "浦下", "凤坂", "工农", "六一", "新村",
    "桂香", "锦绣", "金港", "君临", "融侨", "南湖", "井大", "水部", "龙峰", "温泉", "怡山", "建新", "金鸡",
]
COMMUNITY_SUFFIXES = ["", "东", "西", "南", "北", "新", "中"]
LANES = ["南营巷", "横锦巷", "军门前", "鼓东路", "冶山路", "省府路", "东街", "庆城路", "东大路", "鼓屏路",
         "湖东路", "杨桥路", "八一七路", "华林路", "五四路", "温泉路", "福马路", "工业路", "白马路", "六一路",
         "井大路", "达明路", "古田路", "树汤路", "北环路", "屏东路", "晋安路", "连江路", "福新路", "江滨路"]
ESTATE_SUFFIXES = ["小区", "花园", "新村", "宿舍", "公寓", "苑", "大厦"]
JUNMEN_ESTATES = [  # per grid: (estate name, buildings)
    [("南营巷小区", 6), ("横锦巷小区", 5)],
    [("军门前小区", 6), ("老干部宿舍", 5)],
    [("鼓东路宿舍", 4), ("冶山花园", 4), ("省府路小区", 4)],
    [("庆城新村", 6), ("东街公寓", 5)],
    [("鼓屏大厦", 3), ("湖东苑", 7)],
    [("军门新村", 7), ("东大路小区", 6)],
]
GRID_NAMES = ["第一网格", "第二网格", "第三网格", "第四网格", "第五网格", "第六网格", "第七网格", "第八网格"]

# Surnames: Faker's zh_CN weights, with Fuzhou's own mix ("陈林半天下，黄郑满街走") laid over them.
_FUZHOU_SURNAMES = {"陈": 13.0, "林": 11.0, "黄": 6.0, "郑": 5.0, "王": 4.0, "张": 3.5, "吴": 3.0, "刘": 3.0,
                    "李": 3.0, "杨": 2.0, "何": 1.5, "魏": 1.2, "翁": 1.0, "郭": 1.2, "卓": 0.5, "江": 1.0}
SURNAMES = list(ZhCnNames.last_names)
SURNAME_WEIGHTS = [_FUZHOU_SURNAMES.get(s, w * 0.25) for s, w in ZhCnNames.last_names.items()]
# Given names by birth cohort, added to Faker's zh_CN first names.
_COHORT_GIVEN = {
    # (male, female)
    1940: (["建国", "国庆", "德华", "金水", "长生", "依弟", "福明", "祥春", "永福", "光明", "家森", "寿康"],
           ["秀英", "桂英", "玉兰", "淑珍", "依妹", "秀珍", "月娥", "美玉", "素琴", "凤英", "金花", "瑞华"]),
    1960: (["建军", "卫东", "志明", "国强", "建华", "文斌", "明辉", "振华", "立新", "永健", "学军", "春生"],
           ["海燕", "丽华", "红梅", "秀兰", "丽萍", "美华", "建英", "雪梅", "晓红", "春燕", "丽琴", "小青"]),
    1980: (["晓东", "俊杰", "志伟", "建斌", "文杰", "海峰", "少华", "清华", "榕生", "伟强", "振宇", "立峰"],
           ["丽娟", "婷婷", "晓燕", "雅琴", "晶晶", "丽芳", "小燕", "慧敏", "婉清", "雪芳", "静怡", "晓玲"]),
    2000: (["子涵", "浩然", "宇轩", "俊熙", "一鸣", "梓豪", "睿泽", "子墨", "宇航", "铭轩", "嘉诚", "思远"],
           ["梓萱", "欣怡", "一诺", "诗涵", "雨桐", "可馨", "梓涵", "语嫣", "思彤", "佳怡", "若曦", "紫琪"]),
}
_GENERATION_CHARS = "文建志国明秀丽晓少永学家金玉春德"

MOBILE_PREFIXES = ["130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156",
                   "158", "159", "177", "180", "181", "183", "185", "186", "187", "188", "189", "199"]

RESIDENT_UNITS = [  # (name, services)
    ("东街街道社区卫生服务中心", "家庭医生签约、老年人体检"), ("鼓楼区军门幼儿园", "学前教育"),
    ("鼓楼区东街小学", "义务教育、四点钟学校场地"), ("鼓楼区东街派出所军门警务室", "户籍、治安"),
    ("中国邮政福州东街口支局", "邮政、代缴费"), ("中国工商银行福州东街支行", "金融服务、反诈宣传"),
    ("中国建设银行福州鼓屏支行", "金融服务"), ("国网福州供电公司鼓楼营业厅", "用电报装、一户一表"),
    ("福州水务集团鼓楼营业所", "供水报装、一户一表"), ("鼓楼区图书馆东街分馆", "阅读、文化活动场地"),
    ("福建省榕城建筑设计院", "老旧小区改造咨询"), ("鼓楼区消防救援大队东街站", "消防检查、应急演练"),
    ("福州市第二医院东街门诊部", "义诊、健康讲座"), ("鼓楼区城市管理局东街中队", "市容管理"),
    ("福州东百商业管理有限公司", "错时共享停车"), ("中国移动福州鼓楼营业厅", "通信服务、老年手机"),
]
UNIT_SHAPES = [("街道社区卫生服务站", "家庭医生签约"), ("幼儿园", "学前教育"), ("小学", "义务教育"),
               ("派出所警务室", "户籍、治安"), ("邮政支局", "邮政"), ("农商银行支行", "金融服务"),
               ("供电营业厅", "用电报装"), ("消防救援站", "消防检查"), ("文化站", "文化活动场地"),
               ("中学", "教育"), ("国有物业公司", "物业服务"), ("城管中队", "市容管理"), ("医院门诊部", "义诊"),
               ("税务分局", "办税服务"), ("工商银行支行", "金融服务"), ("商场", "错时共享停车"),
               ("电信营业厅", "通信服务"), ("老年大学分校", "老年教育"), ("档案馆", "查档服务"),
               ("建筑设计院", "改造咨询"), ("自来水营业所", "供水报装"), ("人民法院法庭", "诉调对接")]
MERCHANTS = [  # (name, services) — 点单 services merchants offer residents
    ("军门菜市场", "生鲜、送菜上门"), ("同利肉燕老铺", "福州小吃"), ("依伯鱼丸店", "福州鱼丸、助餐"),
    ("东街口理发店", "理发、上门理发"), ("榕城便利店", "日用品、代收快递"), ("鼓屏五金店", "五金、上门维修"),
    ("百姓大药房东街店", "药品、血压测量"), ("好帮手家政服务部", "保洁、助浴、陪诊"), ("洁净洗衣店", "洗衣"),
    ("安心开锁服务部", "开锁换锁"), ("鲜果坊水果店", "水果"), ("茉莉花茶庄", "茶叶"), ("福州线面铺", "线面、干货"),
    ("老字号光饼店", "光饼"), ("阳光眼镜店", "验光配镜"), ("聚春园餐饮东街店", "餐饮、助餐"),
    ("快修电器维修部", "家电维修"), ("平安汽车服务站", "洗车、共享车位"), ("榕树下书店", "图书"),
    ("乐龄康复理疗馆", "康复理疗"), ("小巷裁缝铺", "裁缝、缝补"), ("诚信文印店", "复印、打印"),
    ("东街口花店", "鲜花"), ("邻里烘焙坊", "面包、糕点")]
SOCIAL_ORGANIZATIONS = [  # the first two are named in seed 000
    ("金太阳老年综合服务中心", "居家养老、助餐送餐"), ("鲲鹏青少年事务服务中心", "青少年服务、四点钟学校"),
    ("军门社区志愿者协会", "志愿服务、邻里探访"), ("阳光朵朵少儿托管中心", "少儿托管、课后服务"),
    ("榕城社会工作服务中心", "社工服务、困难群众帮扶"), ("东街夕阳红文艺队", "文体活动")]
WORKPLACES = ["鼓楼区财政局", "鼓楼区教育局", "福州市第一医院", "福建省气象局", "鼓楼区实验小学", "福州市税务局",
              "国网福州供电公司", "福建师范大学", "福州市自然资源和规划局", "鼓楼区人民法院", "福州日报社",
              "福建省图书馆", "鼓楼区卫生健康局", "福州市公安局鼓楼分局", "中国银行福建省分行", "福州大学"]
DEPARTMENTS = [  # district departments (职能部门 · 科室) that receive government matters
    ("城管局", "市容科"), ("城管局", "执法大队"), ("住建局", "物业科"), ("住建局", "房屋安全科"),
    ("生态环境局", "大气科"), ("生态环境局", "水生态科"), ("市场监管局", "食品安全科"),
    ("市场监管局", "消费者权益保护科"), ("民政局", "社会救助科"), ("民政局", "养老服务科"),
    ("卫生健康局", "疾病预防控制科"), ("教育局", "学前教育科"), ("人社局", "就业促进科"),
    ("园林中心", "绿化养护科"), ("水利局", "供排水科"), ("公安分局", "治安大队"), ("残联", "康复科"),
    ("退役军人事务局", "服务保障科"), ("交通运输局", "道路运输科"), ("应急管理局", "安全监管科")]
STREET_OFFICES = ["城建办", "综治办", "社区事务办", "便民服务中心"]
STAFF_DUTIES = [  # (position, duties) of community staff besides the grid workers (一线工作清单)
    ("社区党委书记、居委会主任", "主持社区党委、居委会全面工作；大党委联席会议；居民恳谈日"),
    ("社区党委副书记", "党员教育管理、在职党员报到、党员认领微心愿、志愿服务"),
    ("居委会副主任", "综治维稳、平安建设、矛盾纠纷调解、律师进社区"),
    ("社区工作者", "民政救助、低保审核、残疾人服务"),
    ("社区工作者", "社保医保、就业创业、退休人员管理"),
    ("社区工作者", "老龄工作、居家养老、一老一少服务"),
    ("社区工作者", "卫生健康、计生服务、老年人免费体检"),
    ("社区工作者", "城市管理、环境卫生、垃圾分类、老旧小区改造"),
    ("社区工作者", "退役军人服务、双拥工作、文化体育")]


# ---------------------------------------------------------------------------------------------------------
# What to build
# ---------------------------------------------------------------------------------------------------------


@dataclass
class CommunitySpec:
    """One community to build: its place in the city, its shape and its organisations."""

    index: int  # 0 = 军门社区
    district: str
    district_code: str
    street: str
    name: str
    estates: list[list[tuple[str, int]]]  # per grid: (estate name, number of buildings)
    households: int
    units: int
    merchants: int
    social_organizations: int
    party_members: int
    party_branches: int
    non_public_branches: int

    @property
    def buildings(self) -> int:
        return sum(n for grid in self.estates for _, n in grid)


def junmen_spec(scale: float = 1.0) -> CommunitySpec:
    """军门社区 as seed 000 gives it: 68 buildings, ~3,500 households, 16 units, 274 members in 15 branches."""
    return CommunitySpec(
        index=0, district="鼓楼区", district_code="350102", street="东街街道", name="军门社区",
        estates=JUNMEN_ESTATES, households=max(12, round(3500 * scale)), units=16, merchants=24,
        social_organizations=6, party_members=_scaled_members(274, scale, 15), party_branches=15,
        non_public_branches=8)


def _scaled_members(n: int, scale: float, branches: int) -> int:
    return n if scale >= 1 else max(2 * branches, round(n * scale))


def city_specs(n: int, *, seed: int, scale: float = 1.0) -> list[CommunitySpec]:
    """Junmen plus n-1 communities of about its size, spread over the streets of Fuzhou's districts."""
    streets = _interleaved_streets()
    per_street = max(8, -(-n // len(streets)))
    specs = [junmen_spec(scale)]
    used: dict[str, set[str]] = {"东街街道": {"军门社区"}}
    for i in range(1, n):
        rng = random.Random(f"gongzhi-city:{seed}:{i}")
        district, code, street = streets[i // per_street]
        names = used.setdefault(street, set())
        name = _community_name(rng, names)
        grids = rng.randint(5, 8)
        buildings = rng.randint(58, 78)
        estates = _estate_layout(rng, grids, buildings)
        branches = grids + rng.randint(3, 10)
        specs.append(CommunitySpec(
            index=i, district=district, district_code=code, street=street, name=name, estates=estates,
            households=max(12, round(rng.randint(3000, 4000) * scale)), units=rng.randint(10, 22),
            merchants=rng.randint(12, 24), social_organizations=rng.randint(3, 6),
            party_members=_scaled_members(rng.randint(200, 330), scale, branches), party_branches=branches,
            non_public_branches=rng.randint(2, min(9, branches - grids))))
    return specs


def _interleaved_streets() -> list[tuple[str, str, str]]:
    """Streets taken in turn from each district, so a few communities already span several districts."""
    out, depth = [], max(len(s) for _, _, s in DISTRICTS)
    for k in range(depth):
        for district, code, streets in DISTRICTS:
            if k < len(streets):
                out.append((district, code, streets[k]))
    return out


def _community_name(rng: random.Random, taken: set[str]) -> str:
    for _ in range(200):
        stem, suffix = rng.choice(COMMUNITY_STEMS), rng.choice(COMMUNITY_SUFFIXES)
        name = f"{stem}{suffix}社区"
        if name not in taken and not (suffix and suffix in stem):
            taken.add(name)
            return name
    name = f"第{len(taken) + 1}社区"
    taken.add(name)
    return name


def _estate_layout(rng: random.Random, grids: int, buildings: int) -> list[list[tuple[str, int]]]:
    counts = [buildings // grids + (1 if g < buildings % grids else 0) for g in range(grids)]
    taken: set[str] = set()
    layout = []
    for count in counts:
        parts = []
        while count > 0:
            size = min(count, rng.randint(3, 8))
            parts.append(size)
            count -= size
        estates = []
        for size in parts:
            name = f"{rng.choice(LANES)}{rng.choice(ESTATE_SUFFIXES)}"
            while name in taken:
                name = f"{rng.choice(LANES)}{rng.choice(ESTATE_SUFFIXES)}"
            taken.add(name)
            estates.append((name, size))
        layout.append(estates)
    return layout


# ---------------------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=500_000)
def name_keys(name: str) -> tuple[str, str]:
    """services.name_keys, computed once per distinct name and with one pypinyin call instead of two.

    FIRST_LETTER style is the first letter of each NORMAL syllable, so the initials follow from the
    syllables (tests check the two agree).
    """
    syllables = lazy_pinyin(name, errors="ignore")
    return "".join(syllables).lower(), "".join(s[:1] for s in syllables).lower()


def given_name(rng: random.Random, *, male: bool, birth_year: int) -> str:
    """A given name of the person's generation: Faker's zh_CN names, cohort names, or a composed pair."""
    faker_pool = ZhCnNames.first_names_male if male else ZhCnNames.first_names_female
    cohort = max((y for y in _COHORT_GIVEN if y <= max(birth_year, 1940)), default=1940)
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(faker_pool)
    if roll < 0.75:
        return rng.choice(_COHORT_GIVEN[cohort][0 if male else 1])
    single = [g for g in faker_pool if len(g) == 1]
    return rng.choice(_GENERATION_CHARS) + rng.choice(single)


def surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]


def person_name(rng: random.Random, *, male: bool, birth_year: int) -> str:
    return surname(rng) + given_name(rng, male=male, birth_year=birth_year)


@dataclass
class Member:
    relation: str
    age: int
    male: bool
    surname: str
    tags: set[str] = field(default_factory=set)
    archived: str = ""  # "" / MoveKind.MOVE_OUT / MoveKind.DECEASED


def _family(rng: random.Random, *, tenant: bool) -> tuple[str, list[Member]]:
    """A plausible household: its kind and members (relation to the head, age, gender, surname)."""
    R = Relation
    fam = surname(rng)
    if tenant:
        kind = rng.choices(["tenant_family", "tenant_single", "shared"], [62, 13, 25])[0]
    else:
        kind = rng.choices(["elder_alone", "elder_couple", "single", "couple", "nuclear1", "nuclear2",
                            "three_gen_up", "three_gen_down", "siblings"],
                           [3, 6, 2, 2, 19, 22, 26, 18, 2])[0]

    def couple(age_lo: int, age_hi: int) -> list[Member]:
        age = rng.randint(age_lo, age_hi)
        head_male = rng.random() < 0.72
        head = Member(R.HEAD, age, head_male, fam)
        spouse = Member(R.SPOUSE, max(20, age + (-rng.randint(0, 5) if head_male else rng.randint(0, 5))),
                        not head_male, surname(rng))
        return [head, spouse]

    def children(parents: list[Member], n: int, relation: str = R.CHILD) -> list[Member]:
        mother_age = min(p.age for p in parents) if len(parents) > 1 else parents[0].age
        father = next((p for p in parents if p.male), parents[0])
        out = []
        for _ in range(n):
            age = mother_age - rng.randint(23, 34)
            if age >= 0:
                out.append(Member(relation, age, rng.random() < 0.51, father.surname))
        return out

    if kind == "elder_alone":
        members = [Member(R.HEAD, rng.randint(65, 96), rng.random() < 0.35, fam, {Tag.LIVING_ALONE})]
    elif kind == "elder_couple":
        members = couple(62, 88)
        for m in members:
            if m.age >= 60:
                m.tags.add(Tag.EMPTY_NESTER)
        if members[0].age >= 80 and rng.random() < 0.4:  # a live-in carer (保姆)
            members.append(Member(R.OTHER, rng.randint(40, 60), False, surname(rng)))
    elif kind in ("single", "tenant_single"):
        members = [Member(R.HEAD, rng.randint(21, 42), rng.random() < 0.55, fam)]
    elif kind == "couple":
        members = couple(24, 58)
    elif kind in ("nuclear1", "nuclear2", "tenant_family"):
        members = couple(29, 56) if kind != "tenant_family" else couple(25, 45)
        n = {"nuclear1": 1, "nuclear2": 2}.get(kind, rng.choice([1, 1, 2]))
        members += children(members, n)
    elif kind == "three_gen_up":
        members = couple(32, 55)
        members += children(members, rng.choice([1, 2, 2]))
        head = members[0]
        father_age = head.age + rng.randint(24, 34)
        if rng.random() < 0.7 and father_age <= 95:
            members.append(Member(R.PARENT, father_age, True, head.surname if head.male else head.surname))
        members.append(Member(R.PARENT, min(97, head.age + rng.randint(22, 32)), False, surname(rng)))
    elif kind == "three_gen_down":
        members = couple(58, 80)
        if rng.random() < 0.15:
            members = members[:1]
        son = Member(R.CHILD, max(24, members[0].age - rng.randint(24, 32)), True, fam)
        members.append(son)
        members.append(Member(R.CHILD_IN_LAW, max(22, son.age + rng.randint(-4, 2)), False, surname(rng)))
        for _ in range(rng.choice([1, 1, 2])):
            age = son.age - rng.randint(24, 33)
            if age >= 0:
                members.append(Member(R.GRANDCHILD, age, rng.random() < 0.51, son.surname))
    elif kind == "siblings":
        head = Member(R.HEAD, rng.randint(40, 75), rng.random() < 0.5, fam)
        members = [head, Member(R.SIBLING, max(30, head.age + rng.randint(-8, 8)), rng.random() < 0.5, fam)]
    else:  # shared rental
        members = [Member(R.HEAD, rng.randint(20, 35), rng.random() < 0.55, fam)]
        members += [Member(R.TENANT, rng.randint(19, 35), rng.random() < 0.55, surname(rng))
                    for _ in range(rng.randint(1, 4))]
    return kind, members


# ---------------------------------------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------------------------------------


RESIDENT_FIELDS = ["id", "household", "community", "path", "name", "name_pinyin", "name_initials", "gender",
                   "birth_date", "id_number_cipher", "id_number_hash", "id_number_masked", "id_last4",
                   "phone_cipher", "phone_hash", "phone_masked", "relation", "status", "moved_in_on",
                   "archived_at", "archive_reason", "created_at", "updated_at"]


@dataclass(slots=True)
class HouseholdRow:
    """A household as written (the bulk path does not build model instances)."""

    FIELDS = ["id", "building", "community", "path", "unit_no", "room_no", "floor_area", "is_owner_occupied",
              "created_at"]

    pk: int
    building_id: int
    community_id: int
    path: str
    unit_no: str
    room_no: str
    floor_area: Decimal
    is_owner_occupied: bool

    def values(self) -> tuple:
        ops = connection.ops
        return (self.pk, self.building_id, self.community_id, self.path, self.unit_no, self.room_no,
                ops.adapt_decimalfield_value(self.floor_area, 8, 2), self.is_owner_occupied,
                ops.adapt_datetimefield_value(timezone.now()))


@dataclass(slots=True)
class PersonRow:
    """A resident as written: what the party builder and the demo accounts need to know of them."""

    pk: int
    household_id: int
    path: str
    name: str
    birth_date: dt.date
    relation: str
    status: str

    def age(self, today: dt.date) -> int:
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))


class BulkWriter:
    """Plain multi-row INSERTs (COPY on PostgreSQL) with ids handed out here: the 1.3 M-resident path.

    Model instances and ``bulk_create`` cost more than the encryption; the rows here are tuples in
    the column order given. Ids come from ``max(id) + 1``; ``finish()`` moves PostgreSQL's sequences
    past them. Only for seeding an otherwise idle database.
    """

    def __init__(self):
        self.next: dict[type, int] = {}

    def ids(self, model, n: int) -> range:
        if model not in self.next:
            self.next[model] = (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        start = self.next[model]
        self.next[model] = start + n
        return range(start, start + n)

    def numbered(self, model, rows: list[tuple]) -> list[tuple]:
        ids = self.ids(model, len(rows))
        return [(pk, *row) for pk, row in zip(ids, rows, strict=True)]

    def insert(self, model, fields: list[str], rows: list[tuple], batch: int = 2000) -> None:
        if not rows:
            return
        qn = connection.ops.quote_name
        columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
        table = qn(model._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from model meta
            for i in range(0, len(rows), batch):
                cursor.executemany(sql, rows[i : i + batch])

    def finish(self) -> None:
        if connection.vendor != "postgresql" or not self.next:
            return
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.next)):
                cursor.execute(sql)


@dataclass
class BuiltCommunity:
    community: Place
    grids: list[Place]
    estates: list[Place]  # in grid order
    buildings: list[Place]
    households: list[HouseholdRow]
    merchants: list[ResidentUnit]
    units: list[ResidentUnit]


class CityBuilder:
    """Builds the place tree, households, residents, units and work lists community by community."""

    def __init__(self, *, seed: int, today: dt.date, log: Callable[[str], None]):
        self.seed = seed
        self.today = today
        self.log = log
        self.used_ids: set[int] = set()  # first 17 digits of every ID number handed out in this run
        self.writer = BulkWriter()
        self.districts: dict[str, Place] = {}
        self.streets: dict[tuple[str, str], Place] = {}

    # -- places -------------------------------------------------------------------------------------------

    def district(self, name: str, code: str) -> Place:
        if name not in self.districts:
            self.districts[name] = services.create_place(kind=PlaceKind.DISTRICT, name=name, code=code,
                                                         sort=len(self.districts) + 1)
        return self.districts[name]

    def street(self, district: Place, name: str) -> Place:
        key = (district.name, name)
        if key not in self.streets:
            n = sum(1 for d, _ in self.streets if d == district.name) + 1
            self.streets[key] = services.create_place(kind=PlaceKind.STREET, name=name, parent=district,
                                                      code=f"{district.code}{n:03d}", sort=n)
        return self.streets[key]

    def build_community(self, spec: CommunitySpec) -> BuiltCommunity:
        rng = random.Random(f"gongzhi:{self.seed}:{spec.index}")
        street = self.street(self.district(spec.district, spec.district_code), spec.street)
        n = Place.objects.filter(parent=street).count() + 1
        community = services.create_place(kind=PlaceKind.COMMUNITY, name=spec.name, parent=street,
                                          code=f"{street.code}{n:03d}", sort=n)
        grids, estates, buildings = self._place_tree(rng, community, spec)
        households = self._households(rng, community, buildings, spec.households)
        return BuiltCommunity(community, grids, estates, buildings, households, [], [])

    def _place_tree(self, rng, community: Place, spec: CommunitySpec):
        def child(kind, parent, i, name, **extra) -> Place:
            return Place(kind=kind, name=name, parent=parent, path=parent.path + paths.segment(i),
                         community_id=community.pk, sort=i, **extra)

        grids = [child(PlaceKind.GRID, community, g + 1, GRID_NAMES[g] if g < len(GRID_NAMES) else f"第{g + 1}网格")
                 for g in range(len(spec.estates))]
        Place.objects.bulk_create(grids)
        estates = [child(PlaceKind.ESTATE, grid, e + 1, name)
                   for grid, layout in zip(grids, spec.estates, strict=True) for e, (name, _) in enumerate(layout)]
        Place.objects.bulk_create(estates)
        sizes = [n for layout in spec.estates for _, n in layout]
        buildings = []
        for estate, size in zip(estates, sizes, strict=True):
            old = estate.name.endswith(("宿舍", "新村", "小区"))
            for b in range(size):
                style = rng.choices(["walkup", "mid", "high"], [78, 14, 8] if old else [40, 35, 25])[0]
                floors = {"walkup": rng.randint(5, 8), "mid": rng.randint(9, 12), "high": rng.randint(18, 30)}[style]
                buildings.append(child(PlaceKind.BUILDING, estate, b + 1, f"{b + 1}号楼", floors=floors,
                                       has_lift=style != "walkup" or rng.random() < 0.3))
        Place.objects.bulk_create(buildings)
        return grids, estates, buildings

    def _households(self, rng, community: Place, buildings: list[Place], target: int) -> list[HouseholdRow]:
        """Flats per building from its floors and entrances; ``target`` of them are occupied."""
        entrances = {b.pk: (1 if b.floors <= 8 else 2) + (rng.random() < 0.35) for b in buildings}
        per_floor = {b.pk: 2 if b.floors <= 12 else 4 for b in buildings}

        def capacity() -> int:
            return sum(b.floors * entrances[b.pk] * per_floor[b.pk] for b in buildings)

        while capacity() < target * 1.06:
            b = rng.choice(buildings)
            entrances[b.pk] += 1
        flats = [(b, e, f, k) for b in buildings for e in range(1, entrances[b.pk] + 1)
                 for f in range(1, b.floors + 1) for k in range(1, per_floor[b.pk] + 1)]
        # Every grid gets at least one household (the demo accounts live in grids 1 and 2), then at random.
        must, seen = [], set()
        for i, (b, _, _, _) in enumerate(flats):
            grid_path = b.path[: len(community.path) + paths.STEP]
            if grid_path not in seen:
                seen.add(grid_path)
                must.append(i)
        taken = set(must)
        others = [i for i in range(len(flats)) if i not in taken]
        chosen = sorted(must + rng.sample(others, max(0, target - len(must))))
        ids = self.writer.ids(Household, len(chosen))
        rows = []
        for pk, i in zip(ids, chosen, strict=True):
            b, e, f, k = flats[i]
            lo, hi = (42, 95) if b.floors <= 8 else (65, 125) if b.floors <= 12 else (78, 140)
            rows.append(HouseholdRow(pk=pk, building_id=b.pk, community_id=community.pk, path=b.path,
                                     unit_no=str(e), room_no=f"{f}{k:02d}",
                                     floor_area=Decimal(rng.randint(lo * 100, hi * 100)) / 100,
                                     is_owner_occupied=rng.random() < 0.8))
        self.writer.insert(Household, HouseholdRow.FIELDS, [h.values() for h in rows])
        return rows

    # -- residents ----------------------------------------------------------------------------------------

    def id_number(self, rng, *, region: str, birth: dt.date, male: bool) -> str:
        k = rng.randrange(500)
        for _ in range(500):
            first17 = f"{region}{birth:%Y%m%d}{2 * k + (1 if male else 0):03d}"
            key = int(first17)
            if key not in self.used_ids:
                self.used_ids.add(key)
                return first17 + idcard.check_char(first17)
            k = (k + 1) % 500
        raise RuntimeError("no free ID sequence number left")  # 500 people of one sex born on one day

    def phone(self, rng, age: int) -> str:
        if age < 16 or rng.random() > (0.96 if age < 70 else 0.7 if age < 80 else 0.45):
            return ""
        if age >= 70 and rng.random() < 0.5:
            return f"0591-8{rng.randrange(10**7):07d}"
        return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"

    def birth_date(self, rng, age: int) -> dt.date:
        return self.today - dt.timedelta(days=age * 365 + age // 4 + rng.randint(1, 364))

    def build_residents(self, spec: CommunitySpec, built: BuiltCommunity) -> list[PersonRow]:
        """Families in every household, with tags, move-in dates and a few archived members."""
        rng = random.Random(f"gongzhi-people:{self.seed}:{spec.index}")
        today = self.today
        people: list[PersonRow] = []
        rows: list[tuple] = []
        tags: list[tuple[int, str]] = []
        moves: list[tuple] = []
        local = spec.district_code
        date_value = connection.ops.adapt_datefield_value
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        encrypt, lookup_hash = crypto.encrypt, crypto.lookup_hash
        mask_id, mask_phone = masking.mask_id_number, masking.mask_phone
        next_id = self.writer.ids(Resident, 0).start
        for h in built.households:
            kind, members = _family(rng, tenant=not h.is_owner_occupied)
            migrant = not h.is_owner_occupied and rng.random() < 0.7
            low_income = rng.random() < 0.015
            head = members[0]
            if h.is_owner_occupied:
                earliest = max(dt.date(1985, 1, 1), self.birth_date(rng, head.age - 22))
            else:
                earliest = today - dt.timedelta(days=2000)
            span = max(1, (today - dt.timedelta(days=30) - earliest).days)
            household_in = earliest + dt.timedelta(days=rng.randrange(span))
            for pos, m in enumerate(members):
                birth = self.birth_date(rng, m.age)
                if migrant:
                    region = rng.choice(COUNTY_CODES)
                    m.tags.add(Tag.MIGRANT)
                elif m.age < 25 and rng.random() < 0.8:
                    region = local
                else:
                    region = rng.choices([local, rng.choice(URBAN_CODES), rng.choice(COUNTY_CODES)],
                                         [55, 25, 20])[0]
                number = self.id_number(rng, region=region, birth=birth, male=m.male)
                if low_income:
                    m.tags.add(Tag.LOW_INCOME)
                if rng.random() < (0.05 if m.age >= 60 else 0.012):
                    m.tags.add(Tag.DISABLED)
                if m.age < 18 and rng.random() < (0.3 if low_income else 0.003):
                    m.tags.add(Tag.SPECIAL_NEEDS_CHILD)
                if m.male and 40 <= m.age <= 85 and rng.random() < 0.03:
                    m.tags.add(Tag.VETERAN)
                if pos and rng.random() < 0.012:
                    m.archived = MoveKind.DECEASED if m.age >= 75 else MoveKind.MOVE_OUT
                name = m.surname + given_name(rng, male=m.male, birth_year=birth.year)
                pinyin, initials = name_keys(name)
                phone = self.phone(rng, m.age)
                moved_in = max(household_in, birth)
                pk = next_id + len(people)
                status, archived_at, reason = ResidentStatus.ACTIVE, None, ""
                moves.append((pk, MoveKind.MOVE_IN, date_value(moved_in), h.pk, "", now))
                if m.archived:
                    left = moved_in + dt.timedelta(days=rng.randrange(max(1, (today - moved_in).days)))
                    status = ResidentStatus.ARCHIVED
                    archived_at = connection.ops.adapt_datetimefield_value(
                        dt.datetime.combine(left, dt.time(9, 30), tzinfo=dt.UTC))
                    reason = "去世" if m.archived == MoveKind.DECEASED else f"迁出至{rng.choice(DISTRICTS)[0]}"
                    moves.append((pk, m.archived, date_value(left), h.pk, reason, now))
                rows.append((
                    pk, h.pk, h.community_id, h.path, name, pinyin, initials, "male" if m.male else "female",
                    date_value(birth), encrypt(number), lookup_hash(number), mask_id(number), number[-4:],
                    encrypt(phone) if phone else "", lookup_hash(phone) if phone else "", mask_phone(phone),
                    m.relation, status, date_value(moved_in), archived_at, reason, now, now))
                people.append(PersonRow(pk, h.pk, h.path, name, birth, m.relation, status))
                tags.extend((pk, t) for t in sorted(m.tags))
        self.writer.ids(Resident, len(people))
        self.writer.insert(Resident, RESIDENT_FIELDS, rows)
        self.writer.insert(ResidentTagging, ["id", "resident", "tag"], self.writer.numbered(ResidentTagging, tags))
        self.writer.insert(ResidentMove, ["id", "resident", "kind", "on", "household", "note", "created_at"],
                           self.writer.numbered(ResidentMove, moves))
        return people

    # -- organisations and the work list ------------------------------------------------------------------

    def build_units(self, rng, spec: CommunitySpec, built: BuiltCommunity) -> None:
        community = built.community
        junmen = spec.index == 0

        def address() -> str:
            return f"{rng.choice(LANES)}{rng.randint(1, 120)}号"

        def office_phone() -> str:
            return f"0591-8{rng.randrange(10**7):07d}"

        short = community.name.removesuffix("社区")
        if junmen:
            units = RESIDENT_UNITS[: spec.units]
        else:
            shapes = rng.sample(UNIT_SHAPES, spec.units)
            units = [(f"{short}{kind}", what) for kind, what in shapes]
        merchants = rng.sample(MERCHANTS, min(spec.merchants, len(MERCHANTS)))
        if not junmen:
            merchants = [(f"{name}（{short}店）" if i % 3 == 0 else name, what)
                         for i, (name, what) in enumerate(merchants)]
        socials = SOCIAL_ORGANIZATIONS[: spec.social_organizations]
        big = set(rng.sample(range(len(units)), len(units) // 2))
        rows = [ResidentUnit(community=community, kind=ResidentUnitKind.UNIT, name=name, address=address(),
                             contact_name=person_name(rng, male=rng.random() < 0.5, birth_year=rng.randint(1965, 1990)),
                             business_phone=office_phone(), services=what, in_big_party_committee=i in big)
                for i, (name, what) in enumerate(units)]
        rows += [ResidentUnit(community=community, kind=ResidentUnitKind.MERCHANT, name=name, address=address(),
                              contact_name=person_name(rng, male=rng.random() < 0.5,
                                                       birth_year=rng.randint(1960, 1995)),
                              business_phone=office_phone(), services=what) for name, what in merchants]
        rows += [ResidentUnit(community=community, kind=ResidentUnitKind.SOCIAL_ORGANIZATION, name=name,
                              address=address(), contact_name=person_name(rng, male=rng.random() < 0.4,
                                                                          birth_year=rng.randint(1970, 1995)),
                              business_phone=office_phone(), services=what) for name, what in socials]
        ResidentUnit.objects.bulk_create(rows)
        built.units = [r for r in rows if r.kind == ResidentUnitKind.UNIT]
        built.merchants = [r for r in rows if r.kind == ResidentUnitKind.MERCHANT]

    def build_work_list(self, rng, built: BuiltCommunity, staff: dict[str, User]) -> int:
        """一线工作清单: each staff member's duties, the buildings they cover and the merchants they link."""
        community = built.community
        phone = f"0591-8{rng.randrange(10**7):07d}"
        entries: list[tuple[WorkListEntry, list[Place], list[ResidentUnit]]] = []
        by_grid: dict[int, list[Place]] = {}
        for b in built.buildings:
            by_grid.setdefault(b.path[: len(community.path) + paths.STEP], []).append(b)
        grid_buildings = [by_grid.get(g.path, []) for g in built.grids]
        chunks = _split(built.buildings, len(STAFF_DUTIES) - 1)
        merchants = built.merchants
        for i, (position, duties) in enumerate(STAFF_DUTIES):
            user = staff.get("secretary") if i == 0 else staff.get("worker") if i == 3 else None
            name = (user.display_name if user else
                    person_name(rng, male=rng.random() < 0.4, birth_year=rng.randint(1968, 1996)))
            covered = [] if i == 0 else chunks[i - 1]
            linked = merchants[i * 2 % max(1, len(merchants)):][:2] if merchants else []
            entries.append((WorkListEntry(community=community, staff=user, staff_name=name, position=position,
                                          duties=duties, office_phone=phone, sort=i + 1), covered, linked))
        for g, grid in enumerate(built.grids):
            user = staff.get(f"grid{g + 1:02d}")
            name = user.display_name if user else person_name(rng, male=rng.random() < 0.5,
                                                             birth_year=rng.randint(1975, 1998))
            duties = f"{grid.name}：入户走访、民情日记、信息采集、隐患排查、诉求收集与上报"
            linked = merchants[g::max(1, len(built.grids))][:3]
            entries.append((WorkListEntry(community=community, staff=user, staff_name=name, position="网格员",
                                          duties=duties, office_phone=phone, sort=len(STAFF_DUTIES) + g + 1),
                            grid_buildings[g], linked))
        WorkListEntry.objects.bulk_create([e for e, _, _ in entries])
        Through = WorkListEntry.buildings.through
        Through.objects.bulk_create([Through(worklistentry_id=e.pk, place_id=b.pk) for e, bs, _ in entries for b in bs])
        MThrough = WorkListEntry.merchants.through
        MThrough.objects.bulk_create([MThrough(worklistentry_id=e.pk, residentunit_id=m.pk)
                                      for e, _, ms in entries for m in ms])
        return len(entries)


def _split(items: list, n: int) -> list[list]:
    size, rest = divmod(len(items), n)
    out, start = [], 0
    for i in range(n):
        end = start + size + (1 if i < rest else 0)
        out.append(items[start:end])
        start = end
    return out


# ---------------------------------------------------------------------------------------------------------
# Accounts and departments
# ---------------------------------------------------------------------------------------------------------


def build_departments(rng: random.Random, districts: list[Place], streets: list[Place]) -> dict[str, Department]:
    rows = []
    for d in districts:
        short = d.name.removesuffix("区")
        for name, office in DEPARTMENTS:
            rows.append(Department(name=f"{short}区{name}", office=office, place=d,
                                   phone=f"0591-8{rng.randrange(10**7):07d}"))
    for s in streets:
        for office in STREET_OFFICES:
            rows.append(Department(name=f"{s.name}办事处", office=office, place=s,
                                   phone=f"0591-8{rng.randrange(10**7):07d}"))
    Department.objects.bulk_create(rows)
    return {str(d): d for d in rows}


class Accounts:
    """Creates accounts through the accounts services, all with the demo password (hashed once)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.hash = make_password(DEMO_PASSWORD)
        self.users: dict[str, User] = {}

    def add(self, username: str, role: str, *, place=None, department=None, resident=None,
            display_name: str = "") -> User:
        name = display_name or person_name(self.rng, male=self.rng.random() < 0.5,
                                           birth_year=self.rng.randint(1968, 1998))
        user = create_user(username=username, password=None, display_name=name, resident=resident)
        assign_role(user=user, role=role, place=place, department=department)
        self.users[username] = user
        return user

    def finish(self) -> None:
        User.objects.filter(pk__in=[u.pk for u in self.users.values()]).update(password=self.hash)
        for u in self.users.values():
            u.password = self.hash


def _resident_in(grid: Place, people: list[PersonRow], today: dt.date) -> Resident:
    """A head of household of working age living in ``grid``, for the resident demo accounts."""
    here = [r for r in people if r.path.startswith(grid.path) and r.status == ResidentStatus.ACTIVE]
    heads = [r for r in here if r.relation == Relation.HEAD]
    chosen = next((r for r in heads if 30 <= r.age(today) <= 65), (heads or here)[0])
    return Resident.objects.get(pk=chosen.pk)


# ---------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------


def already_seeded() -> bool:
    return Place.objects.filter(kind=PlaceKind.COMMUNITY, name="军门社区", parent__name="东街街道").exists()


def counts() -> dict:
    from gongzhi.party.enums import OrganizationKind
    from gongzhi.party.models import InServiceRegistration, PartyMember, PartyOrganization

    place_kinds = {k: Place.objects.filter(kind=k).count() for k in PlaceKind.values}
    units = {k: ResidentUnit.objects.filter(kind=k).count() for k in ResidentUnitKind.values}
    return {
        "communities": place_kinds[PlaceKind.COMMUNITY],
        "districts": place_kinds[PlaceKind.DISTRICT],
        "streets": place_kinds[PlaceKind.STREET],
        "grids": place_kinds[PlaceKind.GRID],
        "estates": place_kinds[PlaceKind.ESTATE],
        "buildings": place_kinds[PlaceKind.BUILDING],
        "households": Household.objects.count(),
        "residents": Resident.objects.filter(status=ResidentStatus.ACTIVE).count(),
        "archived_residents": Resident.objects.filter(status=ResidentStatus.ARCHIVED).count(),
        "party_organizations": PartyOrganization.objects.count(),
        "party_branches": PartyOrganization.objects.filter(kind=OrganizationKind.BRANCH).count(),
        "party_members": PartyMember.objects.count(),
        "in_service_registrations": InServiceRegistration.objects.count(),
        "resident_units": units[ResidentUnitKind.UNIT],
        "merchants": units[ResidentUnitKind.MERCHANT],
        "social_organizations": units[ResidentUnitKind.SOCIAL_ORGANIZATION],
        "work_list_entries": WorkListEntry.objects.count(),
        "departments": Department.objects.count(),
    }


def _tune_connection() -> None:
    """Bulk loading: bigger page cache, no fsync per commit (a crashed seed is simply run again)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            if not connection.in_atomic_block:  # SQLite refuses these inside a transaction
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.execute("PRAGMA cache_size=-1048576")  # 1 GiB: the search indexes of a city stay in memory
            cursor.execute("PRAGMA wal_autocheckpoint=20000")  # fewer, larger checkpoints while loading
        elif connection.vendor == "postgresql":
            cursor.execute("SET synchronous_commit TO off")


def _analyze(log: Callable[[str], None]) -> None:
    """Fresh planner statistics after a bulk load: without them SQLite picks search plans blindly."""
    t0 = time.perf_counter()
    tables = [m._meta.db_table for m in (Place, Household, Resident, ResidentTagging)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"  # VACUUM: index-only scans
            for table in tables:
                cursor.execute(f"{verb} {connection.ops.quote_name(table)}")
        else:
            cursor.execute("ANALYZE")
    log(f"planner statistics refreshed in {time.perf_counter() - t0:.1f} s")


def run_seed(*, profile: str, seed: int = 1, communities: int = 1, scale: float = 1.0,
             today: dt.date | None = None, log: Callable[[str], None] = print, apps: bool = True) -> dict:
    """Build a profile and call every app's ``seed_demo`` (unless ``apps`` is False); return the counts."""
    from gongzhi.core.seeding import SeedContext, app_seeders
    from gongzhi.party import seeding as party_seeding

    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}")
    if not 1 <= communities <= MAX_COMMUNITIES:
        raise ValueError(f"communities must be between 1 and {MAX_COMMUNITIES}")
    if not 0 < scale <= 1:
        raise ValueError("scale must be in (0, 1]")
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date for ages
    started = time.perf_counter()
    if already_seeded():
        log("军门社区 is already in the database: nothing seeded (use --reset to start again).")
        found = set(User.objects.filter(username__in=DEMO_ACCOUNTS).values_list("username", flat=True))
        users = [u for u in DEMO_ACCOUNTS if u in found] if profile == "junmen" else User.objects.count()
        return {**counts(), "accounts": users, "skipped": True, "seconds": round(time.perf_counter() - started, 1)}

    specs = [junmen_spec(scale)] if profile == "junmen" else city_specs(communities, seed=seed, scale=scale)
    _tune_connection()
    builder = CityBuilder(seed=seed, today=today, log=log)
    accounts = Accounts(random.Random(f"gongzhi-accounts:{seed}"))
    committees: dict[int, object] = {}
    built_communities: list[Place] = []
    for spec in specs:
        t0 = time.perf_counter()
        with transaction.atomic():
            built = builder.build_community(spec)
            residents = builder.build_residents(spec, built)
            rng = random.Random(f"gongzhi-orgs:{seed}:{spec.index}")
            builder.build_units(rng, spec, built)
            staff = _community_accounts(accounts, spec, built, residents, today)
            builder.build_work_list(rng, built, staff)
            street = built.community.parent
            if street.pk not in committees:
                committees[street.pk] = party_seeding.build_working_committee(street=street)
            party = party_seeding.build_community_party(
                rng=rng, working_committee=committees[street.pk], community=built.community, grids=built.grids,
                estates=built.estates, buildings=built.buildings, residents=residents,
                households={h.pk: h for h in built.households}, members=spec.party_members,
                branches=spec.party_branches, non_public=spec.non_public_branches, junmen=spec.index == 0,
                today=today, make_name=lambda r, male, year: person_name(r, male=male, birth_year=year))
            builder.writer.insert(ResidentTagging, ["id", "resident", "tag"], builder.writer.numbered(
                ResidentTagging, [(pk, Tag.PARTY_MEMBER) for pk in party.resident_ids]))
        built_communities.append(built.community)
        log(f"[{spec.index + 1}/{len(specs)}] {spec.district}{spec.street}{spec.name}: {len(built.buildings)} 栋, "
            f"{len(built.households)} 户, {len(residents)} 人, 党员 {party.members} "
            f"({time.perf_counter() - t0:.1f} s)")

    builder.writer.finish()
    with transaction.atomic():
        departments = build_departments(random.Random(f"gongzhi-departments:{seed}"),
                                        list(builder.districts.values()), list(builder.streets.values()))
        _city_accounts(accounts, builder, departments, many=profile == "city")
        accounts.finish()
    log(f"places, people, party and {len(accounts.users)} accounts built in {time.perf_counter() - started:.1f} s")

    _analyze(log)
    ctx = SeedContext(profile=profile, rng=random.Random(seed), communities=built_communities,
                      users=accounts.users, today=today, log=log)
    extra: dict = {}
    for label, seed_demo in app_seeders() if apps else ():
        t0 = time.perf_counter()
        extra.update(seed_demo(ctx))
        log(f"{label}: seeded in {time.perf_counter() - t0:.1f} s")
    result = counts()
    result["accounts"] = [u for u in DEMO_ACCOUNTS if u in accounts.users] if profile == "junmen" \
        else len(accounts.users)
    result.update(extra)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _community_accounts(accounts: Accounts, spec: CommunitySpec, built: BuiltCommunity,
                        residents: list[PersonRow], today: dt.date) -> dict[str, User]:
    """Secretary, community worker and grid workers of a community (the demo names in Junmen)."""
    community = built.community
    if spec.index == 0:
        names = {"secretary": "secretary", "worker": "worker"}
        names.update({f"grid{g + 1:02d}": f"grid{g + 1:02d}" for g in range(len(built.grids))})
    else:
        names = {"secretary": f"secretary{spec.index + 1:03d}", "worker": f"worker{spec.index + 1:03d}"}
        names.update({f"grid{g + 1:02d}": f"grid{spec.index + 1:03d}-{g + 1:02d}" for g in range(len(built.grids))})
    staff = {
        "secretary": accounts.add(names["secretary"], Role.SECRETARY, place=community),
        "worker": accounts.add(names["worker"], Role.COMMUNITY_WORKER, place=community),
    }
    for g, grid in enumerate(built.grids):
        key = f"grid{g + 1:02d}"
        staff[key] = accounts.add(names[key], Role.GRID_WORKER, place=grid)
    if spec.index == 0:
        for n, grid in ((1, built.grids[0]), (2, built.grids[1])):
            resident = _resident_in(grid, residents, today)
            accounts.add(f"resident{n:02d}", Role.RESIDENT, place=community, resident=resident,
                         display_name=resident.name)
    return staff


def _city_accounts(accounts: Accounts, builder: CityBuilder, departments: dict[str, Department], *,
                   many: bool) -> None:
    """admin, the street officer of 东街街道, dept01; in the city profile an officer per street and district."""
    accounts.add("admin", Role.ADMIN, display_name="系统管理员")
    streets = list(builder.streets.values())
    accounts.add("street", Role.STREET_OFFICER, place=streets[0])
    handled = departments["鼓楼区城管局·市容科"]
    accounts.add("dept01", Role.DEPARTMENT_HANDLER, department=handled)
    if many:
        for i, district in enumerate(builder.districts.values(), start=1):
            accounts.add(f"district{i:02d}", Role.STREET_OFFICER, place=district)
        for i, street in enumerate(streets, start=1):
            accounts.add(f"street{i:02d}", Role.STREET_OFFICER, place=street)
