/// Every word the report and the terminal table show, in each language: one table, so that a
/// label is translated once and a missing translation is a compile error (the switch is
/// exhaustive). Templates take their values in order for `{0}`, `{1}`, ….
///
/// Chinese terms follow the usage of onshore risk reports: 预期损失 (expected loss, EL), 风险价值
/// (value at risk, VaR), 预期短缺 (expected shortfall, ES), 违约 (default), 展期 (extension),
/// 担保人 (guarantor), 信用保护卖方 (protection seller, as in CRMW).
public struct Glossary: Sendable {
    public let language: Language

    public init(_ language: Language = .en) { self.language = language }

    public enum Term: CaseIterable, Sendable {
        // Figures
        case expectedLoss, el, standardDeviation, stdDev, valueAtRisk, varShort, expectedShortfall, esShort
        case exceedance, net, gross, level, ciOrSE, se, reduction, share, change
        // Page structure
        case summary, lossDistribution, enhancementsWorth, providers, badYear, topContributors, capital
        case composition, stresses, versusBase, baseScenario, stressPrefix, precision
        // Composition tables
        case sector, rating, guarantor, protectionSeller, issuers, bondsCount, notional, notionalShare
        case averagePD, guaranteedNotional, protectedNotional, expectedPayout, payingProbability
        case unrated, noSector, none
        // Terminal table
        case scenario, portfolio, entities, bonds, horizon, years, rollover, paths, seed, threads
        case amountsIn, valuationMarket, methodImportance, partialPaths, expectedPremium
        case provider, role, seller, pays, capacity, runsOut
        // Sentences
        case atomAtZero, noiseNote, noise, histogramTitle, exceedanceTitle, precisionReached, precisionMissed
        case partialPhase, enhancementsNote, providersNote, compositionNote, stressesNote, backToBase
        case contributorsNote, footer, capitalNote, tailNote, seeStressPage, description, metaLine, partialPaths2, premiumNote
        // Credit states
        case byHardDefaults, byExtensions, byMigration, extensionShare, extensionProbability
    }

    /// The term in this glossary's language.
    public subscript(_ term: Term) -> String {
        let (en, zh) = Self.text(term)
        return language == .en ? en : zh
    }

    /// A template filled with `values` in order.
    public func format(_ term: Term, _ values: String...) -> String {
        var s = self[term]
        for (i, v) in values.enumerated() { s = s.replacingOccurrences(of: "{\(i)}", with: v) }
        return s
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    static func text(_ term: Term) -> (en: String, zh: String) {
        switch term {
        case .expectedLoss: return ("expected loss", "预期损失")
        case .el: return ("EL", "预期损失")
        case .standardDeviation: return ("standard deviation", "标准差")
        case .stdDev: return ("std dev", "标准差")
        case .valueAtRisk: return ("value at risk", "风险价值")
        case .varShort: return ("VaR", "风险价值")
        case .expectedShortfall: return ("expected shortfall", "预期短缺")
        case .esShort: return ("ES", "预期短缺")
        case .exceedance: return ("P(L > {0})", "P(损失 > {0})")
        case .net: return ("net", "净损失")
        case .gross: return ("gross", "总损失")
        case .level: return ("level", "置信水平")
        case .ciOrSE: return ("± / 95 % CI", "± / 95% 置信区间")
        case .se: return ("± SE", "± 标准误")
        case .reduction: return ("reduction", "减少")
        case .share: return ("share", "占比")
        case .change: return ("change", "变化")
        case .summary: return ("Summary", "概要")
        case .lossDistribution: return ("Loss distribution", "损失分布")
        case .enhancementsWorth: return ("What the guarantees and protection are worth", "担保与信用保护的价值")
        case .providers: return ("Guarantors and protection sellers", "担保人与信用保护卖方")
        case .badYear: return ("What a bad year looks like", "极端年份的情景")
        case .topContributors: return ("Top contributors", "主要风险贡献")
        case .capital: return ("Regulatory against economic capital", "监管资本与经济资本")
        case .composition: return ("Composition", "组合构成")
        case .stresses: return ("Stresses", "压力情景")
        case .versusBase: return ("Versus the base", "相对基准情景")
        case .baseScenario: return ("base", "基准")
        case .stressPrefix: return ("Stress", "压力情景")
        case .precision: return ("Precision", "精度")
        case .sector: return ("sector", "行业")
        case .rating: return ("rating", "评级")
        case .guarantor: return ("guarantor", "担保人")
        case .protectionSeller: return ("protection seller", "信用保护卖方")
        case .issuers: return ("issuers", "发行人数")
        case .bondsCount: return ("bonds", "债券数")
        case .notional: return ("notional", "名义本金")
        case .notionalShare: return ("share of notional", "名义本金占比")
        case .averagePD: return ("average PD", "平均违约概率")
        case .guaranteedNotional: return ("guaranteed notional", "担保名义本金")
        case .protectedNotional: return ("protected notional", "保护名义本金")
        case .expectedPayout: return ("E[payout]", "预期赔付")
        case .payingProbability: return ("P(pays)", "赔付概率")
        case .unrated: return ("unrated", "无评级")
        case .noSector: return ("(none)", "（无）")
        case .none: return ("None in this scenario.", "本情景中没有。")
        case .scenario: return ("Scenario", "情景")
        case .portfolio: return ("Portfolio", "组合")
        case .entities: return ("entities", "个主体")
        case .bonds: return ("bonds", "只债券")
        case .horizon: return ("Horizon", "期限")
        case .years: return ("y", "年")
        case .rollover: return ("rollover", "滚动续发")
        case .paths: return ("Paths", "路径")
        case .seed: return ("seed", "随机种子")
        case .threads: return ("threads", "线程")
        case .amountsIn: return ("Amounts    in {0}", "金额       单位 {0}")
        case .valuationMarket:
            return ("Valuation  market (rating migration): loss = value in today's rating − value at the horizon; negative = gain",
                    "估值       市场估值（评级迁移）：损失 = 当前评级下价值 − 期末价值；负值为收益")
        case .methodImportance:
            return ("Method     importance sampling (Glasserman & Li 2005 factor shift and twist)",
                    "方法       重要性抽样（Glasserman & Li 2005 因子平移与指数倾斜）")
        case .partialPaths: return ("interrupted: {0} of {1} requested paths", "已中断：完成 {0} / {1} 条路径")
        case .expectedPremium: return ("Expected protection premium", "预期信用保护费")
        case .provider: return ("provider", "提供方")
        case .role: return ("role", "角色")
        case .seller: return ("seller", "保护卖方")
        case .pays: return ("P(pays)", "赔付概率")
        case .capacity: return ("capacity", "担保能力")
        case .runsOut: return ("P(runs out)", "能力耗尽概率")
        case .atomAtZero:
            return ("On {0} of paths the holder loses nothing (the atom at zero, left out of the histogram).",
                    "{0} 的路径上持有人没有损失（零点处的原子，不计入直方图）。")
        case .noiseNote:
            return ("This stress minus the base scenario, on the same paths (common random numbers): ± is the standard error of the difference itself; differences within 1.96 of them are marked as noise. A VaR on an atom of the losses (many paths with the same loss) has no standard error: ± — and no mark.",
                    "压力情景减基准情景，使用相同路径（共同随机数）：± 为差值本身的标准误；在 1.96 倍标准误以内的差值标记为噪声。落在损失原子上（许多路径损失相同）的 VaR 没有标准误：显示 ± —，不作标记。")
        case .noise: return ("noise", "噪声")
        case .histogramTitle: return ("Net loss histogram (paths with a loss; log scale)", "净损失直方图（有损失的路径；对数刻度）")
        case .exceedanceTitle: return ("Exceedance probability P(L > x)", "超越概率 P(L > x)")
        case .precisionReached: return ("target {0} reached: {1} at {2} paths", "目标 {0} 已达到：{2} 条路径时为 {1}")
        case .precisionMissed:
            return ("target {0} missed: {1} at the maximum of {2} paths", "目标 {0} 未达到：在最多 {2} 条路径时为 {1}")
        case .partialPhase:
            return ("Partial result: the run was interrupted ({0}); the figures below are complete, what came after them is missing.",
                    "部分结果：运行被中断（{0}）；以下数字完整，其后的部分缺失。")
        case .enhancementsNote:
            return ("Gross loss is before guarantees and protection, net loss after them. A guarantor or seller pays only if it is still alive when the issuer defaults, so the difference is smaller than the notional they cover.",
                    "总损失为担保和信用保护之前的损失，净损失为其后的损失。担保人或保护卖方只有在发行人违约时仍存续才会赔付，因此差额小于其覆盖的名义本金。")
        case .providersNote:
            return ("Each provider's payouts over the paths form a loss distribution of their own.", "每个提供方在各路径上的赔付构成其自身的损失分布。")
        case .compositionNote:
            return ("The portfolio by sector, rating, guarantor and protection seller: issuers, bonds and notional.",
                    "按行业、评级、担保人和信用保护卖方划分的组合：发行人、债券和名义本金。")
        case .stressesNote:
            return ("The base and every stress on the same paths; each stress's change from the base with its paired standard error (noise: within 1.96 of them).",
                    "基准与各压力情景使用相同路径；各压力情景相对基准的变化及其配对标准误（噪声：在 1.96 倍以内）。")
        case .backToBase: return ("Back to the base scenario", "返回基准情景")
        case .contributorsNote:
            return ("Euler contributions to the net EL and to the net ES {0}: E[loss of the name | the portfolio is in its worst {1}], summing exactly to the portfolio figures. All rows are in contributions.csv.",
                    "对净预期损失和净预期短缺 {0} 的欧拉贡献：E[该名称的损失 | 组合处于最差的 {1}]，加总恰为组合数值。全部明细见 contributions.csv。")
        case .footer:
            return ("VaR and ES: Acerbi–Tasche, 95 % intervals from order statistics; model and definitions in the CreditSim documentation.",
                    "风险价值与预期短缺：Acerbi–Tasche 定义，95% 区间由次序统计量给出；模型与定义见 CreditSim 文档。")
        case .capitalNote:
            return ("Basel II IRB foundation corporate capital (§272; EAD = notional, the bond's LGD, M = remaining maturity clipped to [1, 5] years, PD floored at 0.03 %; a guaranteed or protected part by substitution (§§301–302, a provider less risky than the issuer) or the double-default formula (§284), whichever is lower, never above the issuer's K) beside the net loss's VaR − EL and ES − EL. Per-bond figures and the treatment of each line are in capital.csv.",
                    "巴塞尔 II 内部评级初级法公司资本（§272；EAD = 名义本金，债券的违约损失率，M = 剩余期限截断于 [1, 5] 年，PD 下限 0.03%；担保或信用保护覆盖部分取替代法（§§301–302，保护提供方风险低于发行人时）与双重违约公式（§284）中较低者，且不高于发行人的 K），与净损失的 VaR − EL 和 ES − EL 并列。逐券数字及各行处理方式见 capital.csv。")
        case .tailNote:
            return ("Means over the paths whose net loss reaches VaR: each factor in standard deviations (negative is bad), each sector's net loss and its share of the tail loss.",
                    "净损失达到风险价值的路径上的均值：各因子以标准差计（负值为不利），各行业的净损失及其在尾部损失中的占比。")
        case .seeStressPage: return ("page", "页面")
        case .metaLine:
            return ("{0} paths, seed {1}, {2} threads, horizon {3} y{4}, {5} copula; {6} entities, {7} bonds, total notional {8}{9}. Simulated in {10} s by creditsim.",
                    "{0} 条路径，随机种子 {1}，{2} 个线程，期限 {3} 年{4}，{5} copula；{6} 个主体，{7} 只债券，名义本金合计 {8}{9}。creditsim 模拟用时 {10} 秒。")
        case .partialPaths2:
            return ("Partial result: the run was interrupted after {0} of {1} requested paths. All figures below use those {0} paths.",
                    "部分结果：运行在完成 {1} 条中的 {0} 条路径后被中断。以下所有数字基于这 {0} 条路径。")
        case .byHardDefaults: return ("by hard defaults", "其中：违约")
        case .byExtensions: return ("by extensions", "其中：展期")
        case .byMigration: return ("by migration", "其中：评级迁移")
        case .extensionShare:
            return ("At least one extension hits a bond on {0} of the paths (a share; standard error {1}).",
                    "至少一次展期影响债券的路径占比为 {0}（标准误 {1}）。")
        case .extensionProbability: return ("P(at least one extension)", "P(至少一次展期)")
        case .premiumNote: return ("Expected protection premium {0} (not part of the loss).", "预期信用保护费 {0}（不计入损失）。")
        case .description: return ("description", "说明")
        }
    }
}
