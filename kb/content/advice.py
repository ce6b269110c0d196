"""Which sentences of a source text tell the reader what to do (remedies and general advice)
and which explain.

Chinese FAQ texts give advice in a few grammatical ways rather than in fixed phrasings, so the
rules below are about grammar: a clause that opens (after an optional connective, the reader as
subject and an adverb) with a modal of advice (请、建议、应该、应当、务必、可以、只需……); 需要
only with the reader as subject or a sequence after it (用户需要先……), since 「分期乐在申请时，
需要授权读取通讯录」 describes, not advises; a sequence 先……再/然后……; a prohibition (不要、切勿、
千万别……); a warning (凡是……都是诈骗、谨防、警惕); and an imperative sentence that opens with
an action verb (打开、点击、联系……).
"""

import re

_SENTENCE = re.compile(r"[^。！？]+(?:[。！？]+[”」』）]*|$)")
_CLAUSE_SPLIT = re.compile(r"[，；：、]")

_CONNECTIVE = (
    r"(?:另外|这时候|这时|此时|那么|因此|所以|当然|此外|首先|其次|然后|接着|最后|同时|如果这样)?"
)
_READER = r"(?:用户|您|你|大家|紧急联系人|借款人|贷款人|消费者)"
_ADVERB = r"(?:就|也|都|只|还|则|一定|先|最好|务必|尽快|及时|直接)?"
_MODAL = (
    r"(?:请|建议|务必|必须|应该|应当|最好|尽量|尽早|只能|只需要?|需要确保|确保|可以|不妨|记得|"
    r"一定要|不要|切勿|切忌|千万(?:不要|别|不能)?|不需要|无需|不必|需先|要先)"
)
_ADVICE = f"{_CONNECTIVE}{_READER}?{_ADVERB}{_MODAL}"
# 需要 advises only when the reader is its subject or a step follows: 用户需要先…… / 需要先……
_NEED = f"{_CONNECTIVE}(?:{_READER}{_ADVERB}需要|{_ADVERB}需要先)"
# One pattern for both: each clause of 29,000 sentences an import is matched against it.
_ADVICE_CLAUSE = re.compile(f"^(?:{_ADVICE}|{_NEED})")
# A sequence of steps: 先……再…… / 先……然后……
_SEQUENCE = re.compile(f"^{_CONNECTIVE}{_READER}?{_ADVERB}先[^。！？]*?(?:再|然后|之后)")
# A solution named as such (才是解决……的办法), or a warning.
_SOLUTION_OR_WARNING = re.compile(
    r"(?:才是|就是)(?:解决|处理)[^，。]{0,8}(?:办法|方法)"
    r"|凡是[^。！？]*都(?:是|属于)[^。！？]*(?:诈骗|骗局|骗子)|谨防|警惕|当心|小心上当"
)
_IMPERATIVE = re.compile(
    f"^{_CONNECTIVE}(?:打开|点击|进入|登录|登入|联系|拨打|致电|前往|检查|确认|核对|选择|提交|"
    r"填写|上传|绑定|解绑|更换|关闭|开启|申请|等待|尝试|保持|保留|核实|更新|卸载|重新|搜索|"
    r"咨询|查看|留意|注意|避免|拒绝|保存|截图|报警|举报)"
)


def split_sentences(paragraph):
    return [s.strip() for s in _SENTENCE.findall(paragraph) if s.strip()]


def is_actionable(sentence):
    """Whether a sentence tells the reader what to do (a remedy) rather than explains."""
    if "以上" in sentence:  # "与以上原因有关": a sentence that sums up, not advice
        return False
    if _SOLUTION_OR_WARNING.search(sentence) or _IMPERATIVE.match(sentence):
        return True
    for clause in _CLAUSE_SPLIT.split(sentence):
        clause = clause.strip()
        if _ADVICE_CLAUSE.match(clause):
            return True
        # From the clause to the sentence's end, as the steps may be in the clauses after it
        # (a sequence within the clause matches there too).
        if _SEQUENCE.match(sentence[sentence.find(clause) :]):
            return True
    return False


def split_advice(paragraphs):
    """(explanation paragraphs without the remedies, remedy sentences in order)."""
    explanation, remedies = [], []
    for paragraph in paragraphs:
        kept = []
        for sentence in split_sentences(paragraph):
            (remedies if is_actionable(sentence) else kept).append(sentence)
        if kept:
            explanation.append("".join(kept))
    return explanation, remedies
