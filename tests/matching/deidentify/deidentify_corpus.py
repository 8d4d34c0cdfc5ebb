"""Invented case texts for the de-identification tests.

Every person, number and address here is made up; ID numbers and card
numbers carry valid check digits so that they look exactly like real ones.
Each case lists, in text order, every identifier the pipeline must find
(kind and the exact original characters) and words that must survive.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    label: str
    text: str
    expected: list[tuple[str, str]]
    keep: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


CASES = [
    Case(
        "subsistence application with household",
        "申请人张秀兰，女，1962年8月生，身份证号220104196208153022，现住朝阳区红旗街道"
        "人民大街3399号5栋2单元501室。丈夫王建军患尿毒症，每周在吉林大学第一医院透析三次，"
        "每月自付约3800元。女儿王欣怡在长春市第八中学读初二。秀兰本人无业，家中欠款12000元，"
        "于2026年11月3日到红旗街道申请临时救助。联系电话13904312208。",
        [
            ("name", "张秀兰"),
            ("birth_date", "1962年8月"),
            ("id_number", "220104196208153022"),
            ("address", "人民大街3399号5栋2单元501室"),
            ("name", "王建军"),
            ("institution", "吉林大学第一医院"),
            ("name", "王欣怡"),
            ("institution", "长春市第八中学"),
            ("name", "秀兰"),
            ("phone", "13904312208"),
        ],
        keep=["朝阳区红旗街道", "尿毒症", "透析", "3800元", "12000元", "2026年11月3日", "初二"],
        names=["张秀兰", "王建军"],
    ),
    Case(
        "mobile numbers with country prefixes and full-width digits",
        "户主李德福，手机＋８６ １３９４４３１ ５６７８，备用号码0086-186-4307-1122，"
        "其子李明电话 8613504317788，外地亲戚(+86)15043127788。",
        [
            ("name", "李德福"),
            ("phone", "＋８６ １３９４４３１ ５６７８"),
            ("phone", "0086-186-4307-1122"),
            ("name", "李明"),
            ("phone", "8613504317788"),
            ("phone", "(+86)15043127788"),
        ],
        names=["李德福"],
    ),
    Case(
        "landlines with area code, brackets and extension",
        "联系人孙丽娟，家中座机0431-85678901，单位电话（0431）8876 5432转2201，"
        "社区办公室电话88654321，外地亲属0432-6234567-12。",
        [
            ("name", "孙丽娟"),
            ("phone", "0431-85678901"),
            ("phone", "（0431）8876 5432转2201"),
            ("phone", "88654321"),
            ("phone", "0432-6234567-12"),
        ],
    ),
    Case(
        "resident ID numbers grouped, dashed, full-width and 15-digit",
        "经核实，申请人身份证号为 220104 19620815 3022，其配偶证件号220102-1988-0304-1515，"
        "母亲身份证２２０１０３１９５５０１０９０６２１。老户口本上登记的旧身份证号为220104620815302。",
        [
            ("id_number", "220104 19620815 3022"),
            ("id_number", "220102-1988-0304-1515"),
            ("id_number", "２２０１０３１９５５０１０９０６２１"),
            ("id_number", "220104620815302"),
        ],
        keep=["经核实", "老户口本"],
    ),
    Case(
        "ID numbers ending in X, lower-case and full-width",
        "患者张浩然，身份证22010419780916109x，其女儿身份证号码22010219900707103Ｘ，均已核验。",
        [
            ("name", "张浩然"),
            ("id_number", "22010419780916109x"),
            ("id_number", "22010219900707103Ｘ"),
        ],
        keep=["均已核验"],
    ),
    Case(
        "bank cards with spaces, and a passbook that is not Luhn-valid",
        "救助金请打入户主银行卡：6217 0012 3456 7890 122，或其爱人的农业银行卡6228480045001234561；"
        "另有存折账号0712 0345 6789 012（非银联卡）。",
        [
            ("bank_card", "6217 0012 3456 7890 122"),
            ("bank_card", "6228480045001234561"),
            ("bank_card", "0712 0345 6789 012"),
        ],
        keep=["救助金", "农业银行卡", "非银联卡"],
    ),
    Case(
        "e-mail, WeChat and QQ in several spellings",
        "女儿刘欣怡的邮箱liuxinyi2009@163.com，微信号：liu_xinyi09，本人vx：wxid_k3j9d8s7a2，"
        "QQ号 87654321，也可加qq:1234567890，微信同号13756781234。",
        [
            ("name", "刘欣怡"),
            ("email", "liuxinyi2009@163.com"),
            ("wechat", "liu_xinyi09"),
            ("wechat", "wxid_k3j9d8s7a2"),
            ("qq", "87654321"),
            ("qq", "1234567890"),
            ("phone", "13756781234"),
        ],
    ),
    Case(
        "surname variants, given name alone, words of address",
        "王淑芬今年71岁，独居。邻居反映王某某近期腿脚不便，老王家的暖气停了一个月。"
        "社区网格员每周上门，王大妈说淑芬姐平时很节俭，王某本人不愿麻烦别人。",
        [
            ("name", "王淑芬"),
            ("age", "71岁"),
            ("name", "王某某"),
            ("name", "老王"),
            ("name", "王"),
            ("name", "淑芬"),
            ("name", "王某"),
        ],
        keep=["今年七十多岁", "独居", "暖气", "大妈说", "姐平时", "本人不愿"],
        names=["王淑芬"],
    ),
    Case(
        "compound surnames",
        "司马文静系外来务工人员，司马某自述无固定收入。文静的丈夫欧阳建华2024年因工伤去世，"
        "欧阳某的抚恤金尚未到位。",
        [
            ("name", "司马文静"),
            ("name", "司马某"),
            ("name", "文静"),
            ("name", "欧阳建华"),
            ("name", "欧阳某"),
        ],
        keep=["外来务工人员", "2024年", "工伤", "抚恤金"],
        names=["司马文静"],
    ),
    Case(
        "road and estate addresses below the street level",
        "申请人住南关区永吉街道自由大路1288号，原住绿园区正阳街道锦江花园3号楼2单元402。",
        [
            ("address", "自由大路1288号"),
            ("address", "锦江花园3号楼2单元402"),
        ],
        keep=["南关区永吉街道", "绿园区正阳街道"],
    ),
    Case(
        "courtyard number and building-unit-room digits",
        "家住宽城区团山街道北京大街88号院，小区内3-2-501为其租住房屋，2026-11-03起租。",
        [
            ("address", "北京大街88号院"),
            ("address", "3-2-501"),
        ],
        keep=["宽城区团山街道", "2026-11-03"],
    ),
    Case(
        "villages, groups and house numbers",
        "户籍地为德惠市大房身镇东岗村三社，现寄居在九台区西营城街道太平村5组18号亲戚家，"
        "农村低保待遇已停发。",
        [
            ("address", "东岗村三社"),
            ("address", "太平村5组18号"),
        ],
        keep=["德惠市大房身镇", "九台区西营城街道", "农村低保"],
    ),
    Case(
        "community name, disability certificate number",
        "户主赵桂芝，住双阳区云山街道平湖社区，残疾证号22011219470703218912，所在社区已出具证明。",
        [
            ("name", "赵桂芝"),
            ("address", "平湖社区"),
            ("id_number", "22011219470703218912"),
        ],
        keep=["双阳区云山街道", "所在社区已出具证明"],
    ),
    Case(
        "hospitals by full name and by nickname",
        "患者2025年在吉林省肿瘤医院确诊肺癌，后转至吉大一院化疗，目前在红旗街道社区卫生服务中心"
        "定期复查，医药费累计约8.6万元。",
        [
            ("institution", "吉林省肿瘤医院"),
            ("institution", "吉大一院"),
            ("institution", "红旗街道社区卫生服务中心"),
        ],
        keep=["肺癌", "化疗", "8.6万元", "定期复查"],
    ),
    Case(
        "schools and children found by kinship words",
        "孙子张浩然就读于朝阳区蓝天幼儿园，孙女张雨萱在长春市第二实验小学读三年级，"
        "外孙在东北师范大学附属中学读高一。",
        [
            ("name", "张浩然"),
            ("institution", "朝阳区蓝天幼儿园"),
            ("name", "张雨萱"),
            ("institution", "长春市第二实验小学"),
            ("institution", "东北师范大学附属中学"),
        ],
        keep=["三年级", "高一", "外孙"],
    ),
    Case(
        "employers",
        "丈夫原在长春市宏达纸箱厂打工，2023年工厂倒闭后失业；妻子在吉林省华泰物业管理有限公司"
        "做保洁，月收入1900元。",
        [
            ("institution", "长春市宏达纸箱厂"),
            ("institution", "吉林省华泰物业管理有限公司"),
        ],
        keep=["工厂倒闭", "失业", "保洁", "1900元"],
    ),
    Case(
        "everything in full-width characters",
        "联系方式：手机１３６ ０４３１ ９９８８，座机（０４３１）８２３４５６７８，"
        "身份证号２２０１０５２０１２０６１１３５２９（儿童）。",
        [
            ("phone", "１３６ ０４３１ ９９８８"),
            ("phone", "（０４３１）８２３４５６７８"),
            ("id_number", "２２０１０５２０１２０６１１３５２９"),
        ],
        keep=["联系方式", "儿童"],
    ),
    Case(
        "statistics only: nothing to remove",
        "2026年11月3日，朝阳区民政局受理低保申请1件，涉及家庭3户，月人均收入低于830元；"
        "12345热线转来的投诉已于11月5日办结，编号2026-1105-017。透析费用每次约400元，"
        "全年约62400元。",
        [],
    ),
    Case(
        "household figures only: nothing to remove",
        "该户为低保户，家庭人口4人，其中残疾人1名（肢体二级），学生2名，2025年度医疗支出合计"
        "38650.50元，已获医疗救助15000元，上大学的孩子申请了助学金。",
        [],
    ),
    Case(
        "known address: its estate mentioned alone",
        "周晓燕一家租住在中海国际社区10栋，房东已催缴房租。晓燕表示将尽快补缴。",
        [
            ("name", "周晓燕"),
            ("address", "中海国际社区10栋"),
            ("name", "晓燕"),
        ],
        keep=["房东已催缴房租"],
        names=["周晓燕"],
        addresses=["吉林省长春市二道区东盛街道吉林大路2577号中海国际社区10栋1门301室"],
    ),
    Case(
        "known address written out in full",
        "入户核查地址：长春市朝阳区永昌街道西安大路1399号2栋3单元602室，核查人：民政专干。",
        [("address", "西安大路1399号2栋3单元602室")],
        keep=["长春市朝阳区永昌街道", "民政专干"],
        addresses=["长春市朝阳区永昌街道西安大路 1399 号 2 栋 3 单元 602 室"],
    ),
    Case(
        "relatives named only in the narrative",
        "母亲赵桂芝今年78岁，老伴李德福去年去世，儿子李明在外地打工，很少回家。儿媳妇已改嫁。",
        [
            ("name", "赵桂芝"),
            ("age", "78岁"),
            ("name", "李德福"),
            ("name", "李明"),
        ],
        keep=["今年七十多岁", "去年去世", "外地打工", "儿媳妇已改嫁"],
    ),
    Case(
        "kinship words followed by ordinary words: nothing to remove",
        "女儿为高中生，儿子常年在外，丈夫车祸后瘫痪在床，母亲于去年去世，女儿和儿子都在上大学，"
        "父亲高血压多年，妻子身患残疾。",
        [],
    ),
    Case(
        "proactive discovery report",
        "2026年10月，红旗街道网格员走访发现：独居老人马玉兰（身份证号220103197001010030，"
        "电话0431-88921234）住朝阳区红旗街道湖西路126号3-1-202，因脑梗后遗症行动不便。"
        "其女儿马丽在长春一汽富维汽车零部件股份有限公司上班，微信mali_1990，平时很少探望。"
        "玉兰老人每月养老金2100元，医药费约1600元。",
        [
            ("name", "马玉兰"),
            ("id_number", "220103197001010030"),
            ("phone", "0431-88921234"),
            ("address", "湖西路126号3-1-202"),
            ("name", "马丽"),
            ("institution", "长春一汽富维汽车零部件股份有限公司"),
            ("wechat", "mali_1990"),
            ("name", "玉兰"),
        ],
        keep=["2026年10月，红旗街道网格员", "脑梗后遗症", "2100元", "1600元"],
        names=["马玉兰"],
    ),
    Case(
        "emergency: fire",
        "急难救助：11月2日凌晨，九台区营城街道居民陈志刚（电话１５８４４３１０２７７）家中失火，"
        "妻子周桂英烧伤送至长春市中心医院救治，两个孩子暂住亲戚家。陈某称家中存款不足500元。",
        [
            ("name", "陈志刚"),
            ("phone", "１５８４４３１０２７７"),
            ("name", "周桂英"),
            ("institution", "长春市中心医院"),
            ("name", "陈某"),
        ],
        keep=["九台区营城街道", "失火", "烧伤", "500元"],
        names=["陈志刚"],
    ),
    Case(
        "education assistance",
        "学生刘浩宇，男，2009年生，长春市第十一高中高二学生，父母离异，随祖母生活。"
        "祖母刘淑珍，手机139-4301-7766，QQ邮箱 2837465@qq.com。",
        [
            ("name", "刘浩宇"),
            ("birth_date", "2009年"),
            ("institution", "长春市第十一高中"),
            ("name", "刘淑珍"),
            ("phone", "139-4301-7766"),
            ("email", "2837465@qq.com"),
        ],
        keep=["2000年代生", "高二学生", "父母离异"],
        names=["刘浩宇"],
    ),
    Case(
        "employment assistance",
        "失业人员吴国庆，原长春第一汽车制造厂职工，2019年下岗。现联系电话 0431 8456 7890 ，"
        "邮箱 wuguoqing@126.com，工资卡号 6212 2642 0001 2345。",
        [
            ("name", "吴国庆"),
            ("institution", "长春第一汽车制造厂"),
            ("phone", "0431 8456 7890"),
            ("email", "wuguoqing@126.com"),
            ("bank_card", "6212 2642 0001 2345"),
        ],
        keep=["失业人员", "2019年下岗"],
        names=["吴国庆"],
    ),
    Case(
        "disaster relief in a village",
        "受灾户郑淑芬家位于榆树市五棵树镇前进村，房屋倒塌。其子郑伟（身份证号码：220182199111201633）"
        "在长春市某单位打工。",
        [
            ("name", "郑淑芬"),
            ("address", "前进村"),
            ("name", "郑伟"),
            ("id_number", "220182199111201633"),
        ],
        keep=["榆树市五棵树镇", "房屋倒塌", "长春市某单位打工"],
        names=["郑淑芬"],
    ),
    Case(
        "judicial assistance",
        "司法救助申请人黄俊杰系交通事故受害人，肇事方为长春市安达运输有限公司，"
        "事故发生在南关区南岭街道南湖大路与人民大街交汇处。",
        [
            ("name", "黄俊杰"),
            ("institution", "长春市安达运输有限公司"),
        ],
        keep=["交通事故", "南关区南岭街道南湖大路与人民大街交汇处"],
    ),
    Case(
        "child with leukaemia",
        "林一诺，7岁，患急性淋巴细胞白血病，在吉林大学第一医院住院化疗。父亲林建国在长春高新区"
        "一家物流公司开货车。一诺的治疗费用预计30万元，林先生已借遍亲友。",
        [
            ("name", "林一诺"),
            ("age", "7岁"),
            ("institution", "吉林大学第一医院"),
            ("name", "林建国"),
            ("name", "一诺"),
            ("name", "林"),
        ],
        keep=[
            "某某，不到十岁，患",
            "白血病",
            "住院化疗",
            "长春高新区一家物流公司",
            "30万元",
            "先生已借遍亲友",
        ],
        names=["林一诺", "林建国"],
    ),
    Case(
        "document numbers after their label, plates and Q号 (issue 18)",
        "户主低保证号：绿民低〔2018〕09373号，原证号长绿低字第2019001234号。残疾证号"
        "22010419620815302X42，住院号2026012345。儿子有辆旧面包车，车牌吉A·12345，"
        "女婿开新能源车吉AD12345跑网约车。有事可加Q号 123456789 联系。",
        [
            ("document", "绿民低〔2018〕09373号"),
            ("document", "长绿低字第2019001234号"),
            ("document", "22010419620815302X42"),
            ("document", "2026012345"),
            ("plate", "吉A·12345"),
            ("plate", "吉AD12345"),
            ("qq", "123456789"),
        ],
        keep=["户主低保证号：", "原证号", "旧面包车", "跑网约车"],
    ),
    Case(
        "hospital bed and school class (issue 18)",
        "患者在吉大一院心内科3病区12床住院，孙女在朝阳区实验小学4年6班，孙子读初三（8）班。今天下午社工去探望。",
        [
            ("institution", "吉大一院"),
            ("bed", "3病区12床"),
            ("institution", "朝阳区实验小学"),
            ("school_class", "4年6班"),
            ("school_class", "初三（8）班"),
        ],
        keep=["心内科", "住院", "今天下午社工去探望"],
    ),
]
