"""The seven cases of the seed story (DOMAIN.md, "the cases of the seed"), as scripted tickets."""

from __future__ import annotations

from application.commands import (
    ReceiveTicket,
    RecordContact,
    RecordCoordination,
    RecordFeedback,
    RecordPraise,
    RecordSiteVisit,
    ResolveTicket,
)
from application.demo import ScriptedTicket, Step, at
from domain.values import (
    Actor,
    Caller,
    ContactChannel,
    IntakeChannel,
    Kind,
    Location,
    Outcome,
    Party,
    PraiseChannel,
    Role,
    Satisfaction,
    Urgency,
)

UNIT = "张庄路街道明星社区居委会"
CENTRE = Actor("jn12345-op07", Role.INTAKE, "济南市12345市民服务热线")
MABIN = Actor("mabin", Role.WORKER, UNIT)  # 马斌, the community's 12345 worker and grid worker
# The community office's front desk (社区服务站前台) records what comes in at the office: a walk-in's request,
# praise given in person. Receiving and praise are intake's to record (API.md's roles), so its key is one.
DESK = Actor("mxsq-desk", Role.INTAKE, UNIT)


def _cst(when: str) -> str:
    return f"{when}+08:00"


def ticket(  # noqa: PLR0917 - the scripts read as one line per intake
    ref: str, when: str, kind: Kind, category: str, summary: str, description: str, **more: object
) -> ReceiveTicket:
    fields: dict[str, object] = {
        "channel": IntakeChannel.HOTLINE,
        "urgency": Urgency.NORMAL,
        "unit": UNIT,
        "location": Location("济南市槐荫区张庄路明星小区", "明星社区"),
    } | more
    return ReceiveTicket(
        kind=kind, category=category, summary=summary, description=description,
        external_ref=ref, occurred_at=at(_cst(when)), **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def call(when: str, note: str, reached: bool = True, channel: ContactChannel = ContactChannel.PHONE) -> Step:
    return Step(MABIN, RecordContact(at(_cst(when)), channel, reached, note))


def visit(when: str, findings: str, *photos: str) -> Step:
    return Step(MABIN, RecordSiteVisit(at(_cst(when)), findings, photos))


def ask(when: str, party: Party, request: str, reply: str | None = None) -> Step:
    return Step(MABIN, RecordCoordination(at(_cst(when)), party, request, reply))


def resolve(when: str, outcome: Outcome, reply: str, reason: str | None = None) -> Step:
    return Step(MABIN, ResolveTicket(at(_cst(when)), outcome, reply, reason))


def callback(when: str, satisfaction: Satisfaction, comment: str) -> Step:
    solved = satisfaction is not Satisfaction.UNSATISFIED
    return Step(CENTRE, RecordFeedback(at(_cst(when)), True, True, solved, satisfaction, comment))


def praised(when: str, channel: PraiseChannel, by: str | None, message: str) -> Step:
    actor = DESK if channel is PraiseChannel.IN_PERSON else CENTRE
    return Step(actor, RecordPraise(at(_cst(when)), channel, message, by))


PROPERTY = Party("明星小区物业服务中心", "property")
SEWER = Party("城肥一处", "sewer")
REGISTRY = Party("槐荫区不动产登记中心", "registry")
GAS = Party("济南港华燃气有限公司", "gas")
SOUTH = Location("济南市槐荫区张庄路明星南区", "明星社区")
TELL_THE_CALLER = (
    "您好,我是明星社区12345热线工作人员小马,前期您通过热线反映的单元灯不亮的问题,"
    "社区已经协调物业第一时间解决,再有问题您可以直接联系我……"
)

STAIRWELL_LIGHT = ScriptedTicket(1, "单元灯不亮", ticket(
    "JN12345-20231108-0417", "2023-11-08 09:12", Kind.HELP, "housing.lighting",
    "明星南区3号楼东单元楼道灯不亮",
    "来电人反映明星南区3号楼东单元楼道灯坏了多日,晚上上下楼看不清,担心老人摔倒,希望尽快维修。",
    location=Location("济南市槐荫区张庄路明星南区3号楼东单元", "明星社区", building="3"),
    caller=Caller("李先生", "139-0531-1234"),
), CENTRE, (
    call("2023-11-08 09:40", "与来电人电话沟通,确认3号楼东单元1至6层楼道灯均不亮。"),
    ask("2023-11-08 10:05", PROPERTY, "请物业第一时间检修3号楼东单元楼道灯。", "物业电工下午到场更换。"),
    visit("2023-11-08 15:10", "物业电工已更换灯具和声控开关,逐层查看均正常点亮。", "photos/0417/after.jpg"),
    resolve("2023-11-08 15:30", Outcome.SOLVED, "已协调物业更换3号楼东单元楼道灯,照明已恢复。"),
    call("2023-11-08 16:00", TELL_THE_CALLER),
    callback("2023-11-09 10:20", Satisfaction.SATISFIED, "来电人确认楼道灯已修好,对社区处理满意。"),
))  # fmt: skip

BASEMENT_SEEPAGE = ScriptedTicket(2, "地下室渗水", ticket(
    "JN12345-20230718-0233", "2023-07-18 08:30", Kind.HELP, "housing.seepage",
    "明星南区商住楼东单元地下室渗水",
    "来电人反映商住楼东单元地下室长期渗水,积水深度达到30厘米以上,气味难闻,严重影响居民正常生活。",
    location=Location("济南市槐荫区张庄路明星南区商住楼东单元", "明星社区", building="商住楼"),
    caller=Caller("刘女士", "13706415566"),
), CENTRE, (
    call("2023-07-18 08:50", "已联系来电人,告知马上到现场查看。"),
    visit("2023-07-18 09:20", "地下室积水深度30厘米以上,有明显恶臭,渗水原因不明。", "photos/0233/water.jpg"),
    ask("2023-07-18 09:45", SEWER, "协助排查地下室渗水原因并抽排积水。", "下午派抽水车到场。"),
    ask("2023-07-18 10:00", Party("槐荫区水务局", "water"), "排查周边供水管线是否漏水。", "派员到场排查。"),
    visit("2023-07-18 16:30", "积水排出后在东单元外墙处找到供水管道破损漏点;社区人员在地下室协助作业。"),
    ask("2023-07-19 09:00", Party("商住楼产权单位", "owner"), "对破损的供水管道进行维修。", "已安排维修队。"),
    resolve("2023-07-21 17:00", Outcome.SOLVED, "产权单位已完成管道维修,地下室不再渗水,积水已清理。"),
    callback("2023-07-24 09:30", Satisfaction.SATISFIED, "来电人表示地下室已干燥,问题解决。"),
))  # fmt: skip

BLOCKED_DRAIN = ScriptedTicket(3, "下水管道堵塞", ticket(
    "JN12345-20230116-0088", "2023-01-16 08:45", Kind.HELP, "housing.drainage",
    "明星北区14号楼下水管道堵塞",
    "来电人魏女士反映14号楼下水管道堵塞,污水外溢,临近春节,希望尽快疏通。",
    location=Location("济南市槐荫区张庄路明星北区14号楼", "明星社区", building="14"),
    caller=Caller("魏女士", "13853112345"),
), CENTRE, (
    ask("2023-01-16 09:10", SEWER, "14号楼下水管道堵塞,请尽快派疏通人员。", "当天下午派疏通人员和清淤车。"),
    call("2023-01-16 09:20", "告知魏女士已对接城肥一处,下午到场疏通。"),
    visit("2023-01-16 14:00", "院内车辆停放较多,清淤车无法驶入;逐一联系车主挪车,清淤车顺利进院。"),
    resolve("2023-01-16 17:30", Outcome.SOLVED, "城肥一处已完成14号楼下水管道疏通和清淤,排水恢复正常。"),
    callback("2023-01-17 10:00", Satisfaction.SATISFIED, "来电人对处理速度非常满意。"),
    praised("2023-01-17 15:00", PraiseChannel.HOTLINE, "魏女士",
            "明星社区和城肥一处工作人员尽职尽责、反应迅速,保证了我们小区居民春节假日期间的正常生活,"
            "实在太感谢他们了!"),
))  # fmt: skip

HEATER = ScriptedTicket(4, "独居老人没有取暖设备", ticket(
    "MXSQ-ZF-20231214-01", "2023-12-14 10:00", Kind.HELP, "welfare.elderly",
    "独居老人家中没有取暖设备",
    "83岁独居老人窦奶奶家中窗户损坏、没有取暖设备,寒潮来临,想买电暖气又出不了门。",
    channel=IntakeChannel.WALK_IN, urgency=Urgency.URGENT,
    location=Location("济南市槐荫区张庄路明星小区", "明星社区"),
    caller=Caller("窦奶奶", "0531-8765-4321", confidential=True),
), DESK, (
    call("2023-12-14 10:05", "上门修窗时面谈,得知家中没有取暖设备。", channel=ContactChannel.IN_PERSON),
    visit("2023-12-14 10:30", "窗户已修好;家中无任何取暖设备,室温很低。"),
    ask("2023-12-14 11:00", Party("电器网店"), "为老人网购电暖气一台,送货上门。", "次日送达。"),
    resolve("2023-12-15 16:00", Outcome.SOLVED, "电暖气到货后上门安装好,嘱咐老人注意用火、用电、用气安全。"),
    praised("2023-12-16 09:00", PraiseChannel.HOTLINE, "窦奶奶", "感谢小马帮我买电暖气、装电暖气,家里暖和了"),
    call("2023-12-22 11:00", "冬至为老人送去饺子与祝福。", channel=ContactChannel.IN_PERSON),
    callback("2023-12-25 10:00", Satisfaction.SATISFIED, "老人表示非常满意,连声感谢。"),
    praised("2023-12-26 09:30", PraiseChannel.HOTLINE, "窦奶奶", "再次来电表扬网格员马斌,把她当亲人照顾。"),
    praised("2024-01-08 10:15", PraiseChannel.HOTLINE, "窦奶奶", "又来电感谢马斌常来问候、帮忙取钱买药。"),
))  # fmt: skip

BENCHES = ScriptedTicket(5, "广场座椅松动(未诉先办)", ticket(
    "MXSQ-WS-20231010-01", "2023-10-10 09:30", Kind.SUGGESTION, "public.facilities",
    "小区广场休闲座椅松动移位",
    "日常走访发现明星小区广场上的休闲座椅再次出现不同程度的松动和移位,老人坐不稳有危险。",
    channel=IntakeChannel.PROACTIVE,
    location=Location("济南市槐荫区张庄路明星小区中心广场", "明星社区"),
), MABIN, (
    visit("2023-10-10 09:35", "广场12把座椅中7把松动、3把移位。", "photos/benches/before.jpg"),
    ask("2023-10-10 09:50", PROPERTY, "广场座椅松动,请派维修工人重新固定。", "晚上安排维修工人。"),
    visit("2023-10-10 19:00", "与维修工人一起对每把座椅重新固定,全部平整稳固。", "photos/benches/after.jpg"),
    resolve("2023-10-10 20:30", Outcome.SOLVED, "广场座椅已全部重新固定。"),
    praised("2023-10-11 10:00", PraiseChannel.IN_PERSON, "马阿姨",
            "小马,你真是给我们居民办了件好事儿,这回好了,椅子又稳又牢,我们可以放心在广场玩儿了!"),
))  # fmt: skip

BURST_PIPE = ScriptedTicket(6, "户内水管爆裂", ticket(
    "JN12345-20240220-0156", "2024-02-20 08:30", Kind.HELP, "housing.indoor_pipes",
    "家中水管爆裂,要求社区马上处理",
    "来电人张阿姨反映家中水管因年久失修突然爆裂,水流了一屋,家具地板被泡,要求马上解决。",
    urgency=Urgency.URGENT,
    location=Location("济南市槐荫区张庄路明星北区6号楼", "明星社区", building="6"),
    caller=Caller("张阿姨", "13645318899"),
), CENTRE, (
    call("2024-02-20 08:45", "来电人情绪激动;解释屋内水管属于个人产权需自行维修,耐心疏导,询问原委。"),
    ask("2024-02-20 08:55", Party("水电维修师傅"), "请上门维修张阿姨家爆裂水管。", "一小时内到。"),
    ask("2024-02-20 09:00", Party("社区水电维修志愿者", "volunteer"), "一同去关闭水阀。", "马上到。"),
    visit("2024-02-20 09:20", "与志愿者关闭总水阀;逐户敲门告知受影响用水的居民,维修工人到后才离开。"),
    resolve("2024-02-20 11:30", Outcome.EXPLAINED,
            "户内水管属个人产权,维修费用由业主承担;社区已帮助联系维修工人、关闭水阀并告知邻居。"),
    praised("2024-02-20 11:40", PraiseChannel.IN_PERSON, "张阿姨", "张阿姨握着马斌的手连声感谢。"),
    callback("2024-02-21 15:00", Satisfaction.BASICALLY_SATISFIED, "理解户内维修需自理,感谢社区帮忙。"),
))  # fmt: skip


def _certificate(n: int, when: str, caller: Caller, steps: tuple[Step, ...]) -> ScriptedTicket:
    return ScriptedTicket(7, "明星南区房产证办理", ticket(
        f"JN12345-202305{n:02d}-{300 + n:04d}", when, Kind.COMPLAINT, "housing.property_certificate",
        "明星南区房产证迟迟办不下来",
        "来电人反映明星南区住户购房多年仍未办理房产证,涉及产权单位和不动产登记多个部门。",
        location=SOUTH, caller=caller,
    ), CENTRE, steps)  # fmt: skip


def _gas_refund(n: int, when: str, caller: Caller, steps: tuple[Step, ...]) -> ScriptedTicket:
    return ScriptedTicket(7, "重汽宿舍燃气费退费", ticket(
        f"JN12345-202306{n:02d}-{500 + n:04d}", when, Kind.HELP, "utilities.gas_refund",
        "重汽宿舍燃气费预存款退费",
        "来电人反映重汽宿舍改造后燃气表更换,原预存燃气费一直未退。",
        location=Location("济南市槐荫区张庄路重汽宿舍", "明星社区"), caller=caller,
    ), CENTRE, steps)  # fmt: skip


OWNER = Party("明星南区产权单位", "owner")
MULTI_DEPARTMENT = (
    _certificate(
        8,
        "2023-05-08 09:00",
        Caller("王先生", "13905318801"),
        (
            call("2023-05-08 10:00", "已联系来电人,了解办证卡在哪个环节。"),
            ask(
                "2023-05-09 09:30",
                REGISTRY,
                "明星南区房产证办理所需材料及历史遗留问题。",
                "缺土地及竣工验收材料。",
            ),
            ask("2023-05-10 14:00", OWNER, "补齐办证所需的土地及竣工验收材料。", "6月底前提交。"),
            resolve(
                "2023-06-30 16:00", Outcome.PARTIALLY_SOLVED, "材料已提交,首批住户进入办证流程,其余分批办理。"
            ),
            callback("2023-07-03 10:00", Satisfaction.UNSATISFIED, "希望给出全部办结的时间。"),
            call("2023-07-03 15:00", "向来电人说明分批办理时间表。"),
            ask("2023-07-04 09:00", REGISTRY, "确认第二批办证时间。", "7月底前办结。"),
            resolve("2023-07-28 17:00", Outcome.SOLVED, "来电人所在楼栋房产证已全部办结,可到登记中心领取。"),
            callback("2023-07-31 10:00", Satisfaction.SATISFIED, "已领到房产证。"),
        ),
    ),
    _certificate(
        9,
        "2023-05-09 14:20",
        Caller("赵女士", "13573160092"),
        (
            call("2023-05-09 15:00", "已联系来电人。"),
            resolve(
                "2023-05-12 11:00",
                Outcome.REFERRED,
                "已告知办证进展及办理渠道。",
                "房产证办理属不动产登记中心职责:槐荫区政务服务中心不动产登记窗口。",
            ),
            callback("2023-05-15 09:40", Satisfaction.BASICALLY_SATISFIED, "知道去哪里办了。"),
        ),
    ),
    _certificate(
        10,
        "2023-05-10 08:50",
        Caller("孙先生", None),
        (
            call("2023-05-10 09:30", "电话无人接听。", reached=False),
            call("2023-05-10 16:00", "已联系来电人,纳入明星南区统一办证协调。"),
            ask("2023-05-11 10:00", OWNER, "将孙先生所在楼栋纳入首批办证材料。"),
        ),
    ),
    _gas_refund(
        5,
        "2023-06-05 10:10",
        Caller("陈先生", "13864079911"),
        (
            call("2023-06-05 11:00", "已联系来电人,核实预存金额。"),
            ask("2023-06-06 09:00", GAS, "核实重汽宿舍住户燃气费预存款退费。", "需产权单位提供住户名单。"),
            ask("2023-06-07 10:00", Party("重汽宿舍产权单位", "owner"), "提供宿舍住户名单。", "已提供。"),
            resolve("2023-06-28 16:00", Outcome.SOLVED, "燃气公司已按名单办理退费,款项已到账。"),
            callback("2023-07-01 10:30", Satisfaction.SATISFIED, "退费已收到。"),
        ),
    ),
    _gas_refund(
        6,
        "2023-06-06 15:30",
        Caller("周女士", "15153128834"),
        (
            call("2023-06-06 16:00", "已联系来电人,登记退费信息。"),
            ask("2023-06-07 10:30", GAS, "核实周女士户的预存款。", "该户预存款已并入新表账户。"),
            resolve("2023-06-20 11:00", Outcome.EXPLAINED, "预存款已转入新燃气表账户,可继续使用,无需退费。"),
        ),
    ),
)

SEED_CASES: tuple[ScriptedTicket, ...] = (
    STAIRWELL_LIGHT, BASEMENT_SEEPAGE, BLOCKED_DRAIN, HEATER, BENCHES, BURST_PIPE, *MULTI_DEPARTMENT,
)  # fmt: skip
