"""A deterministic generator of realistic case texts with every identifier marked.

Issue 18: the pipeline is measured on the project's own corpus, not on a
handful of tidy examples. ``generate()`` builds several hundred texts in the
registers caseworkers really write in — a formal 情况说明, visit notes, 12345
hotline notes, WeChat appeals (emoji, full-width punctuation), OCR'd forms
(stray spaces, line breaks inside numbers) and notes mixing English. Every
person is invented (random surname + given name), every number is made up
but carries a valid check digit where the real one has one, and places are
real Changchun districts and streets (matching/directory/data/
changchun-divisions.csv) with invented estates, roads numbers and shops.

Each text is a list of segments: plain strings (ordinary text that must
survive) and ``Mark(cls, value)`` identifiers. ``HOUSEHOLD_CLASSES`` must
reach 100 % recall, ``PASSING_CLASSES`` 90 %. New classes found in the wild
are added here as a new ``cls`` and a new phrasing, never by editing the
figures.

``evaluate(texts, deidentify)`` returns per-class recall, per-kind
precision, the share of ordinary text kept and the misses; the test
(test_deidentify_corpus.py) asserts the targets and bench/deidentify.py
prints the table for docs/deidentification.md.
"""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric

SEED = 18
TEXTS_PER_REGISTER = 70
DIVISIONS = Path(__file__).resolve().parents[3] / "matching/directory/data/changchun-divisions.csv"

HOUSEHOLD_CLASSES = (
    "name",
    "name_variant",
    "name_pinyin",
    "id_number",
    "phone",
    "phone_numerals",
    "phone_split",
    "bank_card",
    "document",
    "address",
    "compound",
    "birth_date",
    "age",
    "hospital",
    "bed",
    "school",
    "school_class",
    "employer",
    "plate",
    "qq",
    "wechat",
)
PASSING_CLASSES = ("name_passing",)
REGISTERS = ("情况说明", "走访记录", "12345热线", "微信求助", "OCR表单", "中英夹杂")


@dataclass(frozen=True)
class Mark:
    cls: str
    value: str


@dataclass
class CorpusText:
    register: str
    segments: list
    names: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(s.value if isinstance(s, Mark) else s for s in self.segments)

    def marks(self) -> list[tuple[str, int, int]]:
        """(class, start, end) of every identifier in the text."""
        spans, position = [], 0
        for segment in self.segments:
            value = segment.value if isinstance(segment, Mark) else segment
            if isinstance(segment, Mark):
                spans.append((segment.cls, position, position + len(value)))
            position += len(value)
        return spans


# --- invented people ---------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆范金石贾付白邹孟秦邱尹薛段侯史郝毛武康齐乔庞聂岳关佟隋"
)
GIVEN = (  # noqa: SIM905 - read and extended by people who read Chinese
    "秀兰 桂芝 淑芬 春娟 玉珍 凤英 丽娟 建军 建国 志刚 海燕 红梅 文博 子涵 欣怡 浩宇 艳珍 淑茹 "
    "德福 国庆 立新 永胜 晓东 雪梅 桂荣 凤霞 金凤 玉兰 振华 宝山 明辉 淑华 秀英 桂兰 玉梅 "
    "丽华 春生 长海 福林 铁柱 静怡 梓萱 一诺 雨桐 宇航 俊杰 晓燕 丽萍 凤琴 秀云 广才 "
    "敏 勇 军 静 磊 涛 强 娜 芳 丽 伟 刚 杰 鹏 霞 平"
).split()


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _pinyin(name: str, rng: random.Random) -> str:
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(name, style=Style.NORMAL)
    surname, given = syllables[0], "".join(syllables[1:])
    form = rng.randrange(4)
    if form == 0:
        return f"{surname.capitalize()} {given.capitalize()}"
    if form == 1:
        return f"{surname} {given}"
    if form == 2:
        return f"{given.capitalize()} {surname.capitalize()}"
    return f"{surname.upper()} {given.capitalize()}"


# --- numbers with valid check digits -------------------------------------------------


def _id_number(rng: random.Random, year: int, month: int, day: int) -> str:
    county = rng.choice(["02", "03", "04", "05", "06", "12", "22", "82"])
    body = f"2201{county}{year}{month:02d}{day:02d}{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body)


def _flat(rng: random.Random) -> str:
    """Building, unit and room: 12栋3单元502."""
    building, unit = rng.randrange(1, 30), rng.randrange(1, 7)
    return f"{building}栋{unit}单元{rng.randrange(1, 20)}0{rng.randrange(1, 4)}"


def _mobile(rng: random.Random) -> str:
    return rng.choice(["139", "138", "158", "186", "135", "150", "131", "177"]) + "".join(
        str(rng.randrange(10)) for _ in range(8)
    )


def _card(rng: random.Random) -> str:
    body = rng.choice(["622848", "621700", "622202", "623058"]) + "".join(
        str(rng.randrange(10)) for _ in range(12)
    )
    return body + luhn.calc_check_digit(body)


CN_DIGITS = "零一二三四五六七八九"


def _in_numerals(digits: str, rng: random.Random) -> str:
    spoken = "".join(CN_DIGITS[int(d)] for d in digits)
    if rng.random() < 0.5:
        spoken = spoken.replace("一", "幺")
    return spoken


def _cn_small(number: int) -> str:
    if number <= 10:
        return "零一二三四五六七八九十"[number]
    if number < 20:
        return "十" + CN_DIGITS[number % 10]
    return CN_DIGITS[number // 10] + "十" + (CN_DIGITS[number % 10] if number % 10 else "")


# --- places --------------------------------------------------------------------------


def _divisions():
    rows = list(csv.DictReader(DIVISIONS.open(encoding="utf-8")))
    districts = {r["code"]: r["name"] for r in rows if r["level"] == "district"}
    streets = [
        (districts[r["parent"]], r["name"])
        for r in rows
        if r["level"] == "street" and r["parent"] in districts and r["name"].endswith("街道")
    ]
    return sorted(streets)


ROADS = [
    "人民大街",
    "西安大路",
    "亚泰大街",
    "自由大路",
    "卫星路",
    "解放大路",
    "普阳街",
    "东盛大街",
    "同志街",
    "延安大街",
]
ESTATE_NAMES = [
    "锦江",
    "阳光",
    "盛世",
    "亚泰",
    "万科",
    "鸿城",
    "富苑",
    "华润",
    "长影",
    "春城",
    "紫荆",
    "明珠",
    "翠湖",
    "天富",
]
ESTATE_SUFFIXES = ["小区", "花园", "家园", "名苑", "丽景", "苑", "华庭", "新村", "嘉园"]
HOSPITALS = [
    "吉林大学第一医院",
    "吉大二院",
    "长春市中心医院",
    "省人民医院",
    "长春市儿童医院",
    "二道区人民医院",
]
DEPARTMENTS = ["心内科", "肾内科", "血液科", "骨科", "神经内科", "呼吸科"]
SCHOOL_NAMES = [
    "长春市第八中学",
    "朝阳区实验小学",
    "东北师大附中",
    "宽城区育才小学",
    "南关区树勋小学",
]
SHOPS = [
    ("红旗", "超市"),
    ("金豪", "洗浴中心"),
    ("长春宏达物流", "有限公司"),
    ("福满楼", "饭店"),
    ("欧亚", "超市"),
    ("鑫源", "洗浴中心"),
    ("吉运", "汽修厂"),
]
PROVINCE_PLATES = "吉吉吉吉辽黑"
ILLNESSES = ["尿毒症", "脑梗", "白血病", "糖尿病并发症", "肺癌", "股骨头坏死"]


# Ordinary text: words next to which detectors used to over-redact (午 after a
# place-like token, a relative's form of address, thresholds, dates, amounts).
ORDINARY = [
    "今天下午社工又来了一趟。",
    "他母亲腿脚不好，老伴也常年卧床。",
    "按政策，60岁以上老人可申请高龄补贴。",
    "年满60周岁后可以领取养老金。",
    "2026年11月3日前需补交材料。",
    "两三天内会有人联系。",
    "材料已一一核实。",
    "孩子今年上初三，成绩不错。",
    "去年住院3天，花了4200元。",
    "低保金每月580元，不够开销。",
    "社区网格员每周上门一次。",
    "医生说还要再观察一段时间。",
    "邻居们说这家人很本分。",
    "同事们凑了些钱。",
    "他说明天再去街道办问问。",
    "小区物业减免了取暖费。",
    "在附近超市买了米面油。",
    "女儿高中毕业后在外地打工。",
    "家里三口人挤在一间平房里。",
    "每天下午都要去医院换药。",
    "从2019年开始一直吃药。",
    "申请时已满18周岁。",
    "一九年以后就没有工作了。",
    "四十多岁的人找工作很难。",
    "老人七十多岁，耳朵背。",
    "三号楼的暖气去年修过。",
    "上午10点到12点在家。",
    "12345热线已转办。",
    "请尽快核实处理。",
    "王府井百货门口摆过摊。",
    "今天下午去小区看了看。",
    "他老伴在家属楼下等着。",
    "今天下午幼儿园放学早。",
    "他母亲去医院拿药。",
]


# --- one text --------------------------------------------------------------------


class _Writer:
    def __init__(self, rng: random.Random, register: str, streets):
        self.rng, self.register, self.streets = rng, register, streets
        self.segments: list = []
        self.names: list[str] = []
        self.addresses: list[str] = []

    def add(self, *parts):
        for part in parts:
            self.segments.append(part)

    # ordinary text is punctuated per register
    def comma(self):
        return "，" if self.register != "中英夹杂" else ", "

    def build(self) -> CorpusText:
        return CorpusText(self.register, self.segments, self.names, self.addresses)


def _birth_mark(rng, year, month, day) -> tuple[str, str, str]:
    """(text before, birth date, text after) in one of the written forms."""
    form = rng.randrange(7)
    if form == 0:
        return "", f"{year}年{month}月{day}日", "出生"
    if form == 1:
        return "出生日期：", f"{year}.{month}.{day}", ""
    if form == 2:
        return "", f"{year % 100:02d}年{month}月", "生"
    if form == 3:
        year_cn = "".join(CN_DIGITS[int(d)] for d in str(year))
        return "生于", f"{year_cn}年{_cn_small(month)}月{_cn_small(day)}日", ""
    if form == 4:
        return "出生于", f"{year}/{month:02d}/{day:02d}", ""
    if form == 5:
        return "", f"{year}年{month}月", "生人"
    return "出生年月：", f"{year}-{month:02d}", ""


def _phone_mark(w: _Writer, phone: str) -> Mark:
    rng = w.rng
    if w.register == "12345热线" and rng.random() < 0.6:
        return Mark("phone_numerals", _in_numerals(phone, rng))
    if w.register == "OCR表单" and rng.random() < 0.6:
        if rng.random() < 0.5:
            cut = rng.randrange(3, 9)
            return Mark("phone_split", phone[:cut] + "\n" + phone[cut:])
        return Mark("phone_split", " ".join(phone))
    if w.register == "微信求助" and rng.random() < 0.5:
        return Mark("phone", phone.translate({ord(d): chr(ord(d) + 0xFEE0) for d in "0123456789"}))
    if rng.random() < 0.3:
        return Mark("phone", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}")
    return Mark("phone", phone)


def _text(rng: random.Random, register: str, streets) -> CorpusText:
    w = _Writer(rng, register, streets)
    district, street = rng.choice(streets)
    head = _person(rng)
    w.names.append(head)
    spouse = _person(rng)
    if rng.random() < 0.7:
        w.names.append(spouse)
    year = rng.randrange(1940, 1990)
    month, day = rng.randrange(1, 13), rng.randrange(1, 29)
    age = 2026 - year
    phone = _mobile(rng)
    c = w.comma()
    sex = rng.choice("男女")

    # -- opening: who
    if register == "情况说明":
        w.add(
            "关于",
            Mark("name", head),
            "家庭申请临时救助的情况说明\n申请人",
            Mark("name", head),
            f"{c}{sex}{c}",
        )
    elif register == "走访记录":
        w.add(
            f"2026年{rng.randrange(1, 12)}月{rng.randrange(1, 28)}日下午，社区工作人员入户走访",
            Mark("name", head),
            "家。户主",
        )
    elif register == "12345热线":
        w.add("12345热线转办：市民", Mark("name", head), "来电反映，")
    elif register == "微信求助":
        w.add("🙏🙏求助！我是", Mark("name", head), "，")
    elif register == "OCR表单":
        w.add("姓 名：", Mark("name", head), f"  性 别：{sex}\n")
    else:
        w.add(
            "Case note: 申请人",
            Mark("name", head),
            " (",
            Mark("name_pinyin", _pinyin(head, rng)),
            "), ",
        )

    # -- birth date / age
    if rng.random() < 0.6:
        before, date, after = _birth_mark(rng, year, month, day)
        w.add(before, Mark("birth_date", date), after + c)
    else:
        form = rng.randrange(3)
        if form == 0:
            w.add("今年", Mark("age", f"{age}岁"), c)
        elif form == 1:
            w.add(Mark("age", f"{age}周岁"), c)
        else:
            w.add("现年", Mark("age", f"{_cn_small(age)}岁"), c)

    # -- ID number
    if rng.random() < 0.6:
        id_number = _id_number(rng, year, month, day)
        if register == "OCR表单" and rng.random() < 0.5:
            id_number = id_number[:10] + "\n" + id_number[10:]
        w.add(
            "身份证号：" if register != "中英夹杂" else "ID no. ", Mark("id_number", id_number), c
        )

    # -- address
    w.add(f"户籍{district}{street}")
    form = rng.randrange(3)
    if form == 0:
        road = rng.choice(ROADS)
        address = f"{road}{rng.randrange(1, 5000)}号" + _flat(rng) + "室"
        w.add(Mark("address", address), "。")
    elif form == 1:
        compound = rng.choice(ESTATE_NAMES) + rng.choice(ESTATE_SUFFIXES)
        w.add(
            Mark("compound", compound),
            Mark(
                "address",
                _flat(rng),
            ),
            "。",
        )
    else:
        compound = rng.choice(ESTATE_NAMES) + rng.choice(ESTATE_SUFFIXES)
        w.add(
            "，住在",
            Mark("compound", compound),
            "，离",
            rng.choice(["菜市场", "公交站", "社区服务中心"]),
            "不远。",
        )

    # -- illness, hospital, bed
    illness = rng.choice(ILLNESSES)
    if rng.random() < 0.6:
        w.add(
            "配偶",
            Mark("name", spouse) if spouse in w.names else Mark("name_passing", spouse),
            f"患{illness}，目前在",
        )
        w.add(
            Mark("hospital", rng.choice(HOSPITALS)),
            rng.choice(DEPARTMENTS),
            Mark("bed", f"{rng.randrange(1, 9)}病区{rng.randrange(1, 40)}床"),
            "住院，",
        )
        w.add(f"每月医药费约{rng.randrange(20, 90) * 100}元。")
    else:
        w.add(f"本人患{illness}多年，长期服药，他母亲和老伴都需要照顾。")

    # -- child at school
    if rng.random() < 0.5:
        child = _person(rng)
        grade = rng.randrange(1, 7)
        klass = rng.choice(
            [
                f"{grade}年{rng.randrange(1, 12)}班",
                f"初{'一二三'[rng.randrange(3)]}（{rng.randrange(1, 15)}）班",
                f"{'一二三四五六'[grade - 1]}年{'一二三四五'[rng.randrange(5)]}班",
            ]
        )
        w.add(
            "女儿" if rng.random() < 0.5 else "儿子",
            Mark("name_passing", child),
            "在",
            Mark("school", rng.choice(SCHOOL_NAMES)),
            Mark("school_class", klass),
            "读书，学费有困难。",
        )

    # -- work
    if rng.random() < 0.6:
        name, suffix = rng.choice(SHOPS)
        w.add(
            rng.choice(["此前在", "原在", "曾在"]),
            Mark("employer", name + suffix),
            rng.choice(["打工", "做保洁", "当收银员", "上班"]),
            "，",
            rng.choice(["今年下岗", "因病辞职", "去年被辞退"]),
            "。",
        )
    else:
        w.add("平时在超市打零工，三班倒，收入不稳定。")

    # -- neighbours and relatives in passing
    if rng.random() < 0.7:
        neighbour = _person(rng)
        while len(neighbour) < 3:
            neighbour = _person(rng)
        form = rng.randrange(6)
        if form == 5:
            # No cue at all: the hardest case, kept in the corpus on purpose.
            w.add("前几天找", Mark("name_passing", neighbour), "借过两千元。")
        elif form == 0:
            w.add(
                "邻居",
                Mark("name_passing", neighbour),
                "说他家",
                rng.choice(["暖气不热", "常年没人来看", "生活很困难"]),
                "。",
            )
        elif form == 1:
            w.add("亲戚", Mark("name_passing", neighbour), "偶尔送些米面。")
        elif form == 2:
            w.add(
                "。",
                Mark("name_passing", neighbour),
                rng.choice(["反映", "说", "介绍"]),
                "，该户情况属实。",
            )
        elif form == 3:
            w.add("楼下的同事", Mark("name_passing", neighbour), "帮忙垫付过药费。")
        else:
            w.add("另有一个叫", Mark("name_passing", neighbour), "的老乡帮忙。")

    # -- variants of the head's name later in the text
    surname, given = head[0], head[1:]
    form = rng.randrange(4)
    if form == 0 and len(given) >= 2:
        w.add(Mark("name_variant", given), "本人表示愿意配合核查。")
    elif form == 1:
        w.add("邻里都叫他", Mark("name_variant", "老" + surname), "，为人老实。")
    elif form == 2:
        w.add(Mark("name_variant", surname + "某"), "家中无其他收入来源。")
    else:
        w.add(Mark("name_variant", surname), "阿姨说今天下午还要去医院。")

    # -- documents, plates, contacts
    if rng.random() < 0.5:
        form = rng.randrange(5)
        if form == 0:
            w.add(
                "低保证号：",
                Mark(
                    "document",
                    f"绿民低〔{rng.randrange(2015, 2026)}〕{rng.randrange(1, 99999):05d}号",
                ),
                "。",
            )
        elif form == 1:
            w.add(
                "低保证号",
                Mark(
                    "document",
                    f"长绿低字第{rng.randrange(2015, 2026)}{rng.randrange(1, 999999):06d}号",
                ),
                "。",
            )
        elif form == 2:
            id_number = _id_number(rng, year, month, day)
            w.add(
                "残疾证号",
                Mark(
                    "document", id_number[:17] + "X" + f"{rng.randrange(1, 8)}{rng.randrange(1, 5)}"
                ),
                "，",
            )
        elif form == 3:
            w.add("住院号：", Mark("document", f"{rng.randrange(10**9, 10**10)}"), "，")
        else:
            w.add(
                "社保卡号",
                Mark("document", f"{'ABCDEFGH'[rng.randrange(8)]}{rng.randrange(10**7, 10**8)}"),
                "，",
            )
    if rng.random() < 0.25:
        plate = (
            rng.choice(PROVINCE_PLATES)
            + "A"
            + rng.choice(["·", "", "D"])
            + f"{rng.randrange(10000, 99999)}"
        )
        w.add("家里有一辆旧车，车牌", Mark("plate", plate), "，已报废。")
    if rng.random() < 0.2:
        w.add("银行卡号", Mark("bank_card", _card(rng)), "，")
    if rng.random() < 0.2:
        w.add(
            rng.choice(["Q号", "扣扣", "QQ："]), Mark("qq", str(rng.randrange(10**7, 10**10))), "，"
        )
    if rng.random() < 0.2:
        w.add(
            "微信号",
            Mark(
                "wechat",
                "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(6))
                + str(rng.randrange(10, 99)),
            ),
            "，",
        )
    contact = {"中英夹杂": "Tel: ", "12345热线": "来电号码", "微信求助": "我的电话："}.get(
        register, "联系电话"
    )
    w.add(contact, _phone_mark(w, phone), "。")

    # -- ordinary sentences that look like identifiers to a careless detector
    for sentence in rng.sample(ORDINARY, 3):
        w.add(sentence)

    # -- closing
    closing = {
        "情况说明": f"经{street}核实，该户符合临时救助条件，拟于2026年11月3日前发放救助金3800元。",
        "走访记录": "下一次走访定在下周三上午，两三天内把材料补齐。",
        "12345热线": "请相关部门于3个工作日内回复，60岁以上老人优先办理。",
        "微信求助": "谢谢大家🙏，好人一生平安！！",
        "OCR表单": "申请人签字：________  日期：2026年10月   ",
        "中英夹杂": "Follow-up next week，family needs 冬季取暖补贴 ASAP.",
    }[register]
    w.add(closing)
    return w.build()


def generate(seed: int = SEED, per_register: int = TEXTS_PER_REGISTER) -> list[CorpusText]:
    """The corpus: ``per_register`` texts in each register, the same for the same seed."""
    rng = random.Random(seed)
    streets = _divisions()
    return [_text(rng, register, streets) for _ in range(per_register) for register in REGISTERS]


# --- evaluation ------------------------------------------------------------------


@dataclass
class Evaluation:
    recall: dict[str, tuple[int, int]]  # class -> (found, total)
    precision: dict[str, tuple[int, int]]  # finding kind -> (on an identifier, total)
    kept: tuple[int, int]  # ordinary characters kept, ordinary characters
    misses: list[tuple[str, str, str]]  # (class, identifier, register)
    over: list[tuple[str, str]]  # (kind, ordinary text removed)

    def recall_of(self, classes) -> float:
        found = sum(self.recall.get(c, (0, 0))[0] for c in classes)
        total = sum(self.recall.get(c, (0, 0))[1] for c in classes)
        return found / total if total else 1.0

    @property
    def kept_share(self) -> float:
        return self.kept[0] / self.kept[1]


def evaluate(texts: list[CorpusText], deidentify) -> Evaluation:
    recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    precision: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    kept = [0, 0]
    misses, over = [], []
    for item in texts:
        text = item.text
        findings = deidentify(text, names=item.names, addresses=item.addresses).findings
        covered = bytearray(len(text))
        for finding in findings:
            covered[finding.start : finding.end] = b"\x01" * len(finding)
        identifier = bytearray(len(text))
        for cls, start, end in item.marks():
            identifier[start:end] = b"\x01" * (end - start)
            recall[cls][1] += 1
            if all(covered[i] or text[i].isspace() for i in range(start, end)):
                recall[cls][0] += 1
            else:
                misses.append((cls, text[start:end], item.register))
        for finding in findings:
            precision[finding.kind][1] += 1
            if any(identifier[finding.start : finding.end]):
                precision[finding.kind][0] += 1
            else:
                over.append((finding.kind, text[finding.start : finding.end]))
        for i, ch in enumerate(text):
            if not identifier[i] and not ch.isspace():
                kept[1] += 1
                kept[0] += not covered[i]
    return Evaluation(
        {k: tuple(v) for k, v in recall.items()},
        {k: tuple(v) for k, v in precision.items()},
        tuple(kept),
        misses,
        over,
    )


def table(evaluation: Evaluation) -> str:
    """The per-class table (Markdown) for docs/deidentification.md."""
    lines = ["| class | found | total | recall |", "|---|---:|---:|---:|"]
    for cls in (*HOUSEHOLD_CLASSES, *PASSING_CLASSES):
        found, total = evaluation.recall.get(cls, (0, 0))
        if total:
            lines.append(f"| `{cls}` | {found} | {total} | {found / total:.1%} |")
    lines += [
        "",
        "| finding kind | on an identifier | findings | precision |",
        "|---|---:|---:|---:|",
    ]
    for kind, (good, total) in sorted(evaluation.precision.items()):
        lines.append(f"| `{kind}` | {good} | {total} | {good / total:.1%} |")
    lines.append("")
    lines.append(
        f"Household identifiers: {evaluation.recall_of(HOUSEHOLD_CLASSES):.1%}; names in passing: "
        f"{evaluation.recall_of(PASSING_CLASSES):.1%}; ordinary text kept: "
        f"{evaluation.kept_share:.2%} ({evaluation.kept[0]} of {evaluation.kept[1]} characters)."
    )
    return "\n".join(lines)


def count_by_class(texts: list[CorpusText]) -> Counter:
    return Counter(cls for item in texts for cls, _, _ in item.marks())
