"""A small hand-built Document with every block kind, for engine tests that do not need compose."""

from __future__ import annotations

from pathlib import Path

from builder.model.document import (
    Callout,
    Caption,
    ChartImage,
    Document,
    EditorNote,
    Figure,
    Heading,
    Kpi,
    KpiStrip,
    ListBlock,
    ListItem,
    Pair,
    Paragraph,
    Reference,
    References,
    Span,
    Table,
    Terms,
)

ZH_TERMS = Terms(contents="目录", figure="图", table="表", source="来源", page="第", of="共",
                 key_findings="关键发现", placeholder="图表待生成",
                 page_format="第 {page} 页 / 共 {total} 页", prepared_by="编制单位",
                 date="发布日期", classification="密级", authors="作者")
EN_TERMS = Terms(contents="Contents", figure="Figure", table="Table", source="Source", page="Page",
                 of="of", key_findings="Key findings", placeholder="Chart pending",
                 page_format="Page {page} of {total}")


def zh_blocks(chart: ChartImage | None = None) -> list:
    """Return Chinese blocks covering every kind."""
    lang = "zh-CN"
    return [
        Heading("summary", 1, (Span("执行摘要"),), lang),
        KpiStrip("kpis", (Kpi("472.4亿美元", (Span("2032年市场规模"),)),
                          Kpi("35%", (Span("年复合增长率"),)),
                          Kpi("66%", (Span("新云成本节省"),))), lang),
        Paragraph("intro", (Span("GPU算力市场正经历前所未有的增长，预计将从2023年的"),
                            Span("31.7亿美元", bold=True),
                            Span("增长到2032年的472.4亿美元，年复合增长率达35%。在这个快速扩张的市场中，"
                                 "Fireworks.ai和Modal等新兴企业正通过差异化的技术和商业模式，挑战传统云巨头的主导地位。")),
                  lang),
        Callout("key-findings", (Span("关键发现"),), (
            ListItem("kf-1", (Span("Fireworks.ai估值可能从5.52亿美元跃升至40亿美元，专注于“复合AI系统”"),)),
            ListItem("kf-2", (Span("Modal Labs以Python原生开发体验为核心，已获3200万美元融资"),)),
        ), lang),
        Heading("landscape", 2, (Span("市场规模与增长"),), lang),
        ListBlock("sources", (
            ListItem("src-1", (Span("整体市场", bold=True), Span("：2023-2032年CAGR达35% "),
                               Span("来源：Credence Research",
                                    href="https://www.credenceresearch.com/report/cloud-gpu-market"))),
            ListItem("src-2", (Span("从训练转向推理", bold=True),), children=(
                ListItem("src-2a", (Span("2023年NVIDIA数据中心收入40%来自推理"),)),
            )),
        ), ordered=False, lang=lang),
        Figure("fig-cost", Caption("图 1", 1, (Span("DGX H100实例每小时成本对比"),),
                                   (Span("来源：公开报价"),)),
               alt="柱状图：每小时成本，Hyperscalers 98美元，Neoclouds 34美元，Serverless 2.85美元。",
               lang=lang, image=chart),
        Table("competition",
              header=((Span("维度"),), (Span("Hyperscalers"),), (Span("Neoclouds"),), (Span("关键差异"),)),
              rows=(((Span("成本", bold=True),), (Span("$98/小时"),), (Span("$34/小时"),),
                     (Span("66%成本节省"),)),
                    ((Span("部署速度", bold=True),), (Span("2-4周"),), (Span("数天"),),
                     (Span("10倍速度提升"),))),
              align=("left", "right", "right", "left"), lang=lang,
              caption=Caption("表 1", 1, (Span("主要竞争维度"),), None)),
        References("reports", (
            Reference("ref-1", (Span("Task 1: Fireworks.ai公司深度分析"),), None,
                      "./reports/task-1-fireworks-ai-profile.md"),
        ), lang),
        Paragraph("closing", (Span("本报告基于2024-2025年最新市场数据和行业研究编制", italic=True),),
                  lang, style="note"),
    ]


def en_blocks(chart: ChartImage | None = None) -> list:
    """Return the English counterparts of `zh_blocks`, in the same order."""
    lang = "en"
    return [
        Heading("summary", 1, (Span("Executive summary"),), lang),
        KpiStrip("kpis", (Kpi("USD 47.24 billion", (Span("Market size in 2032"),)),
                          Kpi("35%", (Span("CAGR 2023-2032"),)),
                          Kpi("66%", (Span("Neocloud cost saving"),))), lang),
        Paragraph("intro", (Span("The GPU compute market is growing at an unprecedented pace, from "),
                            Span("USD 3.17 billion", bold=True),
                            Span(" in 2023 to USD 47.24 billion in 2032, a compound annual growth "
                                 "rate of 35%.")), lang),
        Callout("key-findings", (Span("Key findings"),), (
            ListItem("kf-1", (Span("Fireworks.ai's valuation may jump from USD 552 million to "
                                   "USD 4 billion; it focuses on \u201ccompound AI systems\u201d"),)),
            ListItem("kf-2", (Span("Modal Labs, built around a Python-native developer experience, "
                                   "has raised USD 32 million"),)),
        ), lang),
        Heading("landscape", 2, (Span("Market size and growth"),), lang),
        ListBlock("sources", (
            ListItem("src-1", (Span("Overall market", bold=True), Span(": 35% CAGR for 2023-2032 "),
                               Span("Source: Credence Research",
                                    href="https://www.credenceresearch.com/report/cloud-gpu-market"))),
            ListItem("src-2", (Span("From training to inference", bold=True),), children=(
                ListItem("src-2a", (Span("In 2023, 40% of NVIDIA's data-centre revenue came from "
                                         "inference"),)),
            )),
        ), ordered=False, lang=lang),
        Figure("fig-cost", Caption("Figure 1", 1, (Span("Hourly cost of a DGX H100 instance"),),
                                   (Span("Source: public price lists"),)),
               alt="Bar chart of hourly cost: Hyperscalers USD 98, Neoclouds USD 34, Serverless "
                   "USD 2.85.", lang=lang, image=chart),
        Table("competition",
              header=((Span("Dimension"),), (Span("Hyperscalers"),), (Span("Neoclouds"),),
                      (Span("Key difference"),)),
              rows=(((Span("Cost", bold=True),), (Span("$98/hour"),), (Span("$34/hour"),),
                     (Span("66% lower cost"),)),
                    ((Span("Deployment time", bold=True),), (Span("2-4 weeks"),), (Span("Days"),),
                     (Span("10x faster"),))),
              align=("left", "right", "right", "left"), lang=lang,
              caption=Caption("Table 1", 1, (Span("Main competitive dimensions"),), None)),
        References("reports", (
            Reference("ref-1", (Span("Task 1: In-depth analysis of Fireworks.ai"),), None,
                      "./reports/task-1-fireworks-ai-profile.md"),
        ), lang),
        Paragraph("closing", (Span("Based on the latest market data and industry research of "
                                   "2024-2025", italic=True),), lang, style="note"),
    ]


def sample_document(edition: str = "zh", chart: ChartImage | None = None) -> Document:
    """Return a Document of the given edition (`zh`, `en` or `bilingual`)."""
    zh, en = zh_blocks(chart), en_blocks(chart)
    if edition == "zh":
        blocks, terms, lang = zh, ZH_TERMS, "zh-CN"
    elif edition == "en":
        blocks, terms, lang = en, EN_TERMS, "en"
    else:
        blocks, terms, lang = [], ZH_TERMS, "zh-CN"
        for a, b in zip(zh, en, strict=True):
            if isinstance(a, Heading):
                blocks.append(Heading(a.id, a.level, a.text, a.lang, secondary=b.text))
            else:
                blocks.append(Pair(a.id, a, b))
    title = "GPU算力市场分析报告" if lang == "zh-CN" else "GPU Compute Market Report"
    return Document(
        report_id="sample",
        edition=edition,  # type: ignore[arg-type]
        lang=lang,  # type: ignore[arg-type]
        title=title,
        subtitle="Fireworks.ai、Modal与竞争格局研究" if lang == "zh-CN"
        else "Fireworks.ai, Modal and the competitive landscape",
        secondary_title="GPU Compute Market Report" if edition == "bilingual" else None,
        secondary_subtitle="Fireworks.ai, Modal and the competitive landscape"
        if edition == "bilingual" else None,
        date="2025-06-30",
        organisation="市场研究部" if lang == "zh-CN" else "Market Research",
        authors=("Research team",),
        keywords=("GPU", "compute"),
        blocks=tuple(blocks),
        terms=terms,
        notes=(EditorNote("intro", "Check the 2032 figure."),),
        confidentiality="仅供内部参考" if lang == "zh-CN" else "For internal use only",
    )


SAMPLE_CHART_DIR = Path(__file__).parent / "data"
