"""A synthetic help-centre corpus for benchmarks: articles, causes and remedies in Chinese,
deterministic for a seed. Kept apart from the real content (content/); `make run` never loads it.
"""

import random

PRODUCTS = [
    "花呗",
    "借呗",
    "分期乐",
    "微粒贷",
    "京东白条",
    "美团月付",
    "信用卡",
    "网商贷",
    "360借条",
    "招联金融",
    "安逸花",
    "度小满",
    "苏宁任性付",
    "携程拿去花",
    "小米分期",
    "你我贷",
]
TOPICS = [
    "还款问题",
    "催收电话",
    "额度问题",
    "逾期处理",
    "账单疑问",
    "借款申请",
    "征信查询",
    "手续费",
]
WORDS = [
    "还款",
    "分期",
    "逾期",
    "账单",
    "余额",
    "不足",
    "网络",
    "繁忙",
    "系统",
    "维护",
    "升级",
    "催收",
    "电话",
    "短信",
    "紧急联系人",
    "通讯录",
    "担保人",
    "手续费",
    "免息",
    "利息",
    "额度",
    "提额",
    "降额",
    "冻结",
    "解冻",
    "账户",
    "异常",
    "征信",
    "记录",
    "查询",
    "申请",
    "审核",
    "失败",
    "成功",
    "提前",
    "全额",
    "最低",
    "还款日",
    "宽限期",
    "罚息",
    "违约金",
    "银行卡",
    "支付宝",
    "微信",
    "绑定",
    "解绑",
    "验证码",
    "身份",
    "认证",
    "人脸",
    "识别",
    "密码",
    "修改",
    "找回",
    "客服",
    "投诉",
    "协商",
    "延期",
    "减免",
    "本金",
    "期数",
    "取消",
    "退款",
    "订单",
    "商户",
    "消费",
    "交易",
    "限额",
    "风控",
    "评估",
    "资料",
    "填写",
    "授权",
    "读取",
    "联系人",
    "号码",
    "朋友",
    "家人",
    "同事",
    "骚扰",
    "拦截",
    "陌生",
    "提醒",
    "责任",
    "承担",
    "法律",
    "合同",
    "利率",
    "年化",
    "计算",
    "明细",
    "显示",
    "页面",
    "按钮",
    "点击",
    "提示",
    "错误",
    "稍后",
    "重试",
    "更新",
    "版本",
    "下载",
    "安装",
    "登录",
    "退出",
]
FILLERS = [
    "用户",
    "如果",
    "那么",
    "需要",
    "可以",
    "通常",
    "因此",
    "已经",
    "无法",
    "就会",
    "一定",
    "建议",
    "确保",
    "及时",
    "按照",
    "进行",
    "操作",
    "导致",
]


class Corpus:
    def __init__(self, seed=20261129):
        self.random = random.Random(seed)
        # Zipf-like: a few words are everywhere, most are rare, as in real help texts.
        self.weights = [1 / (rank + 1) for rank in range(len(WORDS))]

    def words(self, n):
        return self.random.choices(WORDS, weights=self.weights, k=n)

    def sentence(self):
        parts = []
        for _ in range(self.random.randint(2, 4)):
            clause = self.words(self.random.randint(2, 4))
            clause.insert(self.random.randint(0, len(clause)), self.random.choice(FILLERS))
            parts.append("".join(clause))
        return "，".join(parts) + "。"

    def paragraph(self, sentences):
        return "".join(self.sentence() for _ in range(sentences))

    def article(self, index, causes):
        product = self.random.choice(PRODUCTS)
        title = f"{product}{''.join(self.words(2))}的原因（{index}）"
        return {
            "product": product,
            "topic": self.random.choice(TOPICS),
            "title": title,
            "slug": f"bench-{index}",
            "summary": self.paragraph(2),
            "advice": [self.sentence() for _ in range(2)],
            "causes": [
                {
                    "title": "".join(self.words(self.random.randint(2, 4))),
                    "explanation": self.paragraph(3),
                    "remedies": [self.sentence() for _ in range(2)],
                }
                for _ in range(causes)
            ],
        }

    def queries(self, n):
        """Queries as readers type them: product + words, bare words, pinyin, traditional."""
        import opencc
        from pypinyin import lazy_pinyin

        from kb.text import _t2s  # noqa: F401 - ensure opencc loads before timing

        s2t = opencc.OpenCC("s2t")
        result = []
        for i in range(n):
            words = self.words(self.random.randint(1, 3))
            kind = i % 10
            if kind < 5:
                text = self.random.choice(PRODUCTS) + "".join(words)
            elif kind < 7:
                text = " ".join(words)
            elif kind < 9:
                text = "".join(lazy_pinyin(words[0]))
            else:
                text = s2t.convert(self.random.choice(PRODUCTS) + words[0])
            result.append(text)
        return result


def source_text(draft):
    """One article of ``Corpus.article`` written as a source text in the content format
    (docs/architecture.md, "Source-text format"): question line, numbered causes with their
    paragraphs, closing paragraph. What the importer reads from content/."""
    question = draft["title"].replace("的原因", "") + "，原因如下:"
    lines = [question]
    for position, cause in enumerate(draft["causes"], start=1):
        lines.append(f"{position}、{cause['title']}")
        lines.append(cause["explanation"] + "".join(cause["remedies"]))
    lines.append(draft["summary"] + "".join(draft["advice"]))
    return "\n".join(lines) + "\n"
