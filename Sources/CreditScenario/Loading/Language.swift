/// The language of the report and the terminal table (`--lang`, `output.language`).
public enum Language: String, Sendable, Codable, CaseIterable {
    case en, zh

    /// The `lang` attribute of the report's `<html>`.
    public var htmlTag: String { self == .en ? "en" : "zh-CN" }
}
