"""Word lists the detectors rely on, kept in one place for review.

Lists are written as space-separated text because they are read and extended
by people who read Chinese; ``words`` turns them into sets.
"""


def words(text: str) -> frozenset[str]:
    """The space-separated words of ``text``."""
    return frozenset(text.split())


def alternation(*word_sets: frozenset[str]) -> str:
    """A regex alternation of the words, longest first so that 外孙女 beats 外孙."""
    return "|".join(sorted(frozenset().union(*word_sets), key=lambda word: (-len(word), word)))


# --- numbers -----------------------------------------------------------------

# Province-level prefixes of resident ID numbers (11 Beijing … 82 Macao).
ID_PROVINCES = words(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82"
)

# --- names -------------------------------------------------------------------

# Two-character (and Manchu four-character) surnames: 欧阳明月 is 欧阳 + 明月.
COMPOUND_SURNAMES = words(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 "
    "独孤 南宫 西门 澹台 公冶 申屠 太史 闻人 百里 呼延 万俟 钟离 赫连 鲜于 司空 濮阳 "
    "淳于 单于 拓跋 完颜 爱新觉罗 叶赫那拉"
)

# Common single-character surnames (about 97% of the population), one per
# character. Used to recognise names the case file did not list.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔汤向常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申"
    "欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴"
    "蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟"
    "邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鄂殳"
)

# Surnames that are also everyday function words right after a kinship word
# (女儿和儿子, 儿子都在外地): not used to discover unlisted names.
AMBIGUOUS_SURNAMES = frozenset("和都来门国平海花强时明全成安云初相计支位满区原南")

# Words of address after a surname: 张阿姨, 李师傅, 王姐.
HONORIFICS = words(
    "阿姨 大爷 大妈 大娘 大姐 大哥 大叔 大婶 奶奶 爷爷 姥姥 姥爷 叔叔 婶婶 婶子 伯伯 "
    "师傅 老师 先生 女士 同学 大夫 医生 书记 主任 姐 哥 叔 婶 姨 伯"
)

KINSHIP_WORDS = words(
    "丈夫 妻子 爱人 配偶 老伴 前夫 前妻 儿子 女儿 儿媳 女婿 长子 次子 长女 次女 养子 养女 "
    "继子 继女 其子 其女 其妻 其夫 母亲 父亲 妈妈 爸爸 继母 继父 养母 养父 公公 婆婆 "
    "岳父 岳母 孙子 孙女 外孙 外孙女 爷爷 奶奶 姥姥 姥爷 外公 外婆 祖父 祖母 哥哥 姐姐 "
    "弟弟 妹妹 兄长 侄子 侄女 外甥 外甥女"
)
ROLE_WORDS = words("户主 申请人 患者 当事人 监护人 联系人 救助对象 姓名")
# People a case text names in passing: neighbours, wider family, colleagues.
# They introduce a name like a kinship word does (邻居陈艳珍说…), but they are
# not kinship words for the other detectors.
PASSING_WORDS = words(
    "邻居 邻居家 对门 楼下 楼上 亲戚 亲属 朋友 好友 同事 工友 同学 老乡 房东 租户 室友 "
    "表哥 表姐 表弟 表妹 堂哥 堂姐 堂弟 堂妹 舅舅 舅妈 姑姑 姑父 姨妈 姨夫 叔叔 婶婶 伯伯 "
    "大伯 小叔 嫂子 弟媳 姐夫 妹夫 小姑子 大姑姐 孙媳 侄媳 干妈 干爹 继子 老板 雇主 "
    "介绍人 担保人 证明人 见证人 名叫 叫做 名为 叫"
)
# Verbs of saying after a name at the start of a clause: 陈艳珍说….
SPEECH_VERBS = words("说 称 反映 表示 介绍 告诉 证实 讲 提到 回忆")

# Words jieba's tagger wrongly marks as person names, seen after kinship words.
NOT_NAMES = words("高中生 高中毕业 段时间 孔洞 叶子 朱红")

# jieba part-of-speech flags of words that cannot continue a name: function
# words, pronouns, numerals, measure words, punctuation, verbs.
STOP_FLAGS = words("p c u uj ul uz ud ug uv d r m q x f y e o v")
# Characters that, starting the next word, end a name: 李明在…, 王芳患….
STOP_CHARS = frozenset(
    "在患是因于已也和与及的说现曾去今从自被把将要会有无没不都还又才就等为由到向给跟同对住年岁个每一两家身"
)
# jieba tags some given names as time words (国庆); only real time words stop.
TIME_CHARS = frozenset("年月日天时周前后今昨明早晚初底末")

# Time words that end a place or institution name: 今天下午去小区 has no place
# name before 小区, 今天下午幼儿园放学 no school name.
TIME_WORDS = words(
    "今天 昨天 明天 前天 后天 今年 去年 明年 上午 下午 中午 晚上 早上 凌晨 傍晚 当天 每天 "
    "平时 最近 目前 现在 以前 后来 之后 刚才 马上"
)

# --- places ------------------------------------------------------------------

# Administrative units that may stay published (the brief coarsens location
# to district or street); 区 is a district here.
ADMIN_UNITS = words("街道 区 县 市 旗 镇 乡")

# Words before 小区, 村 … that describe rather than name a place.
GENERIC_PLACES = words(
    "这个 那个 所在 附近 本 该 老 新 农 城中 全 邻 外 各 本地 当地 一个 整个 这 那 同 原 "
    "老旧 破旧 棚户 回迁 安置 廉租 公租 商品房 高档 普通 居民 住宅 周边 同一 封闭 开放"
)

# Words that describe a kind of institution rather than name one. A name made
# only of these (物流公司, 小区物业公司, 私立医院) is left alone; one with
# anything else in it (宏达纸箱厂, 长春市儿童医院) is removed.
GENERIC_INSTITUTION_WORDS = words(
    "大 小 私人 私立 公立 当地 附近 三甲 专科 综合 社区 乡镇 村 定点 民营 外地 县级 市级 "
    "省级 重点 普通 职业 技工 私营 个体 国营 国有 物业 保险 快递 家政 劳务 建筑 装修 外卖 "
    "运输 出租车 网约车 物流 科技 贸易 餐饮 服装 加工 纸箱 食品 钢 砖 木材 工 电 煤 化工 "
    "机械 汽车 中 精神病 儿童 妇产 口腔 眼科 中医 残疾人 特殊教育 培训 保安 小区 管理 "
    "服务 有限 股份 公办 民办 寄宿制 九年制 完全 附属 分 这个 那个 一个 这 那 该 某 本 原 现 "
    "大型 小型 中型 连锁 便民 早餐 夜市 路边 街边 对面 楼下 楼上 门口 家门口 小卖 社区卫生 "
    "平价 国营 私家 个人 自家 家庭 家"
)
