"""Which Chinese analysis finds the right texts: cjk bigrams or jieba words?

    .venv/bin/python bench/analyzers.py

Indexes one small judged corpus twice — with the ``chinese`` analyser of
search/documents.py (cjk bigrams) and with text pre-segmented by jieba
(search mode) under a whitespace analyser — and reports precision@5 and
recall over the queries, each with the documents a caseworker would want.
"""

import uuid

import _django

CORPUS = {
    "d1": "大病透析救助：为尿毒症患者提供血液透析费用资助",
    "d2": "肾病患者透析陪诊志愿服务",
    "d3": "困难学生助学金：资助高中和大学新生学费",
    "d4": "春城助学基金，面向低保家庭子女",
    "d5": "课业辅导：大学生志愿者为留守儿童辅导功课",
    "d6": "独居老人陪伴：定期上门探访、聊天、助餐",
    "d7": "高龄老人助餐服务，送餐上门",
    "d8": "心理疏导热线，专业心理咨询师接听",
    "d9": "意外事故家庭心理援助与哀伤辅导",
    "d10": "危房修缮：农村危房改造补助",
    "d11": "就业技能培训：电工、焊工、家政培训",
    "d12": "职业介绍与就业指导服务",
    "d13": "法律援助咨询：为困难群众提供免费法律服务",
    "d14": "灾后生活物资发放：棉被、口粮、饮用水",
    "d15": "析出学习经验分享会",  # shares the character 析, not the word 透析
    "d16": "助力学校建设的爱心企业捐赠",  # 助 and 学 apart
    "d17": "老人独自居住安全检查",  # 独居 spelled out
    "d18": "医疗救助：住院费用报销后仍有困难的家庭",
}
QUERIES = {
    "透析": {"d1", "d2"},
    "助学金": {"d3"},
    "助学": {"d3", "d4"},
    "独居老人": {"d6", "d17"},
    "心理疏导": {"d8", "d9"},
    "危房": {"d10"},
    "就业培训": {"d11", "d12"},
    "法律援助": {"d13"},
    "助餐": {"d6", "d7"},
    "住院费用": {"d18", "d1"},
}


MODES = {
    "all terms": {"operator": "and"},
    "75% of terms": {"minimum_should_match": "75%"},
    "any term": {},
}


def _index(client, name, analyzer, texts):
    client.indices.create(
        index=name,
        mappings={"properties": {"text": {"type": "text", "analyzer": analyzer}}},
        settings={
            "analysis": {
                "analyzer": {
                    "chinese": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                    }
                }
            }
        },
    )
    for doc_id, text in texts.items():
        client.index(index=name, id=doc_id, document={"text": text})
    client.indices.refresh(index=name)


def _evaluate(client, name, prepare, match):
    precision, recall = [], []
    for query, relevant in QUERIES.items():
        hits = client.search(
            index=name,
            size=5,
            query={"match": {"text": {"query": prepare(query), **match}}},
        )["hits"]["hits"]
        found = {hit["_id"] for hit in hits}
        precision.append(len(found & relevant) / max(len(found), 1))
        recall.append(len(found & relevant) / len(relevant))
    return sum(precision) / len(precision), sum(recall) / len(recall)


def main():
    _django.setup()
    import jieba

    from search.client import get_client

    jieba.setLogLevel(60)
    client = get_client()

    def segment(text):
        return " ".join(jieba.cut_for_search(text))

    runs = {
        "cjk bigrams (chosen)": ("chinese", lambda t: t),
        "jieba, search mode": ("whitespace", segment),
    }
    for label, (analyzer, prepare) in runs.items():
        name = f"bench-analyzer-{uuid.uuid4().hex[:8]}"
        _index(client, name, analyzer, {k: prepare(v) for k, v in CORPUS.items()})
        for mode, match in MODES.items():
            precision, recall = _evaluate(client, name, prepare, match)
            print(f"{label:<22} {mode:<22} precision@5 {precision:.2f}  recall {recall:.2f}")
        client.indices.delete(index=name)


if __name__ == "__main__":
    main()
