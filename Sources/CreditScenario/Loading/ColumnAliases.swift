/// Header names a desk's files use for the canonical columns of `entities` and `bonds` tables
/// (Wind and Excel exports with Chinese headers). Keyed by canonical column: an alias of a column
/// the loader does not know is harmless, the header then being reported as an unknown column by
/// its canonical name. Documented in the DocC article "DeskFiles".
enum ColumnAliases {
    static let entities: [String: [String]] = [
        "id": ["主体代码", "代码"],
        "name": ["主体名称", "名称"],
        "sector": ["行业"],
        "pd": ["违约概率"],
        "rating": ["主体评级", "评级"],
        "capacity": ["担保能力"],
        "extension_pd": ["展期概率"],
        "pd_sd": ["违约概率标准差"],
        "spread_bps": ["信用利差(bp)"],
    ]

    static let bonds: [String: [String]] = [
        "id": ["债券代码"],
        "issuer": ["发行人代码", "发行人"],
        "notional": ["余额", "票面金额"],
        "maturity": ["到期日"],
        "lgd": ["违约损失率"],
        "lgd_sd": ["违约损失率标准差"],
        "guarantor": ["担保人代码", "担保人"],
        "coverage": ["担保比例"],
        "protection_seller": ["信用保护卖方"],
        "protection_notional": ["信用保护名义本金"],
        "protection_spread_bps": ["信用保护费率(bp)"],
        "coupon": ["票面利率"],
        "coupon_frequency": ["付息频率"],
        "extension_lgd": ["展期损失率"],
        "extension_lgd_sd": ["展期损失率标准差"],
        "guarantee_triggers": ["担保触发"],
        "protection_triggers": ["信用保护触发"],
    ]

    /// Alias (normalized) → canonical column.
    static let entityLookup = lookup(entities)
    static let bondLookup = lookup(bonds)

    static func lookup(_ table: [String: [String]]) -> [String: String] {
        var out: [String: String] = [:]
        for (canonical, aliases) in table { for a in aliases { out[normalized(a)] = canonical } }
        return out
    }

    /// Full-width parentheses as ASCII and no spaces, so that `信用保护费率（bp）` and
    /// `信用保护费率 (bp)` name the same column.
    static func normalized(_ header: String) -> String {
        String(header.compactMap { c -> Character? in
            switch c {
            case "（": return "("
            case "）": return ")"
            case " ", "\u{3000}": return nil
            default: return c
            }
        })
    }

    /// The canonical column a header names: itself when it is a known column or factor id,
    /// else the column of its alias, else the header unchanged (reported as unknown).
    static func canonical(_ header: String, isEntity: Bool, known: Set<String>) -> String {
        if known.contains(header) { return header }
        return (isEntity ? entityLookup : bondLookup)[normalized(header)] ?? header
    }

    /// Whether `header` names a column of the table (for finding a workbook's header row).
    static func isKnown(_ header: String, isEntity: Bool, known: Set<String>) -> Bool {
        known.contains(header) || (isEntity ? entityLookup : bondLookup)[normalized(header)] != nil
    }
}
