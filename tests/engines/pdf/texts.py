"""Sentences from the seed report, mixed Chinese and English, for line-breaker and layout tests."""

SEED_ZH = (
    "GPU算力市场正经历前所未有的增长，预计将从2023年的31.7亿美元增长到2032年的472.4亿美元，"
    "年复合增长率达35%。在这个快速扩张的市场中，Fireworks.ai和Modal等新兴企业正通过差异化的技术和"
    "商业模式，挑战传统云巨头的主导地位。",
    "Fireworks.ai估值可能从5.52亿美元跃升至40亿美元，专注于“复合AI系统”。",
    "新云(Neoclouds)相比超大规模云提供商(Hyperscalers)可节省66%成本；部署速度从2-4周缩短到数天。",
    "区域分布：北美占34%市场份额，亚太地区增速最快(25.5% CAGR)。",
    "推理速度比vLLM快12倍，比GPT-4快40倍；每日处理1400亿tokens，99.99%正常运行时间。",
    "《报告》指出：「GPU供应短缺正在缓解」，竞争焦点转向平台能力和软件差异化！",
    "Modal Labs以Python原生开发体验为核心，已获3200万美元融资（由Redpoint领投）。",
)

SEED_EN = (
    "The GPU compute market is growing at an unprecedented pace, from USD 3.17 billion in 2023 "
    "to USD 47.24 billion in 2032, a compound annual growth rate of 35%.",
    "Fireworks.ai's valuation may jump from USD 552 million to USD 4 billion; it focuses on "
    "\u201ccompound AI systems\u201d.",
    "Neoclouds (CoreWeave, Lambda Labs) save 66% compared with the hyperscalers.",
)
